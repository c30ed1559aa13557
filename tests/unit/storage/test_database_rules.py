"""Rules that several processes could break, enforced by the database itself (both backends).

Each test opens the same database twice, as two bot processes would, and races them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.periods import Period
from bot.quiz import AskedQuestion, Round, RoundStatus
from bot.storage import Conflict, open_database
from bot.storage.facts import FactRepo
from bot.storage.leaderboard import LeaderboardRepo
from bot.storage.migrations import MIGRATIONS
from bot.storage.rounds import RoundRepo

GUILD = 100
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
async def two(database_url: str):
    """Two independent connections to one migrated database."""
    first = await open_database(database_url)
    second = await open_database(database_url)
    yield first, second
    await second.close()
    await first.close()


def create(repo: RoundRepo, channel: int):
    return repo.create(
        guild_id=GUILD,
        channel_id=channel,
        starter_id=1,
        topic=None,
        question_count=1,
        seconds=20,
        started_at=NOW.timestamp(),
        question_ids=["q1"],
        history_topic="",

    )


def one_question_round(round_id: int, answers: dict[int, int]):
    round_ = Round(round_id, GUILD, 1, 1, [AskedQuestion("q1", "Q?", ("a", "b"), 0, "", None)], 20)
    round_.open_next(0.0)
    for user, option in answers.items():
        round_.answer(user, f"player {user}", 0, option, 1.0)
    return round_.close(20.0)


async def test_migrations_started_at_once_by_two_processes_apply_once(database_url: str) -> None:
    first, second = await asyncio.gather(open_database(database_url), open_database(database_url))
    try:
        rows = await first.fetch_all("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in rows] == [m.version for m in MIGRATIONS]
    finally:
        await second.close()
        await first.close()


async def test_one_running_round_per_channel(two) -> None:
    first, second = two
    results = await asyncio.gather(
        create(RoundRepo(first), 7), create(RoundRepo(second), 7), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"]
    round_id = next(r for r in results if isinstance(r, int))
    await create(RoundRepo(second), 8)  # another channel is free
    await RoundRepo(first).finish(round_id, RoundStatus.FINISHED, NOW.timestamp())
    await create(RoundRepo(second), 7)  # and this one again once its round ended


async def test_a_stale_running_round_can_be_cleared_by_the_channels_owner(db) -> None:
    repo = RoundRepo(db)
    await create(repo, 7)
    with pytest.raises(Conflict):
        await create(repo, 7)
    assert await repo.interrupt_in_channel(7, NOW.timestamp()) == 1
    await create(repo, 7)


async def test_one_answer_per_player_per_question(two) -> None:
    first, second = two
    round_id = await create(RoundRepo(first), 7)
    result = one_question_round(round_id, {1: 0, 2: 1})
    await RoundRepo(first).record_question(GUILD, result, NOW.timestamp())
    with pytest.raises(Conflict):
        await RoundRepo(second).record_question(GUILD, result, NOW.timestamp())
    stats = await LeaderboardRepo(second).stats(GUILD, 1)
    assert (stats.answered, stats.correct) == (1, 1)  # the second write left nothing behind


async def test_the_fact_of_the_day_is_claimed_once(two) -> None:
    repos = [FactRepo(db) for db in two]
    day = date(2026, 11, 22)
    claims = await asyncio.gather(*(repos[i % 2].claim_daily_post(GUILD, day, "fact-a") for i in range(10)))
    assert claims.count(True) == 1
    assert await repos[0].claim_daily_post(GUILD, date(2026, 11, 23), "fact-b")


@pytest.mark.parametrize("write", ["reset", "record"])
async def test_a_reset_and_a_questions_totals_wait_for_each_other(two, write: str) -> None:
    """Both hold the server's lock, so a reset never falls between a question's totals tables.

    (On PostgreSQL each statement sees what others committed meanwhile: without the lock a
    reset's second DELETE could clear a weekly score whose all-time total its first one missed.)
    """
    first, second = two
    round_id = await create(RoundRepo(first), 7)
    result = one_question_round(round_id, {1: 0})
    async with first.transaction() as tx:
        await tx.lock(GUILD)
        if write == "reset":
            waiting = asyncio.create_task(LeaderboardRepo(second).reset(GUILD, Period.ALL_TIME, NOW))
        else:
            waiting = asyncio.create_task(RoundRepo(second).record_question(GUILD, result, NOW.timestamp()))
        await asyncio.sleep(0.3)
        assert not waiting.done()
    await waiting
