"""SIGTERM and Ctrl-C: `python -m bot`'s own run path closes rounds and the database in time."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time

import pytest

from bot import __main__ as entry
from bot.settings import Settings
from tests.e2e.conftest import TOKEN
from tests.e2e.quizkit import is_question, is_standings, start_round
from tests.fakediscord import pointed_at
from tests.fakediscord.harness import eventually


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_closes_running_rounds_and_the_database_within_ten_seconds(fake, world, tmp_path, signum):
    db_path = tmp_path / "bot.db"
    settings = Settings.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{db_path}"})
    async with pointed_at(fake):
        run = asyncio.create_task(entry._run_bot(settings))
        await eventually(lambda: fake.connected and fake.sync_calls, timeout=10, what="the bot to connect")
        await asyncio.sleep(0.1)
        await start_round(fake, world.guild, world.quiz, world.players[0], questions=5, seconds=60)
        await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
        began = time.monotonic()
        os.kill(os.getpid(), signum)
        status = await asyncio.wait_for(run, timeout=10)
    assert status == 0
    assert time.monotonic() - began < 10
    notice = next(m for m in fake.messages(world.quiz) if is_standings(m, "Round interrupted"))
    assert "shutting down" in notice.embeds[0]["description"]
    with sqlite3.connect(db_path) as conn:  # nothing half-written, and the round is closed
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT status FROM rounds").fetchone()[0] == "interrupted"
