"""Memory: resident size of the bot idle and with 100 rounds running, and the cost of one round.

The bot runs against the loopback fake in one process (as in the other load benchmarks), so the
process's resident size (VmRSS) includes the fake. The cost of a running round is therefore
taken from tracemalloc: the bytes allocated with 100 rounds running and 20 players' answers in
each, minus the same once the rounds are gone, with nothing reaching the fake in between. The
growth of the resident size is reported beside it, as an upper bound.

Run: python bench/bench_memory.py [--quick]
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from bench_clicks import questions_posted, start_rounds
from common import Section, kib, mib, rss_bytes, verdict
from harness import (
    TOKEN,
    Planned,
    Server,
    fire,
    forget_history,
    load_benchmark_main,
    poll_until,
    populate,
    quiet,
    quiz_bot,
    settle,
)

from bot.client import QuizBot
from tests.fakediscord import FakeDiscord, StoredMessage

PER_ROUND_TARGET = 50 * 1024
@dataclass(frozen=True)
class Load:
    rounds: int = 100
    players: int = 20


FULL = Load()
QUICK = Load(rounds=20)


def settle_memory() -> int:
    gc.collect()
    return rss_bytes()


async def answer_all(fake: FakeDiscord, servers: list[Server], messages: list[StoredMessage]) -> None:
    """Every player clicks once in every round, one click per channel at a time."""
    for p in range(len(servers[0].players)):
        now = time.monotonic()
        plan = []
        for server, message in zip(servers, messages, strict=True):
            custom_id = message.buttons[p % len(message.buttons)]["custom_id"]
            plan.append(Planned(now, lambda m=message, c=custom_id, u=server.players[p]: fake.click(m, c, u)))
        await settle(await fire(plan), fake)
    await quiet(fake)
    forget_history(fake)


async def run_rounds(fake: FakeDiscord, bot: QuizBot, servers: list[Server]) -> int:
    """Start a round in every channel and have every player answer; return the answers held."""
    await start_rounds(fake, servers, 3, 60)
    await answer_all(fake, servers, await questions_posted(servers, 1))
    return sum(runner.round.answer_count for runner in bot.get_cog("Quiz").runners.values())


async def drop_rounds(fake: FakeDiscord, bot: QuizBot) -> None:
    """End every round by cancelling its task, as a crash would: the fake sees nothing of it, so
    what it holds stays the same and the difference is the rounds' own memory."""
    quiz = bot.get_cog("Quiz")
    for runner in list(quiz.runners.values()):
        runner.task.cancel()
    await poll_until(lambda: not quiz.runners, 30, "every round to end")
    await quiet(fake)
    forget_history(fake)


async def measure(load: Load) -> Section:
    """RSS idle, with the rounds running, and after they ended; the same step again under tracemalloc."""
    started = time.perf_counter()
    rss: dict[str, int] = {}
    async with FakeDiscord(token=TOKEN) as fake:
        servers = populate(fake, load.rounds, load.players)
        rss["fake"] = settle_memory()
        with tempfile.TemporaryDirectory() as folder:
            # A slow game clock: the first question stays open however long the clicks take.
            async with quiz_bot(fake, Path(folder), game_speed=0.05) as bot:
                await asyncio.sleep(0.5)
                rss["idle"] = settle_memory()
                answers = await run_rounds(fake, bot, servers)
                rss["rounds"] = settle_memory()
                await drop_rounds(fake, bot)
                rss["ended"] = settle_memory()
                # Again, counting the bytes Python allocates (tracemalloc: slower, so done apart).
                tracemalloc.start(1)
                await run_rounds(fake, bot, servers)
                gc.collect()
                running = tracemalloc.get_traced_memory()[0]
                await drop_rounds(fake, bot)
                gc.collect()
                ended = tracemalloc.get_traced_memory()[0]
                tracemalloc.stop()
    per_round = (running - ended) / load.rounds
    section = Section(
        title="6. Memory",
        setup=(
            f"The bot connected to {load.rounds} servers ({load.players} members each, plus the fake's world); "
            f"then {load.rounds} rounds started (3 questions of 60 s) and every one of the {load.players} "
            f"players in each answered the open question ({answers:,} answers held in memory); then the "
            "rounds were dropped (their tasks cancelled, as in a crash, so the fake saw nothing of it). "
            "Resident size is the process's VmRSS after a full garbage collection; the fake runs in the "
            "same process. The same step was then repeated under tracemalloc."
        ),
        columns=["figure", "value", "target", "verdict"],
    )
    section.add("resident size: the fake and its world, before the bot starts", mib(rss["fake"]), "", "")
    section.add("resident size: bot connected, no rounds", mib(rss["idle"]), "", "")
    section.add("… of which the bot (growth when it started)", mib(rss["idle"] - rss["fake"]), "", "")
    section.add(f"resident size: {load.rounds} rounds running", mib(rss["rounds"]), "", "")
    section.add("resident size: after the rounds ended", mib(rss["ended"]), "", "")
    section.add("memory per running round (tracemalloc: running minus ended)", kib(per_round),
                f"< {PER_ROUND_TARGET // 1024} KiB", verdict(per_round < PER_ROUND_TARGET))
    section.add("resident-size growth per running round, from idle (upper bound)",
                kib((rss["rounds"] - rss["idle"]) / load.rounds), "", "")
    section.notes += [
        "Per running round: the bytes Python had allocated with the rounds running and answered, minus "
        "the same once they ended, divided by the number of rounds. The fake's history is dropped before "
        "each reading and nothing reaches the fake in between, so the difference is what the rounds "
        "hold in the bot: round state, answers, runner task, the question message object.",
        "The resident-size growth from idle also counts what the fake stores (every message posted), "
        "caches that warm up under load (HTTP connections, URL caches) and memory the allocator keeps "
        "after temporary objects are freed, so it overstates what a round costs.",
    ]
    section.seconds = time.perf_counter() - started
    return section


def main() -> int:
    return load_benchmark_main(__doc__, measure, FULL, QUICK, "20 rounds")


if __name__ == "__main__":
    raise SystemExit(main())
