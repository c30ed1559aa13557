"""Answer clicks with one bot process against two (shards 0 and 1 of 2), on PostgreSQL.

The fake Discord and the load generator run in this process; the bot runs in separate processes
(tests/shard_process.py, started as `python -m bot` starts the bot), first one process running
both shards, then two processes with one shard each, alternating, each run on a fresh fake and a
fresh PostgreSQL schema. 100 servers, half on each shard, one round each; every player of every
round clicks in turn, one click per channel at a time, the next batch as soon as the last is
answered (the capacity figure of the clicks benchmark).

Run: python bench/bench_shards.py [--quick]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass

import psutil
from bench_clicks import capacity_waves, questions_posted, start_rounds
from common import ROOT, Section, ms, ratio
from harness import TOKEN, LoadFigures, load_benchmark_main, populate

from tests.fakediscord import FakeDiscord
from tests.postgres import fresh_schema, postgres_server

SHARDS = 2
LAYOUTS = {"one process, shards 0 and 1": ["0,1"], "two processes, one shard each": ["0", "1"]}


@dataclass(frozen=True)
class Load:
    servers: int = 100
    players: int = 20
    question_seconds: int = 60  # long enough for every batch of clicks
    repeats: int = 2


FULL = Load()
QUICK = Load(servers=20, players=10, repeats=1)


@dataclass
class Run:
    figures: LoadFigures
    bot_cpu: float  # CPU seconds of the bot processes during the clicks
    fake_cpu: float  # CPU seconds of this process (fake and generator) during the clicks


async def start_bots(fake: FakeDiscord, url: str, groups: list[str]) -> list[asyncio.subprocess.Process]:
    processes = []
    for ids in groups:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.shard_process", fake.rest_base, fake.gateway_url, url, str(SHARDS), ids,
            stdout=asyncio.subprocess.PIPE, cwd=ROOT,
        )
        processes.append(process)
    for process in processes:
        line = await asyncio.wait_for(process.stdout.readline(), 60)  # type: ignore[union-attr]
        if line.strip() != b"ready":
            raise RuntimeError(f"a bot process did not start (it printed {line!r})")
    return processes


async def stop_bots(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.terminate()
    for process in processes:
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


def cpu(processes: list[asyncio.subprocess.Process]) -> float:
    total = 0.0
    for process in processes:
        times = psutil.Process(process.pid).cpu_times()
        total += times.user + times.system
    return total


async def run_layout(server_url: str, groups: list[str], load: Load) -> Run:
    async with FakeDiscord(token=TOKEN) as fake, fresh_schema(server_url) as url:
        servers = populate(fake, load.servers, load.players, shards=SHARDS)
        processes = await start_bots(fake, url, groups)
        try:
            await start_rounds(fake, servers, 1, load.question_seconds)
            messages = await questions_posted(servers, 1)
            bot_before, fake_before = cpu(processes), time.process_time()
            figures = await capacity_waves(fake, servers, messages)
            return Run(figures, cpu(processes) - bot_before, time.process_time() - fake_before)
        finally:
            await stop_bots(processes)


async def measure(load: Load) -> Section:
    started = time.perf_counter()
    runs: dict[str, list[Run]] = {name: [] for name in LAYOUTS}
    with postgres_server() as server_url:
        for _ in range(load.repeats):
            for name, groups in LAYOUTS.items():
                runs[name].append(await run_layout(server_url, groups, load))
    one, two = (runs[name] for name in LAYOUTS)
    clicks = load.servers * load.players
    section = Section(
        title="8. Answer clicks with one bot process against two (shards 0 and 1 of 2), on PostgreSQL",
        setup=(
            f"{load.servers} servers, half on each of 2 shards, one round each, {load.players} players each; "
            f"every player clicks in turn, one click per channel at a time, the next batch as soon as the last is "
            f"answered ({clicks:,} clicks a run). The fake Discord and the generator run in the benchmark's "
            f"process, the bot in separate processes started as `python -m bot` starts it (shard leases, "
            f"AutoShardedBot), on a throwaway PostgreSQL; {load.repeats} runs of each layout, alternating, "
            "each on a fresh fake and schema."
        ),
        columns=["figure", *LAYOUTS, "two / one"],
    )

    def median(values: list[float]) -> float:
        return statistics.median(values)

    rate = [median([r.figures.handled_rate for r in runs_]) for runs_ in (one, two)]
    section.add("clicks handled per second (median of runs)", f"{rate[0]:,.0f}", f"{rate[1]:,.0f}",
                ratio(rate[1], rate[0]))
    for label, fraction in (("p50", 0.5), ("p99", 0.99)):
        values = [median([r.figures.latency(fraction) for r in runs_]) for runs_ in (one, two)]
        section.add(f"acknowledgement latency {label}", ms(values[0]), ms(values[1]), ratio(values[1], values[0]))
    bot_cpu = [median([r.bot_cpu / clicks for r in runs_]) for runs_ in (one, two)]
    section.add("bot CPU per click (all bot processes)", f"{bot_cpu[0] * 1e6:,.0f} µs", f"{bot_cpu[1] * 1e6:,.0f} µs",
                ratio(bot_cpu[1], bot_cpu[0]))
    fake_cpu = [median([r.fake_cpu / clicks for r in runs_]) for runs_ in (one, two)]
    section.add("fake and generator CPU per click", f"{fake_cpu[0] * 1e6:,.0f} µs", f"{fake_cpu[1] * 1e6:,.0f} µs",
                ratio(fake_cpu[1], fake_cpu[0]))
    unanswered = [sum(r.figures.unanswered for r in runs_) for runs_ in (one, two)]
    section.add("clicks unanswered", unanswered[0], unanswered[1], "")
    section.notes += [
        f"This machine has {psutil.cpu_count()} cores for the fake and generator, the bot processes and PostgreSQL "
        "together, so a second bot process can only use what the fake leaves over: the ratio says what two "
        "processes gain here, not what they gain on a machine where Discord is elsewhere.",
    ]
    section.seconds = time.perf_counter() - started
    return section


def main() -> int:
    return load_benchmark_main(__doc__, measure, FULL, QUICK, "20 servers of 10 players, one run of each")


if __name__ == "__main__":
    raise SystemExit(main())
