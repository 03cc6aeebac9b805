"""The servers the benchmark loads: our whole product (the launcher, on an embedded or a
PostgreSQL + Redis setup) and a stock `rasa init` assistant, each timed from start to first answer."""
from __future__ import annotations

import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.stack import Stack, free_port, processes_in_groups

log = logging.getLogger("bench")
RASA = str(Path(sys.executable).with_name("rasa"))


def first_answer(base_url: str, message: str, timeout_s: float = 300) -> None:
    """Waits until the REST webhook answers `message` with something for the customer."""
    deadline = time.monotonic() + timeout_s
    body = json.dumps({"sender": f"bench-cold-{time.time_ns()}", "message": message}).encode()
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{base_url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if json.loads(response.read()):
                    return
        except (OSError, ValueError, http.client.HTTPException):  # not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} gave no answer within {timeout_s:.0f} s")


def peak_rss_mib(pid: int) -> float:
    """The high-water mark of resident memory (VmHWM) of a process and the rest of its group."""
    total = 0
    for member in processes_in_groups([pid]) or [pid]:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


class Ours:
    """The product as `make run` starts it, with `replicas` Rasa servers and action servers."""

    def __init__(self, var_dir: Path, replicas: int = 1, extra_env: dict[str, str] | None = None):
        env = {"RASA_REPLICAS": str(replicas), "ACTIONS_REPLICAS": str(replicas), **(extra_env or {})}
        self.stack = Stack(var_dir, env, replicas=replicas)
        self.replicas = replicas
        self.cold_start_s: float | None = None

    def start(self) -> None:
        started = time.monotonic()
        self.stack.start()
        first_answer(self.urls()[0], "你好")
        self.cold_start_s = round(time.monotonic() - started, 1)

    def urls(self) -> list[str]:
        return [self.stack.url("RASA_PORT", "", replica) for replica in range(self.replicas)]

    def memory(self) -> dict[str, float]:
        return {name: peak_rss_mib(pid) for name, pid in self.stack.children().items()}

    def stop(self) -> None:
        self.stack.kill()


class Floor:
    """A stock `rasa init` assistant, created and trained in `directory`, run on its own."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.training_s: float | None = None
        self.cold_start_s: float | None = None

    def create(self) -> None:
        log.info("creating and training the stock rasa init assistant in %s", self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(self.directory)], check=True,
                       cwd=self.directory.parent, env=_quiet_env(), stdout=subprocess.DEVNULL)
        self.training_s = round(time.monotonic() - started, 1)

    def start(self) -> None:
        started = time.monotonic()
        self.process = subprocess.Popen(
            [RASA, "run", "--enable-api", "--port", str(self.port), "--model", "models"],
            cwd=self.directory, env=_quiet_env(), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        first_answer(self.urls()[0], "hello")
        self.cold_start_s = round(time.monotonic() - started, 1)

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.port}"]

    def memory(self) -> dict[str, float]:
        return {"rasa server": peak_rss_mib(self.process.pid)}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _quiet_env() -> dict[str, str]:
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
                SQLALCHEMY_SILENCE_UBER_WARNING="1")


def train_ours(models_dir: Path) -> float:
    """Seconds a full training of our model takes from nothing (a fresh model directory)."""
    log.info("training our full model from scratch into %s (a few minutes)", models_dir)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "bot.training"], check=True, env=dict(_quiet_env(), MODELS_DIR=str(models_dir)),
                   stdout=subprocess.DEVNULL)
    return round(time.monotonic() - started, 1)
