"""The benchmark's table, its ratios to the floor, the targets of issue 10, and the chart."""
from __future__ import annotations

from pathlib import Path

TARGETS = "at 50: turns/s >= floor, p99 <= 1.5x floor; at 1: p50 <= 2x floor; 0 errors at 200; " \
          "training <= 300 s; cold start <= 60 s"


def _level(result: dict, concurrency: int) -> dict | None:
    return next((level for level in result["levels"] if level["concurrency"] == concurrency), None)


def _ratio(ours: float | None, floor: float | None) -> str:
    if not ours or not floor:
        return "-"
    return f"{ours / floor:.2f}x"


def table(run: dict) -> str:
    lines = [f"{'target':9} {'conc':>4} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
             f"{'errors':>6} {'silent':>6}   vs floor: turns/s  p50  p95  p99"]
    floor = run["targets"].get("floor")
    for name, result in run["targets"].items():
        for level in result["levels"]:
            row = (f"{name:9} {level['concurrency']:>4} {level['turns']:>6} {level['turns_per_s'] or 0:>8.1f} "
                   f"{level['p50_ms'] or 0:>8.0f} {level['p95_ms'] or 0:>8.0f} {level['p99_ms'] or 0:>8.0f} "
                   f"{level['errors']:>6} {level['silent']:>6}")
            base = _level(floor, level["concurrency"]) if floor and name != "floor" else None
            if base:
                row += "   " + "  ".join(_ratio(level[key], base[key])
                                         for key in ("turns_per_s", "p50_ms", "p95_ms", "p99_ms"))
            lines.append(row)
    lines.append("")
    for name, result in run["targets"].items():
        memory = ", ".join(f"{process} {mib:.0f} MiB" for process, mib in result.get("peak_rss_mib", {}).items())
        lines.append(f"{name}: cold start to first answer {result['cold_start_s']} s; peak memory: {memory}")
    if "training_s" in run:
        lines.append(f"full training of our model: {run['training_s']} s (floor's rasa init with training: "
                     f"{run.get('floor_training_s')} s)")
    lines.append("")
    lines.append(f"targets ({TARGETS}):")
    lines += [f"  {name}: {verdict}" for name, verdict in verdicts(run).items()]
    return "\n".join(lines)


def verdicts(run: dict) -> dict[str, str]:
    floor = run["targets"].get("floor")
    found = {}
    for name, result in run["targets"].items():
        if name == "floor" or not floor:
            continue
        checks = []
        ours50, floor50 = _level(result, 50), _level(floor, 50)
        if ours50 and floor50:
            checks.append(("turns/s at 50 >= floor", ours50["turns_per_s"] >= floor50["turns_per_s"]))
            checks.append(("p99 at 50 <= 1.5x floor", ours50["p99_ms"] <= 1.5 * floor50["p99_ms"]))
        ours1, floor1 = _level(result, 1), _level(floor, 1)
        if ours1 and floor1:
            checks.append(("p50 at 1 <= 2x floor", ours1["p50_ms"] <= 2 * floor1["p50_ms"]))
        ours200 = _level(result, 200)
        if ours200:
            checks.append(("0 errors at 200", ours200["errors"] == 0))
        checks.append(("cold start <= 60 s", result["cold_start_s"] <= 60))
        if "training_s" in run:
            checks.append(("training <= 300 s", run["training_s"] <= 300))
        found[name] = "; ".join(f"{label}: {'met' if ok else 'MISSED'}" for label, ok in checks)
    return found


def chart(run: dict, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(12, 4.5))
    for name, result in run["targets"].items():
        levels = result["levels"]
        x = [level["concurrency"] for level in levels]
        for key, style in (("p50_ms", "-o"), ("p99_ms", "--^")):
            latency.plot(x, [level[key] for level in levels], style, label=f"{name} {key[:3]}")
        throughput.plot(x, [level["turns_per_s"] for level in levels], "-o", label=name)
    for axis, title, unit in ((latency, "Per-turn latency", "ms"), (throughput, "Throughput", "turns/s")):
        axis.set_xscale("log")
        axis.set_xticks([level["concurrency"] for level in next(iter(run["targets"].values()))["levels"]])
        axis.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.set_xlabel("concurrent conversations")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
        axis.legend()
    latency.set_yscale("log")
    figure.suptitle(f"dealer-care vs stock rasa init ({run['when']}, {run['machine']['cpus']} CPUs)")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
