"""`make bench`: our product against the framework's floor under the same load.

Plays realistic mixed conversations (bench/conversations.py) through Rasa's REST webhook at
1, 10, 50 and 200 concurrent conversations against
  - floor:        a stock `rasa init` assistant, trained in a temporary directory, one process;
  - ours x1:      the product as `make run` starts it (SQLite, in-memory lock store);
  - ours x2:      two Rasa replicas and two action servers on PostgreSQL + the Redis lock store
                  (when both are reachable);
and prints per-turn p50/p95/p99, turns per second, errors, peak memory per process, training
time and cold start, with our figures as ratios to the floor's. Writes bench/results/*.json and
a PNG chart. Usage: python -m bench.run [--seconds 20] [--levels 1,10,50,200] [--skip-training]
"""
from __future__ import annotations

import argparse
import json
import logging
import platform
import secrets
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import conversations, load, report
from bench.processes import Floor, Ours, train_ours

log = logging.getLogger("bench")
RESULTS = Path(__file__).parent / "results"
WARM_UP_TURNS = 8


def measure(name: str, target, script, levels: list[int], seconds: float) -> dict:
    """Starts `target`, measures its cold start and every load level, then stops it."""
    log.info("[%s] starting", name)
    try:
        target.start()  # inside the try: a start that times out must not leave servers running
        log.info("[%s] first answer %.1f s after start; warming up", name, target.cold_start_s)
        warm = load.run(target.urls(), 2, 3, script, f"{name}-warm")
        log.info("[%s] warm-up: %d turns", name, warm.turns)
        results = {"cold_start_s": target.cold_start_s, "levels": []}
        for concurrency in levels:
            level = load.run(target.urls(), concurrency, seconds, script, name)
            summary = level.summary()
            log.info("[%s] %3d concurrent: %5d turns, %6.1f turns/s, p50 %s ms, p99 %s ms, errors %d",
                     name, concurrency, summary["turns"], summary["turns_per_s"] or 0, summary["p50_ms"],
                     summary["p99_ms"], summary["errors"])
            results["levels"].append(summary)
        results["peak_rss_mib"] = target.memory()
    finally:
        target.stop()
    return results


def scaled_env(work: Path) -> dict[str, str] | None:
    """PostgreSQL (tracker and service database) and Redis for the replicas, if reachable."""
    from tests import services

    if not (services.postgres_up() and services.redis_up()):
        log.warning("PostgreSQL or Redis not reachable: the two-replica run is skipped")
        return None
    name = f"bench_{secrets.token_hex(4)}"
    url = services.create_database(services.POSTGRES_URL, name)
    (work / "database").write_text(name)
    return {"DATABASE_URL": url, "REDIS_URL": services.REDIS_URL}


def drop_scaled_database(work: Path) -> None:
    from tests import services

    marker = work / "database"
    if marker.exists():
        services.drop_database(services.POSTGRES_URL, marker.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="load per concurrency level (default 20)")
    parser.add_argument("--levels", default="1,10,50,200")
    parser.add_argument("--skip-training", action="store_true", help="do not time a full training")
    parser.add_argument("--only", default="floor,ours-x1,ours-x2", help="which targets to measure")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    levels = [int(n) for n in args.levels.split(",")]
    wanted = args.only.split(",")
    started = time.monotonic()
    run = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
           "seconds_per_level": args.seconds, "targets": {}}
    with tempfile.TemporaryDirectory(prefix="dealer-care-bench-") as tmp:
        work = Path(tmp)
        if "floor" in wanted:
            floor = Floor(work / "stock")
            floor.create()
            run["floor_training_s"] = floor.training_s
            run["targets"]["floor"] = measure("floor", floor, conversations.stock, levels, args.seconds)
        if not args.skip_training:
            run["training_s"] = train_ours(work / "models")
            log.info("full training of our model: %.0f s", run["training_s"])
        if "ours-x1" in wanted:
            ours = Ours(work / "var-x1")
            run["targets"]["ours-x1"] = measure("ours-x1", ours, conversations.ours, levels, args.seconds)
        env = scaled_env(work) if "ours-x2" in wanted else None
        if env:
            try:
                ours = Ours(work / "var-x2", replicas=2, extra_env=env)
                run["targets"]["ours-x2"] = measure("ours-x2", ours, conversations.ours, levels, args.seconds)
            finally:
                drop_scaled_database(work)
    run["bench_wall_s"] = round(time.monotonic() - started)
    print(report.table(run))
    save(run)
    return 0


def machine() -> dict:
    import os

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def save(run: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = run["when"].replace(":", "").replace("-", "")[:15]
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(json.dumps(run, indent=2, ensure_ascii=False))
    (RESULTS / "latest.json").write_text(json.dumps(run, indent=2, ensure_ascii=False))
    chart = report.chart(run, RESULTS / "latest.png")
    print(f"results: {path} and {RESULTS / 'latest.json'}; chart: {chart}")


if __name__ == "__main__":
    raise SystemExit(main())
