"""/fact at 500 calls a second across 100 servers, the quiz bot against the baseline bot.

Members of 100 servers call /fact at random moments, 500 calls a second on average, for a few
seconds; each server's deck is drawn from for every call and saved behind (once a second), as
in real use. The same
calls at the same moments then go to the baseline bot, whose /fact answers with a fixed
ephemeral reply. Latency is measured at the fake, as for the clicks.

Run: python bench/bench_fact.py [--quick]
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import Section, ms, ratio, verdict
from harness import (
    TOKEN,
    LoadFigures,
    Planned,
    Server,
    baseline_bot,
    load_benchmark_main,
    populate,
    quiz_bot,
    run_wave,
)

from tests.fakediscord import FakeDiscord

P99_TARGET = 0.100


@dataclass(frozen=True)
class Load:
    servers: int = 100
    members: int = 20
    rate: float = 500.0  # calls a second
    seconds: float = 6.0  # fewer calls per member than the cooldown allows (3 per 20 s)
    repeats: int = 2  # baseline, quiz bot, baseline, quiz bot, ...

    @property
    def calls(self) -> int:
        return round(self.rate * self.seconds)


FULL = Load()
QUICK = Load(servers=20, rate=100.0, seconds=3.0, repeats=1)


def fact_plan(fake: FakeDiscord, servers: list[Server], load: Load) -> list[Planned]:
    """Calls spread at random over the run, members taken in turn across the servers."""
    rng = random.Random("fact")
    start = time.monotonic() + 0.05
    moments = sorted(start + rng.uniform(0, load.seconds) for _ in range(load.calls))
    plan = []
    for i, at in enumerate(moments):
        server = servers[i % len(servers)]
        member = server.players[(i // len(servers)) % len(server.players)]
        plan.append(Planned(at, lambda s=server, m=member: fake.invoke(s.guild, s.channel, m, "fact")))
    return plan


async def run_bot(load: Load, ours: bool) -> tuple[LoadFigures, int, int]:
    """Returns (figures, requests the fake refused, replies that were not a fact / the fixed reply)."""
    figures = LoadFigures()
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.servers, load.members)
        if ours:
            with tempfile.TemporaryDirectory() as folder:
                async with quiz_bot(fake, Path(folder)):
                    figures.waves.append(await run_wave(fake, fact_plan(fake, servers, load)))
        else:
            async with baseline_bot(fake):
                figures.waves.append(await run_wave(fake, fact_plan(fake, servers, load)))
        refused = len(fake.rejections)
    if ours:
        other = sum(1 for s in figures.samples if s.acked is not None and s.ephemeral)  # errors are ephemeral
    else:
        other = sum(1 for s in figures.samples if s.acked is not None and s.reply != "OK.")
    return figures, refused, other


async def measure(load: Load) -> Section:
    started = time.perf_counter()
    ours, base = LoadFigures(), LoadFigures()
    ours_refused = base_refused = ours_other = base_other = 0
    for _ in range(load.repeats):
        figures, refused, other = await run_bot(load, ours=False)
        base.waves += figures.waves
        base_refused += refused
        base_other += other
        figures, refused, other = await run_bot(load, ours=True)
        ours.waves += figures.waves
        ours_refused += refused
        ours_other += other
    section = Section(
        title="3. /fact at 500 calls a second across 100 servers",
        setup=(
            f"Members of {load.servers} servers call `/fact` at random moments, {load.rate:,.0f} calls/s on "
            f"average for {load.seconds:g} s ({load.calls:,} calls; no member goes over the cooldown of 3 per "
            f"20 s); runs alternate baseline / quiz bot, {load.repeats}× each, fresh fake and database each "
            "time. The quiz bot draws from each server's deck (saved behind, every deck drawn from in one "
            "write a second) and posts the fact with its button; the baseline answers with a fixed "
            "ephemeral reply."
        ),
        columns=["figure", "quiz bot", "baseline", "quiz bot / baseline", "target", "verdict"],
    )
    section.add("calls offered per second", f"{ours.offered_rate:,.0f}", f"{base.offered_rate:,.0f}", "",
                f"{load.rate:,.0f}", "")
    section.add("calls handled per second", f"{ours.handled_rate:,.0f}", f"{base.handled_rate:,.0f}",
                ratio(ours.handled_rate, base.handled_rate), "", "")
    section.add("acknowledgement latency p50", ms(ours.latency(0.5)), ms(base.latency(0.5)),
                ratio(ours.latency(0.5), base.latency(0.5)), "", "")
    section.add("acknowledgement latency p99", ms(ours.latency(0.99)), ms(base.latency(0.99)),
                ratio(ours.latency(0.99), base.latency(0.99)), f"< {P99_TARGET * 1000:.0f} ms",
                verdict(ours.latency(0.99) < P99_TARGET))
    section.add("acknowledgement latency max", ms(ours.worst), ms(base.worst), ratio(ours.worst, base.worst), "", "")
    section.add("calls unanswered / refused by the fake (429s included)", f"{ours.unanswered} / {ours_refused}",
                f"{base.unanswered} / {base_refused}", "", "0 / 0",
                verdict(ours.unanswered == 0 and ours_refused == 0))
    section.add("generator lateness p99 (dispatch vs schedule)", ms(ours.dispatch_lag(0.99)),
                ms(base.dispatch_lag(0.99)), "", "", "")
    section.add("CPU per call (whole process)", f"{ours.cpu_per_interaction * 1e6:,.0f} µs",
                f"{base.cpu_per_interaction * 1e6:,.0f} µs",
                ratio(ours.cpu_per_interaction, base.cpu_per_interaction), "", "")
    if ours.latency(0.5) > 0.1:
        section.notes.append(
            f"The quiz bot does not keep up with {load.rate:,.0f} calls/s here: the whole process (fake, load "
            f"generator and bot on one core) handled {ours.handled_rate:,.0f} a second, so calls queued "
            "inside the bot and the latency grew with the queue over the run. See Profiling and fixes below."
        )
    section.notes.append(
        f"Replies that were an error instead of a fact (quiz bot) / not the fixed reply (baseline): "
        f"{ours_other} / {base_other}."
    )
    section.seconds = time.perf_counter() - started
    return section


def main() -> int:
    return load_benchmark_main(__doc__, measure, FULL, QUICK, "20 servers, 100 calls a second, 3 s")


if __name__ == "__main__":
    raise SystemExit(main())
