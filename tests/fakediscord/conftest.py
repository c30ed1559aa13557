"""Fixtures for the fake's own tests: a started FakeDiscord and a factory for minimal bots."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import discord
import pytest
from discord.ext import commands

# Every test here fails on an ERROR or a traceback in the log that it did not expect (autouse).
from tests.logcheck import bot_log  # noqa: F401

from .fake import FakeDiscord

TOKEN = "MTAx.fake-bot-token.for-tests"



@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A started fake with one guild ("Test Guild") holding #general and a member "alice"."""
    async with FakeDiscord(token=TOKEN) as server:
        guild = server.add_guild("Test Guild")
        guild.add_text_channel("general")
        guild.add_member("alice")
        yield server


@pytest.fixture
def make_bot() -> Callable[..., commands.Bot]:
    """Factory for a minimal, unmodified discord.py commands.Bot (default intents, no privileged ones)."""

    def build(**options: Any) -> commands.Bot:
        options.setdefault("intents", discord.Intents.default())
        return commands.Bot(command_prefix=commands.when_mentioned, help_command=None, **options)

    return build
