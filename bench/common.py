"""Shared by the benchmarks: result tables, verdicts, percentiles, the machine description, RSS.

Importing this module also puts the repository root on sys.path, so `python bench/<name>.py`
works from anywhere without installing anything beyond the bot's own dependencies.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASS = "pass"
MISS = "**miss**"


# -- figures ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in 0..1) of `values`; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> str:
    """Seconds as milliseconds for a table."""
    if math.isnan(seconds):
        return "n/a"
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def ratio(ours: float, baseline: float) -> str:
    """ours / baseline, as `1.23×`."""
    if not baseline or math.isnan(ours) or math.isnan(baseline):
        return "n/a"
    return f"{ours / baseline:.2f}×"


def verdict(ok: bool) -> str:
    return PASS if ok else MISS


def kib(size_bytes: float) -> str:
    return f"{size_bytes / 1024:.1f} KiB"


def mib(size_bytes: float) -> str:
    return f"{size_bytes / 1024 / 1024:.1f} MiB"


# -- result tables ----------------------------------------------------------------------------


@dataclass
class Section:
    """One benchmark's results: what was run, a table, and notes."""

    title: str
    setup: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long the benchmark took

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    @property
    def misses(self) -> int:
        return sum(MISS in row for row in self.rows)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Section:
        return cls(**json.loads(text))

    def markdown(self, level: int = 2) -> str:
        lines = [f"{'#' * level} {self.title}", "", self.setup, ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        for row in self.rows:
            padded = row + [""] * (len(self.columns) - len(row))
            lines.append("| " + " | ".join(padded) + " |")
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        lines.append("")
        lines.append(f"*This benchmark took {self.seconds:.0f} s.*")
        return "\n".join(lines) + "\n"


# -- the machine ------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "?"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def machine() -> list[tuple[str, str]]:
    """What the figures were measured on."""
    import sqlite3

    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{_cpu_model()}, {cores} cores ({usable} usable by this process)"),
        ("memory", _memory_total()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("discord.py", _version("discord.py")),
        ("aiohttp", _version("aiohttp")),
        ("aiosqlite / SQLite", f"{_version('aiosqlite')} / {sqlite3.sqlite_version}"),
        ("commit", _commit()),
    ]


# -- memory -----------------------------------------------------------------------------------


def rss_bytes() -> int:
    """This process's resident set size (VmRSS), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_seconds() -> float:
    """CPU time of this process, all threads (user + system)."""
    times = os.times()
    return times.user + times.system
