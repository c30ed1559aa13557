"""The load benchmarks' setup: the loopback fake Discord, a world of servers and players, the quiz
bot or the baseline bot started against it (as the end-to-end tests start the bot), and a load
generator that dispatches interactions at scheduled times and collects what the fake measured.

Everything runs in one process on one event loop, like the end-to-end tests: the fake's own
work (building payloads, the gateway, serving REST) is in every figure, for the quiz bot and
the baseline alike.

The generator never waits on the fake's change notifications (every waiter is woken on every
change, which at thousands of interactions would cost more than the bot); it polls instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from baseline_bot import BaselineBot
from common import Section, cpu_seconds, percentile

from bot.client import QuizBot
from bot.clock import GameClock, Timing
from bot.content import ContentStore
from bot.host_config import DEFAULT_CONTENT_PATH, HostConfig
from bot.storage import open_database
from tests.fake_token import FAKE_TOKEN
from tests.fakediscord import FakeDiscord, InteractionRecord, running
from tests.fakediscord.interactions import APPLICATION_COMMAND
from tests.fakediscord.world import Channel, Guild, Member

TOKEN = FAKE_TOKEN
DEADLINE = 3.0  # Discord's (and the fake's) limit for the initial response
POLL = 0.01

_content: ContentStore | None = None


def content() -> ContentStore:
    """The shipped content, loaded once."""
    global _content
    if _content is None:
        _content = ContentStore.load(DEFAULT_CONTENT_PATH)
    return _content


def quiet_logging() -> None:
    """Warnings and errors from the bot and discord.py on stderr; nothing else."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


LoadT = TypeVar("LoadT")


def load_benchmark_main(
    doc: str, measure: Callable[[LoadT], Coroutine[Any, Any, Section]], full: LoadT, quick: LoadT, quick_help: str
) -> int:
    """A load benchmark run alone (bench/bench_*.py [--quick]): its section at the full load, or the
    scaled-down one, printed as Markdown; bot logs quiet, as in bench/run.py."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    args = parser.parse_args()
    quiet_logging()
    print(asyncio.run(measure(quick if args.quick else full)).markdown())
    return 0


# -- the world --------------------------------------------------------------------------------


@dataclass
class Server:
    guild: Guild
    channel: Channel
    players: list[Member]


def populate(fake: FakeDiscord, servers: int, players: int, *, shards: int = 1) -> list[Server]:
    """`servers` servers, each with a #quiz channel and `players` members (spread evenly over `shards`)."""
    world = []
    for s in range(servers):
        guild = fake.add_guild(f"Fan server {s}", shard=(s % shards, shards) if shards > 1 else None)
        channel = guild.add_text_channel("quiz")
        members = [guild.add_member(f"player-{s}-{p}") for p in range(players)]
        world.append(Server(guild, channel, members))
    return world


@contextlib.asynccontextmanager
async def quiz_bot(fake: FakeDiscord, folder: Path, *, game_speed: float = 1.0,
                   reveal_pause: float = 1.0) -> AsyncIterator[QuizBot]:
    """The real bot, started like `python -m bot` (settings, database, content), as the e2e tests do."""
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{folder / 'bot.db'}"})
    db = await open_database(settings.database_url)
    try:
        timing = Timing(game_clock=GameClock(game_speed), reveal_pause=reveal_pause)
        bot = QuizBot(settings, db, content(), timing=timing)
        async with running(bot, fake, timeout=60, skip_reidentify_delay=True):
            yield bot
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def baseline_bot(fake: FakeDiscord) -> AsyncIterator[BaselineBot]:
    """The baseline bot, started the same way."""
    bot = BaselineBot()
    async with running(bot, fake, timeout=60, skip_reidentify_delay=True):
        yield bot


# -- load generation --------------------------------------------------------------------------


@dataclass
class Planned:
    """One interaction to send at `at` (time.monotonic()); `send` dispatches it."""

    at: float
    send: Callable[[], Any]
    record: InteractionRecord | None = None


async def fire(plan: Sequence[Planned]) -> list[InteractionRecord]:
    """Dispatch every planned interaction at its time (each in its own task, so a slow write
    never holds back the next one); return the records in plan order."""
    ordered = sorted(plan, key=lambda p: p.at)
    tasks = []
    for item in ordered:
        delay = item.at - time.monotonic()
        await asyncio.sleep(max(delay, 0))  # also yields when behind, so the bot keeps running
        tasks.append(asyncio.create_task(item.send()))
    records = await asyncio.gather(*tasks)
    for item, record in zip(ordered, records, strict=True):
        item.record = record
    return [p.record for p in plan]  # type: ignore[misc]


def settled(record: InteractionRecord, now: float) -> bool:
    """Answered, refused, or past any chance of an answer."""
    return record.initial is not None or bool(record.rejections) or now > record.created_at + DEADLINE + 1.0


async def settle(records: Sequence[InteractionRecord], fake: FakeDiscord) -> None:
    """Poll until every record is answered or refused (or can no longer be answered)."""
    pending = list(records)
    while pending:
        now = fake.clock.monotonic()
        pending = [r for r in pending if not settled(r, now)]
        if pending:
            await asyncio.sleep(POLL)


async def quiet(fake: FakeDiscord, seconds: float = 0.2, timeout: float = 15.0) -> None:
    """Wait until the bot has sent the fake nothing for `seconds` (it may still be working through
    interactions the fake already gave up on), so that stopping it does not cut requests off."""
    deadline = time.monotonic() + timeout
    count, since = len(fake.requests), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(POLL * 5)
        if len(fake.requests) != count:
            count, since = len(fake.requests), time.monotonic()
        elif time.monotonic() - since >= seconds:
            return


async def poll_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(POLL * 2)


# -- what was measured --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """What the fake saw of one interaction (the record itself is dropped with the fake's history)."""

    planned: float  # when the generator meant to send it (time.monotonic())
    sent: float  # when the fake dispatched it
    acked: float | None  # when the fake accepted the initial callback
    refused: bool  # the fake refused a callback (e.g. after the 3 s deadline)
    reply: str | None
    ephemeral: bool

    @property
    def latency(self) -> float | None:
        return None if self.acked is None else self.acked - self.sent


def sample(record: InteractionRecord, planned: float) -> Sample:
    acked = record.initial.at if record.initial is not None else None
    return Sample(planned, record.created_at, acked, bool(record.rejections), record.content, record.ephemeral)


def forget_history(fake: FakeDiscord) -> None:
    """Drop what the fake keeps only for test assertions: interaction records, the request log,
    the gateway's replay buffer and ephemeral replies. Between waves, for both bots alike, so that
    the fake's growing history does not load the garbage collector (and so the figures)."""
    fake.requests.clear()
    gateway = fake.gateway
    gateway.dispatched.clear()
    for session in gateway.by_shard.values():
        session.buffer.clear()
    sender = fake._sender
    # A round's messages go through its /quiz start's token, so those records (few) stay.
    kept = [r for r in sender.records
            if r.type == APPLICATION_COMMAND and r.payload.get("data", {}).get("name") == "quiz"]
    sender.records[:] = kept
    sender.by_id.clear()
    sender.by_token.clear()
    for record in kept:
        sender.by_id[str(record.id)] = record
        sender.by_token[record.token] = record
    messages = fake.world.messages
    for channel in fake.world.channels.values():
        kept = []
        for message in channel.all_messages:
            if message.ephemeral:
                messages.pop(message.id, None)
            else:
                kept.append(message)
        channel.all_messages[:] = kept
    gc.collect()


@dataclass
class Wave:
    """A burst of interactions (one question's clicks in every channel, or one /fact run)."""

    samples: list[Sample]
    cpu: float  # process CPU seconds from the first dispatch until every interaction settled

    @property
    def handled(self) -> list[Sample]:
        return [s for s in self.samples if s.acked is not None]

    @property
    def window(self) -> float:
        """First dispatch to last acknowledgement."""
        handled = self.handled
        if not handled:
            return float("nan")
        return max(s.acked for s in handled) - min(s.sent for s in self.samples)  # type: ignore[type-var]

    @property
    def offered_rate(self) -> float:
        span = max(s.planned for s in self.samples) - min(s.planned for s in self.samples)
        return len(self.samples) / span if span > 0 else float("nan")

    @property
    def handled_rate(self) -> float:
        return len(self.handled) / self.window


@dataclass
class LoadFigures:
    """Figures over several waves of one bot."""

    waves: list[Wave] = field(default_factory=list)

    @property
    def samples(self) -> list[Sample]:
        return [s for w in self.waves for s in w.samples]

    @property
    def sent(self) -> int:
        return sum(len(w.samples) for w in self.waves)

    @property
    def answered(self) -> int:
        return sum(len(w.handled) for w in self.waves)

    @property
    def unanswered(self) -> int:
        return self.sent - self.answered

    @property
    def refused(self) -> int:
        return sum(s.refused for s in self.samples)

    @property
    def latencies(self) -> list[float]:
        return [s.latency for s in self.samples if s.latency is not None]

    def latency(self, fraction: float) -> float:
        return percentile(self.latencies, fraction)

    @property
    def worst(self) -> float:
        return max(self.latencies, default=float("nan"))

    @property
    def handled_rate(self) -> float:
        """Acknowledged interactions per second of wave (first dispatch to last acknowledgement)."""
        windows = sum(w.window for w in self.waves)
        return self.answered / windows if windows else float("nan")

    @property
    def offered_rate(self) -> float:
        rates = [w.offered_rate for w in self.waves]
        return sum(rates) / len(rates) if rates else float("nan")

    @property
    def cpu_per_interaction(self) -> float:
        return sum(w.cpu for w in self.waves) / max(1, self.sent)

    def dispatch_lag(self, fraction: float) -> float:
        """How late the generator dispatched, against the schedule (an overloaded loop is late)."""
        return percentile([s.sent - s.planned for s in self.samples], fraction)


async def run_wave(fake: FakeDiscord, plan: list[Planned]) -> Wave:
    """Send a plan, wait until everything settled, keep what the fake measured, forget the rest."""
    before = cpu_seconds()
    records = await fire(plan)
    await settle(records, fake)
    cpu = cpu_seconds() - before
    await quiet(fake)
    samples = [sample(r, p.at) for r, p in zip(records, plan, strict=True)]
    del records
    for item in plan:
        item.record = None
    forget_history(fake)
    return Wave(samples, cpu)


def spread(count: int, start: float, seconds: float, rng: random.Random) -> list[float]:
    """`count` moments spread at random over `seconds` from `start`."""
    return [start + rng.uniform(0, seconds) for _ in range(count)]
