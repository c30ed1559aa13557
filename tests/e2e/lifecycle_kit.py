"""Helpers for start-up and shutdown tests: a back-off that waits for the test, and the bot under `serve`."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import random
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.backoff import Backoff
from bot.client import QuizBot
from bot.clock import GameClock, Timing
from bot.host_config import HostConfig
from bot.lifecycle import LifecycleTiming, serve
from bot.storage import Database, open_database
from tests.e2e.conftest import CONTENT, TOKEN
from tests.fakediscord import FakeDiscord, eventually, pointed_at
from tests.wallclock import ManualWallClock

RETRY_LOGGERS = ("bot.lifecycle",)


class ManualSleep:
    """A back-off sleep that waits for the test instead of the clock: each call waits for release()."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._released = 0
        self._changed = asyncio.Condition()

    async def __call__(self, delay: float) -> None:
        async with self._changed:
            self.delays.append(delay)
            number = len(self.delays)
            self._changed.notify_all()
            await self._changed.wait_for(lambda: self._released >= number)

    async def wait_for_calls(self, count: int, timeout: float = 5.0) -> None:
        """Wait until the bot is in its `count`-th back-off wait."""
        await eventually(lambda: len(self.delays) >= count, timeout, what=f"back-off wait {count}")

    async def release(self) -> None:
        """End the current wait (the bot tries again)."""
        async with self._changed:
            self._released += 1
            self._changed.notify_all()


class ManualDeadlines:
    """Attempt deadlines that pass when the test says so (`expire`), never by the clock."""

    def __init__(self) -> None:
        self.requested: list[float] = []
        self._live: list[asyncio.Timeout] = []

    def __call__(self, seconds: float) -> asyncio.Timeout:
        self.requested.append(seconds)
        deadline = asyncio.timeout(None)
        self._live.append(deadline)
        return deadline

    def expire(self) -> None:
        """The attempt under way runs out of time now."""
        self._live[-1].reschedule(asyncio.get_running_loop().time())


def timing(sleep: ManualSleep | None = None, deadline: ManualDeadlines | None = None) -> LifecycleTiming:
    """Production timing, with a seeded back-off and (given them) waits the test controls."""
    base = LifecycleTiming(backoff=Backoff(rng=random.Random(13)))
    if sleep is not None:
        base = replace(base, sleep=sleep)
    if deadline is not None:
        base = replace(base, deadline=deadline)
    return base


def settings_for(tmp_path: Path, token: str = TOKEN) -> HostConfig:
    return HostConfig.from_env({"DISCORD_TOKEN": token, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"})


def send_signal(signum: int = signal.SIGTERM) -> None:
    os.kill(os.getpid(), signum)


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name in RETRY_LOGGERS and r.levelno == logging.WARNING]


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """No error and no traceback anywhere in the log (every failure was one plain line)."""
    loud = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == []


@dataclass
class Served:
    """The bot running under `serve`, as `python -m bot` runs it, with handles for the test."""

    bot: QuizBot
    db: Database
    task: asyncio.Task[None]

    async def wait_connected(self, fake: FakeDiscord) -> None:
        await eventually(lambda: fake.connected and self.bot.is_ready(), 10, what="the bot to connect")

    async def ended(self, timeout: float = 10.0) -> None:
        """Wait for `serve` to return (it must, within the 10 s a shutdown may take)."""
        await asyncio.wait_for(asyncio.shield(self.task), timeout)


@contextlib.asynccontextmanager
async def serving(fake: FakeDiscord, tmp_path: Path, lifecycle: LifecycleTiming, *,
                  game_speed: float = 10.0, shutdown_wait: float | None = None) -> AsyncIterator[Served]:
    """Run QuizBot under `serve`; quiz rounds run `game_speed` times faster than real time."""
    settings = settings_for(tmp_path)
    db = await open_database(settings.database_url)
    timing = Timing(wall_clock=ManualWallClock(), game_clock=GameClock(game_speed), reveal_pause=1.0)
    if shutdown_wait is not None:
        timing = dataclasses.replace(timing, shutdown_wait=shutdown_wait)
    bot = QuizBot(settings, db, CONTENT, timing=timing)
    bot._connection.guild_ready_timeout = 0.02  # on_ready at once: the fake sends every guild together
    try:
        async with pointed_at(fake):
            task = asyncio.create_task(serve(bot, TOKEN, lifecycle))
            try:
                yield Served(bot, db, task)
            finally:
                if not task.done():
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):  # the test checked it
                    await task
                if not bot.is_closed():
                    await bot.close()
    finally:
        await db.close()
