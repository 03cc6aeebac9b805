"""`make reliability`: the fault-injection and bad-input suites (pytest -m reliability), then the
figures they recorded (tests/reliability.py): faults injected, bad inputs tried, server errors,
and messages or records lost. Exits non-zero when a test failed or a server error or a loss was
seen. Extra arguments go to pytest (e.g. `-m "reliability and not e2e"` for the quick part)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = {
    "faults": "faults injected",
    "bad_inputs": "bad inputs tried",
    "server_errors": "server errors",
    "lost": "messages or records lost",
}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tally, junit = Path(tmp) / "tally.jsonl", Path(tmp) / "junit.xml"
        marker = [] if any(a == "-m" or a.startswith("-m") for a in argv) else ["-m", "reliability"]
        command = [sys.executable, "-m", "pytest", *marker, "-q", "-p", "no:cacheprovider",
                   f"--junitxml={junit}", *argv]
        print("$", " ".join(command), flush=True)
        code = subprocess.call(command, cwd=ROOT, env=dict(os.environ, RELIABILITY_TALLY=str(tally)))
        figures = read_tally(tally)
        tests = read_junit(junit)
    print(report(figures, tests))
    bad = figures["server_errors"] or figures["lost"] or tests["failed"] or code not in (0,)
    return 1 if bad else 0


def read_tally(path: Path) -> Counter:
    figures = Counter({name: 0 for name in LABELS})
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            figures.update({k: int(v) for k, v in entry.items() if k in LABELS})
    return figures


def read_junit(path: Path) -> Counter:
    tests = Counter(tests=0, failed=0, skipped=0)
    if path.exists():
        for suite in ElementTree.parse(path).getroot().iter("testsuite"):
            tests["tests"] += int(suite.get("tests", 0))
            tests["failed"] += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            tests["skipped"] += int(suite.get("skipped", 0))
    return tests


def report(figures: Counter, tests: Counter) -> str:
    lines = ["", "Reliability", "-----------"]
    lines += [f"{label + ':':<27}{figures[name]:>7}" for name, label in LABELS.items()]
    passed = tests["tests"] - tests["failed"] - tests["skipped"]
    lines.append(f"{'tests:':<27}{passed:>7} passed, {tests['failed']} failed, {tests['skipped']} skipped")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
