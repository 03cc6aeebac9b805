"""The figures `make reliability` prints, collected from the tests that produce them.

Each fault or bad-input test calls `tally(...)` with what it did and saw, before it asserts, so a
failing run still reports its server errors and losses. Lines go to the file named by
RELIABILITY_TALLY (set by scripts/reliability.py); without it nothing is written.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

CORPUS = Path(__file__).parent / "data" / "fuzz_corpus.yml"
FIGURES = ("faults", "bad_inputs", "server_errors", "lost")


def tally(test: str, **counts: int) -> None:
    unknown = set(counts) - set(FIGURES)
    assert not unknown, unknown
    path = os.environ.get("RELIABILITY_TALLY")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"test": test, **counts}) + "\n")


def corpus(other: str = "RO-20261120-0001") -> list[tuple[str, str]]:
    """(category, message) for every entry of tests/data/fuzz_corpus.yml; `!repeat N text`
    expands to text repeated N times (the 10,000-character messages)."""
    entries = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [(category, _expand(text).replace("{other}", other))
            for category, texts in entries.items() for text in texts]


def _expand(text: str) -> str:
    if text.startswith("!repeat "):
        _, count, piece = text.split(" ", 2)
        return piece * int(count)
    return text
