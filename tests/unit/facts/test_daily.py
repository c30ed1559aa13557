"""The fact of the day: when it is due, and posting it at least once across crashes and failures."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.content import ContentStore
from bot.facts.daily import DailyState, daily_nonce, is_due
from bot.facts.daily_post import DailyFacts, DailyPost, PostOutcome, TransientPostError
from bot.facts.dealer import FactDealer
from bot.guild_settings import Setting
from bot.host_config import DEFAULT_CONTENT_PATH
from bot.notices import NoticeSubject
from bot.storage.facts import FactRepo
from bot.storage.servers import ServerRepo

CONTENT = ContentStore.load(DEFAULT_CONTENT_PATH)
GUILD, MOD, CHANNEL = 111, 9, 5
AT_NINE = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hour_now", "set_hour", "last", "state", "due"),
    [
        (8, 9, None, DailyState.POSTED, False),  # before the hour
        (9, 9, None, DailyState.POSTED, True),  # at the hour
        (23, 9, None, DailyState.POSTED, True),  # the bot was down at 9: post when it is back the same day
        (10, 9, date(2026, 11, 22), DailyState.POSTED, False),  # already posted today
        (10, 9, date(2026, 11, 22), DailyState.REFUSED, False),  # refused today: a moderator must act first
        (10, 9, date(2026, 11, 22), DailyState.PENDING, True),  # claimed but never confirmed: again
        (10, 9, date(2026, 11, 21), DailyState.POSTED, True),  # posted yesterday
        (8, 9, date(2026, 11, 21), DailyState.PENDING, False),  # yesterday's lost post waits for today's hour
    ],
)
def test_daily_fact_is_due_once_a_day_from_the_hour(hour_now, set_hour, last, state, due) -> None:
    now = datetime(2026, 11, 22, hour_now, 30, tzinfo=UTC)
    assert is_due(now, set_hour, last, state) is due


def test_the_nonce_is_the_same_for_a_day_and_fits_discord() -> None:
    day = date(2026, 11, 22)
    assert daily_nonce(GUILD, day) == daily_nonce(GUILD, day)
    assert daily_nonce(GUILD, day) != daily_nonce(GUILD, day + timedelta(days=1))
    assert daily_nonce(GUILD, day) != daily_nonce(GUILD + 1, day)
    assert len(daily_nonce(2**63, day)) <= 25


class Poster:
    """Stands in for posting to Discord: records each try, and fails as told."""

    def __init__(self, *failures: BaseException | DailyPost) -> None:
        self.tries: list[tuple[str, str]] = []
        self._failures = list(failures)

    async def __call__(self, target, fact, nonce: str) -> DailyPost:
        self.tries.append((fact.id, nonce))
        if self._failures:
            failure = self._failures.pop(0)
            if isinstance(failure, DailyPost):
                return failure
            raise failure
        return DailyPost(PostOutcome.POSTED)


@pytest.fixture(autouse=True)
async def daily_fact_on(db) -> None:
    await ServerRepo(db).change(GUILD, {Setting.DAILY_FACT_CHANNEL: CHANNEL, Setting.DAILY_FACT_HOUR: 9}, MOD)


def service(db) -> DailyFacts:
    """A fresh service, as a (re)started process builds it: nothing in memory."""
    repo = FactRepo(db)
    return DailyFacts(repo, FactDealer(CONTENT, repo), ServerRepo(db))


def everywhere(guild_id: int) -> bool:
    return True


async def state(db) -> DailyState:
    return (await FactRepo(db).daily_targets())[0].state


async def test_it_posts_once_at_the_hour(db) -> None:
    daily, post = service(db), Poster()
    assert await daily.post_due(AT_NINE - timedelta(seconds=1), post, everywhere) == 0
    assert await daily.post_due(AT_NINE, post, everywhere) == 1
    assert await daily.post_due(AT_NINE + timedelta(hours=14, minutes=59), post, everywhere) == 0
    assert len(post.tries) == 1
    assert await state(db) is DailyState.POSTED


async def test_a_crash_between_the_claim_and_the_post_loses_nothing(db) -> None:
    crashed = Poster(asyncio.CancelledError())  # the process died while posting
    with pytest.raises(asyncio.CancelledError):
        await service(db).post_due(AT_NINE, crashed, everywhere)
    assert await state(db) is DailyState.PENDING
    restarted = Poster()
    assert await service(db).post_due(AT_NINE + timedelta(minutes=2), restarted, everywhere) == 1
    assert restarted.tries == crashed.tries, "the same fact, with the same nonce (so Discord can drop a repeat)"
    assert await service(db).post_due(AT_NINE + timedelta(minutes=3), Poster(), everywhere) == 0


async def test_a_passing_failure_is_a_warning_and_the_next_check_tries_again(db, caplog) -> None:
    daily, post = service(db), Poster(TransientPostError("503 Service Unavailable"))
    with caplog.at_level(logging.WARNING, logger="bot.facts.daily"):
        assert await daily.post_due(AT_NINE, post, everywhere) == 0
    assert [(r.levelname, r.exc_info) for r in caplog.records] == [("WARNING", None)]
    assert "503" in caplog.records[0].getMessage()
    assert await daily.post_due(AT_NINE + timedelta(minutes=1), post, everywhere) == 1
    assert post.tries[0] == post.tries[1]


async def test_a_refused_post_leaves_a_notice_and_waits_for_tomorrow(db) -> None:
    refused = DailyPost(PostOutcome.REFUSED, "Fact of the day: I'm missing **Embed Links** in #quiz.")
    daily, post = service(db), Poster(refused)
    assert await daily.post_due(AT_NINE, post, everywhere) == 0
    [notice] = await ServerRepo(db).notices(GUILD)
    assert (notice.subject, notice.message) == (NoticeSubject.DAILY_FACT, refused.problem)
    assert await daily.post_due(AT_NINE + timedelta(hours=1), post, everywhere) == 0
    assert await daily.post_due(AT_NINE + timedelta(days=1), post, everywhere) == 1
    assert await ServerRepo(db).notices(GUILD) == [], "a post that worked clears the notice"


async def test_servers_of_another_process_are_left_alone(db) -> None:
    post = Poster()
    assert await service(db).post_due(AT_NINE, post, lambda guild_id: guild_id != GUILD) == 0
    assert post.tries == []


async def test_a_server_plays_its_own_content_and_a_pending_fact_hidden_since_is_drawn_again(db) -> None:
    crashed = Poster(asyncio.CancelledError())
    with pytest.raises(asyncio.CancelledError):
        await service(db).post_due(AT_NINE, crashed, everywhere)
    pending = crashed.tries[0][0]
    hidden = ContentStore(CONTENT.packs, hidden_facts={pending})
    asked: list[int] = []

    async def content_for(guild_id: int) -> ContentStore:
        asked.append(guild_id)
        return hidden

    repo = FactRepo(db)
    restarted = DailyFacts(repo, FactDealer(CONTENT, repo), ServerRepo(db), content_for)
    post = Poster()
    assert await restarted.post_due(AT_NINE + timedelta(minutes=2), post, everywhere) == 1
    assert asked == [GUILD]
    assert post.tries[0][0] != pending and hidden.shows_fact(post.tries[0][0])
