"""A PostgreSQL server that goes away for a moment costs at most the open question.

The bot runs on PostgreSQL through a proxy that can drop every connection, as a restart or a
failover does. Meanwhile it answers commands with "try again in a moment", the round goes on,
and once the server is back everything works again without a restart of the bot.
"""

from __future__ import annotations

import logging

import pytest

from bot.errors import DATABASE_AWAY
from bot.storage import DatabaseUnavailable
from cogs.quiz import runner
from tests.e2e.conftest import BotControl
from tests.e2e.quizkit import answer, is_closed, is_question, is_standings, option_ids, start_round
from tests.postgres import Outage, new_schema

UNSAVED = runner.UNSAVED_NOTE


@pytest.fixture
async def outage(postgres_server_url: str):
    async with new_schema(postgres_server_url) as schema, Outage(postgres_server_url) as proxy:
        proxy.schema = schema
        yield proxy


async def test_a_round_survives_the_database_going_away_for_one_question(
    fake, world, outage, caplog, monkeypatch
) -> None:
    monkeypatch.setattr(runner, "SAVE_RETRY_WAIT", 0.05)
    control = BotControl(fake, outage.url(outage.schema))
    bot = await control.start()
    try:
        jim, pam = world.players[:2]
        await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
        q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
        right, _ = option_ids(q1)
        await answer(fake, q1, right, jim)

        outage.cut()
        board = await fake.invoke(world.guild, world.general, pam, "leaderboard")
        await board.response()
        assert board.ephemeral and board.content == DATABASE_AWAY
        # Answers are taken in memory: clicking needs no database.
        assert (await answer(fake, q1, right, pam)).startswith("Locked in")
        await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_closed(m), timeout=5)
        await fake.wait_for_message(world.quiz, lambda m: m.content == UNSAVED, timeout=5)

        outage.restore()
        q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
        right2, _ = option_ids(q2)
        await answer(fake, q2, right2, pam)
        await fake.wait_for_message(world.quiz, is_standings, timeout=5)

        totals = await bot.db.fetch_all("SELECT user_id, answered FROM player_totals ORDER BY user_id")
        assert [(r["user_id"], r["answered"]) for r in totals] == [(pam.user.id, 1)]  # only question 2
        board = await fake.invoke(world.guild, world.general, pam, "leaderboard")
        await board.response()
        assert "Pam" in board.embeds[0]["description"]
        assert (await bot.db.fetch_one("SELECT status FROM rounds"))["status"] == "finished"
    finally:
        await control.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("not saved after" in r.getMessage() for r in caplog.records)


async def test_a_question_whose_commit_was_not_confirmed_is_kept_once(fake, world, bot, monkeypatch) -> None:
    """The connection died after COMMIT: the write is tried again, finds it done, and counts it once."""
    monkeypatch.setattr(runner, "SAVE_RETRY_WAIT", 0.01)
    repo = bot.get_cog("Quiz").repo
    real = repo.record_question
    calls = []

    async def committed_but_unconfirmed(*args, **kwargs):
        calls.append(args)
        await real(*args, **kwargs)
        if len(calls) == 1:
            raise DatabaseUnavailable("the connection ended before the COMMIT was confirmed")

    monkeypatch.setattr(repo, "record_question", committed_but_unconfirmed)
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=5)
    question = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, _ = option_ids(question)
    await answer(fake, question, right, jim)
    await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert len(calls) == 2
    assert not [m for m in fake.messages(world.quiz) if m.content == UNSAVED]
    totals = await bot.db.fetch_one("SELECT answered FROM player_totals WHERE user_id = ?", (jim.user.id,))
    assert totals["answered"] == 1
