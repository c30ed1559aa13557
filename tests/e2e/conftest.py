"""The real bot, with unmodified discord.py, against the loopback fake Discord.

`botctl` starts the bot the way `python -m bot` does (settings, database, content, QuizBot) and
can stop and restart it on the same database, which is how the restart tests work.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.client import QuizBot, build_bot
from bot.clock import GameClock, Timing
from bot.content import ContentStore
from bot.host_config import DEFAULT_CONTENT_PATH, HostConfig
from bot.storage import Database, open_database
from bot.storage.leases import ShardLeases, hold_leases
from tests.fake_token import FAKE_TOKEN
from tests.fakediscord import FakeDiscord, running

# Every test here fails on an ERROR or a traceback in the log that it did not expect (autouse).
from tests.logcheck import bot_log  # noqa: F401
from tests.wallclock import ManualWallClock

TOKEN = FAKE_TOKEN
CONTENT = ContentStore.load(DEFAULT_CONTENT_PATH)  # immutable: one load serves every test


@dataclass
class World:
    """A server with a few channels and members, as most tests need."""

    guild: object
    general: object
    quiz: object
    mod: object
    players: list



@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN) as server:
        yield server
        # Every end-to-end test, whatever else it checks: the bot never went past Discord's rate
        # limits (discord.py retries a 429 with a warning only, so nothing else would notice).
        # Injected 429s are a test's own doing and not listed here.
        assert not server.rate_limited, "the bot was rate-limited: " + "; ".join(
            f"{r.route}: {r.reason}" for r in server.rate_limited
        )


@pytest.fixture
def world(fake: FakeDiscord) -> World:
    guild = fake.add_guild("Dunder Mifflin Fans")
    general = guild.add_text_channel("general")
    quiz = guild.add_text_channel("quiz")
    mod = guild.add_member("Michael", permissions=["manage_guild", "manage_messages"])
    players = [guild.add_member(name) for name in ("Jim", "Pam", "Dwight", "Angela", "Kevin")]
    return World(guild, general, quiz, mod, players)


class BotControl:
    """Start, stop and restart the bot against the fake, keeping its database between runs."""

    def __init__(self, fake: FakeDiscord, database_url: str) -> None:
        self.fake = fake
        self.env = {"DISCORD_TOKEN": TOKEN, "DATABASE_URL": database_url}
        self.bot: QuizBot | None = None
        self.db: Database | None = None
        self.leases: ShardLeases | None = None
        self._stack: contextlib.AsyncExitStack | None = None
        # The bot's wall clock stands still unless a test moves it, and lives across restarts.
        self.wall_clock = ManualWallClock()
        self.game_speed = 10.0  # quiz rounds run ten times faster than real time
        self.reveal_pause = 1.0
        self.daily_check_seconds = 60.0
        self.confirm_seconds = 60.0
        self.content = CONTENT  # a test may play other packs

    def timing(self) -> Timing:
        """The clocks and knobs the next start builds the bot with."""
        return Timing(
            wall_clock=self.wall_clock,
            game_clock=GameClock(self.game_speed),
            reveal_pause=self.reveal_pause,
            daily_check_seconds=self.daily_check_seconds,
            confirm_seconds=self.confirm_seconds,
        )

    async def start(self, **env: str) -> QuizBot:
        settings = HostConfig.from_env({**self.env, **env})
        self.db = await open_database(settings.database_url)
        # As python -m bot does: on PostgreSQL, wait for the leases of this process's shards.
        self.leases = await hold_leases(settings.database_url, settings.shards)
        bot = build_bot(settings, self.db, self.content, timing=self.timing())
        self._stack = contextlib.AsyncExitStack()
        await self._stack.__aenter__()
        await self._stack.enter_async_context(running(bot, self.fake, skip_reidentify_delay=True))
        self.bot = bot
        return bot

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
        if self.leases is not None:
            await self.leases.release()
            self.leases = None
        if self.db is not None:
            await self.db.close()
            self.db = None
        self.bot = None

    async def restart(self, **env: str) -> QuizBot:
        await self.stop()
        return await self.start(**env)


@pytest.fixture
async def botctl(fake: FakeDiscord, database_url: str) -> AsyncIterator[BotControl]:
    """The bot on SQLite and, in a second run of the test, on PostgreSQL (`database_url`)."""
    control = BotControl(fake, database_url)
    yield control
    await control.stop()


@pytest.fixture
async def bot(botctl: BotControl, world: World) -> QuizBot:
    return await botctl.start()


def embed_text(embed: dict) -> str:
    """All the text of an embed, for assertions that do not care where a phrase sits."""
    parts = [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]
    for field in embed.get("fields", []):
        parts += [field["name"], field["value"]]
    return "\n".join(parts)


async def press(fake: FakeDiscord, rec, member, index: int = 0):
    """Press button `index` under the message `rec` answered with; wait for its final text."""
    before = rec.original.content
    click = await fake.click(rec.original, rec.original.buttons[index]["custom_id"], member)
    await click.response()
    await rec.wait_until(
        lambda r: r.original.content not in (before, "Working on it…"), 2.0, "the confirmation to finish"
    )
    return click
