"""Where a turn's CPU goes: py-spy samples the Rasa server and the action server of the product
(one replica, as `make run` starts it) while the benchmark's conversations play, then prints the
functions that hold the largest share of each process's busy samples (inclusive: a function's
share counts the time of everything it calls). docs/performance.md quotes it.

Usage: python -m bench.profile [--concurrency 10] [--seconds 25] [--top 40] [--match REGEX]
"""
from __future__ import annotations

import argparse
import logging
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench import conversations, load
from bench.processes import Ours

log = logging.getLogger("bench.profile")
PROFILED = ("rasa server", "action server")
SITE_PACKAGES = re.compile(r"^.*/site-packages/")
SERVER_LOOP = 0.97  # functions in nearly every sample (the server's own loop) are not shown


def shares(raw_profile: Path) -> tuple[int, Counter]:
    """Busy samples in all, and per function (counted once per stack) from py-spy's raw output."""
    total, by_function = 0, Counter()
    for line in raw_profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        functions = {_function(frame) for frame in stack.split(";")}
        for function in functions:
            by_function[function] += int(count)
    return total, by_function


def _function(frame: str) -> str:
    """'handle_message (/…/site-packages/rasa/core/processor.py:123)' -> 'handle_message (rasa/core/processor.py)'"""
    match = re.match(r"^(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    return f"{match.group(1)} ({SITE_PACKAGES.sub('', match.group(2))})"


def record(pids: dict[str, int], seconds: float, out: Path) -> list[tuple[str, Path, subprocess.Popen]]:
    spy = Path(sys.executable).with_name("py-spy")
    running = []
    for name in PROFILED:
        target = out / f"{name.replace(' ', '-')}.txt"
        command = [str(spy), "record", "-p", str(pids[name]), "-d", str(int(seconds)), "-r", "50",
                   "-f", "raw", "-o", str(target)]
        running.append((name, target, subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                         stderr=subprocess.DEVNULL)))
    return running


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=25)
    parser.add_argument("--top", type=int, default=40, help="functions shown per process")
    parser.add_argument("--match", default="", help="show only functions matching this regex")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    with tempfile.TemporaryDirectory(prefix="dealer-care-profile-") as tmp:
        work = Path(tmp)
        ours = Ours(work / "var")
        log.info("starting the product (one replica)")
        try:
            ours.start()
            load.run(ours.urls(), 2, 3, conversations.ours, "profile-warm")
            log.info("sampling for %.0f s at %d concurrent conversations", args.seconds, args.concurrency)
            running = record(ours.stack.children(), args.seconds, work)
            level = load.run(ours.urls(), args.concurrency, args.seconds, conversations.ours, "profile")
            for _, _, process in running:
                process.wait()
        finally:
            ours.stop()
        summary = level.summary()
        print(f"load: {summary['turns']} turns, {summary['turns_per_s']} turns/s, p50 {summary['p50_ms']} ms")
        for name, path, _ in running:
            total, by_function = shares(path)
            busy = 100 * total / (args.seconds * 50)
            print(f"\n{name}: {total} busy samples (about {busy:.0f}% of one core)")
            shown = 0
            for function, count in by_function.most_common():
                if count >= SERVER_LOOP * total or (args.match and not re.search(args.match, function)):
                    continue
                print(f"  {100 * count / total:5.1f}%  {function[:140]}")
                shown += 1
                if shown >= args.top:
                    break
    return 0


if __name__ == "__main__":
    sys.exit(main())
