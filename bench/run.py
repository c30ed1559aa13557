"""Run the benchmarks and write bench/RESULTS.md.

    python bench/run.py            all seven at full size (a few minutes), writes bench/RESULTS.md
    python bench/run.py --quick    scaled down, a smoke run (well under a minute), prints only
    python bench/run.py --only clicks,fact [--output PATH]

Each benchmark runs in a fresh Python process (resident sizes and the garbage collector's
heap are not left over from the one before). Benchmarks measure; they are not tests and never
fail: the exit status is 0 whatever the verdicts, unless a benchmark itself crashed. Each one
can also run alone: bench/bench_*.py.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import bench_clicks
import bench_content
import bench_fact
import bench_leaderboard
import bench_memory
import bench_rounds
import bench_shards
from common import ROOT, Section, machine
from harness import quiet_logging

RESULTS = ROOT / "bench" / "RESULTS.md"
HISTORY = ROOT / "bench" / "history.md"


def _load_benchmark(module: ModuleType) -> tuple[Callable[[], Section], Callable[[], Section]]:
    """A load benchmark's (full, quick) runs: its measure() at its FULL and at its QUICK load."""
    return (lambda: asyncio.run(module.measure(module.FULL)), lambda: asyncio.run(module.measure(module.QUICK)))


# name -> (full, quick)
BENCHMARKS: dict[str, tuple[Callable[[], Section], Callable[[], Section]]] = {
    "clicks": _load_benchmark(bench_clicks),
    "fact": _load_benchmark(bench_fact),
    "leaderboard": (lambda: asyncio.run(bench_leaderboard.measure()),
                    lambda: asyncio.run(bench_leaderboard.measure(10_000, 100_000, repeat=50))),
    "content": (lambda: bench_content.measure(),
                lambda: bench_content.measure(1_000, 1_000, runs=2)),
    "memory": _load_benchmark(bench_memory),
    "rounds": _load_benchmark(bench_rounds),
    "shards": _load_benchmark(bench_shards),
}
ORDER = ("clicks", "fact", "leaderboard", "content", "memory", "rounds", "shards")
SECTION_MARK = "@@section "


def child(name: str, quick: bool) -> int:
    """Run one benchmark in this process; its Section goes to stdout as one line of JSON."""
    quiet_logging()
    full, small = BENCHMARKS[name]
    section = (small if quick else full)()
    print(SECTION_MARK + section.to_json(), flush=True)
    return 0


def run(names: list[str], quick: bool) -> tuple[list[Section], list[str]]:
    sections, failures = [], []
    for name in names:
        print(f"-- {name} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(Path(__file__).resolve()), "--child", name] + (["--quick"] if quick else [])
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        found = [line for line in done.stdout.splitlines() if line.startswith(SECTION_MARK)]
        if done.returncode != 0 or not found:
            failures.append(f"{name}: exit status {done.returncode}; see the output above")
            print(failures[-1], file=sys.stderr)
            continue
        section = Section.from_json(found[-1][len(SECTION_MARK):])
        print(f"   {name}: {time.perf_counter() - started:.0f} s, {section.misses} target(s) missed",
              file=sys.stderr, flush=True)
        sections.append(section)
    return sections, failures


def report(sections: list[Section], failures: list[str], quick: bool, took: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/run.py`" + (" --quick (scaled down: not the real figures)" if quick else "")
        + f" in {took / 60:.1f} minutes. Benchmarks measure; they are not tests and do not fail CI.",
        "",
        "| machine | |",
        "| --- | --- |",
    ]
    lines += [f"| {key} | {value} |" for key, value in machine()]
    lines += ["", "## Summary", "", "| benchmark | targets missed |", "| --- | --- |"]
    for section in sections:
        lines.append(f"| {section.title} | {section.misses or 'none'} |")
    for failure in failures:
        lines.append(f"| {failure.splitlines()[0]} | crashed |")
    lines += [
        "",
        "How to read the load figures: the fake Discord, the load generator and the bot share one "
        "process and one event loop, as in the end-to-end tests, so the fake's own work is in every "
        "figure, for the quiz bot and the baseline alike; on a real deployment that work happens at "
        "Discord. Only one of the two cores does Python work (the GIL); the database threads use the "
        "other a little. Latency is measured at the fake, from dispatching INTERACTION_CREATE to "
        "accepting the initial callback; the generator's lateness against its schedule is shown "
        "beside it, because a loop that is behind dispatches late and the fake cannot see that wait.",
        "",
    ]
    for section in sections:
        lines.append(section.markdown())
    if failures:
        lines += ["## Crashed", "", *[f"- {failure}" for failure in failures], ""]
    if HISTORY.exists():
        lines += [HISTORY.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scaled-down sizes; prints instead of writing")
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(ORDER)}")
    parser.add_argument("--child", choices=ORDER, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help="where to write the report (default: bench/RESULTS.md "
                        "for a full run of everything, else standard output)")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.quick)
    names = [n.strip() for n in args.only.split(",")] if args.only else list(ORDER)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(ORDER)}")
    quiet_logging()
    started = time.perf_counter()
    sections, failures = run(names, args.quick)
    text = report(sections, failures, args.quick, time.perf_counter() - started)
    output = args.output or (RESULTS if not args.quick and names == list(ORDER) else None)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    misses = sum(section.misses for section in sections)
    print(f"{len(sections)} benchmark(s) run, {misses} target(s) missed"
          + (f", {len(failures)} crashed" if failures else ""), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
