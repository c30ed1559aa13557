"""Posting the fact of the day at least once.

The protocol, per server and day:
1. **claim**: draw the fact and record (day, fact, pending) in one write; a claim only succeeds
   for a day not yet claimed, so two checks (or two processes) never both post.
2. **post** it with a nonce derived from the server and the day, which Discord enforces: a repeat
   of the same post within a few minutes returns the message already created instead of a second.
3. **finish**: record posted (or refused, with a notice for the moderators).

A crash or a passing failure anywhere before 3 leaves the day pending, and the next check posts
the same fact with the same nonce. So the fact survives a crash at any point; the only way to get
it twice is a crash in the instant after Discord created the message and before step 3, followed
by a restart later than Discord's nonce window.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.content import ContentStore, Fact
from bot.facts.daily import DailyFactTarget, DailyState, daily_nonce, is_due
from bot.facts.dealer import FactDealer, deck_scope
from bot.notices import NoticeSubject
from bot.storage import DatabaseUnavailable
from bot.storage.facts import FactRepo
from bot.storage.servers import ServerRepo

__all__ = ["DailyFacts", "DailyPost", "PostOutcome", "Poster", "TransientPostError"]

log = logging.getLogger(__name__)


class PostOutcome(StrEnum):
    POSTED = "posted"
    REFUSED = "refused"  # the channel is gone or the bot may not post there: a moderator must act


@dataclass(frozen=True, slots=True)
class DailyPost:
    """What posting returned: posted, or refused with the problem to show in /config show."""

    outcome: PostOutcome
    problem: str | None = None


class TransientPostError(Exception):
    """A failure worth trying again at the next check (a 5xx, a timeout, a dropped connection)."""


# Posts one fact in the target's channel with the nonce; raises TransientPostError to retry later.
Poster = Callable[[DailyFactTarget, Fact, str], Awaitable[DailyPost]]


class DailyFacts:
    """Post the fact of the day wherever it is due, at least once and (within Discord's nonce window) once only."""

    def __init__(
        self,
        repo: FactRepo,
        dealer: FactDealer,
        notices: ServerRepo,
        content_for: Callable[[int], Awaitable[ContentStore]] | None = None,
    ) -> None:
        self._repo = repo
        self._dealer = dealer
        self._notices = notices
        self._content_for = content_for  # a server's own content; None: the dealer's for every server
        self._in_flight: set[int] = set()  # servers being posted to by this process right now

    async def post_due(self, now: datetime, post: Poster, is_ours: Callable[[int], bool]) -> int:
        """Post wherever due (in the servers `is_ours` accepts); return how many were posted."""
        posted = 0
        for target in await self._repo.daily_targets():
            if target.guild_id in self._in_flight or not is_ours(target.guild_id):
                continue
            if not is_due(now, target.hour, target.day, target.state):
                continue
            self._in_flight.add(target.guild_id)
            try:
                posted += await self._post_one(target, now.date(), post)
            except DatabaseUnavailable:
                raise  # every server's trouble: the whole check is tried again next time
            except TransientPostError as error:  # one server's trouble never keeps the others from theirs
                log.warning("fact of the day in guild %s: %s; trying again at the next check", target.guild_id, error)
            except Exception:
                log.exception("fact of the day failed in guild %s; trying again at the next check", target.guild_id)
            finally:
                self._in_flight.discard(target.guild_id)
        return posted

    async def _post_one(self, target: DailyFactTarget, day: date, post: Poster) -> int:
        fact = await self._todays_fact(target, day)
        if fact is None:
            return 0
        result = await post(target, fact, daily_nonce(target.guild_id, day))
        if result.outcome is PostOutcome.POSTED:
            await self._repo.finish_daily_post(target.guild_id, day, DailyState.POSTED)
            await self._notices.clear_notice(target.guild_id, NoticeSubject.DAILY_FACT)
            log.info("posted the fact of the day in guild %s", target.guild_id)
            return 1
        problem = result.problem or "Fact of the day: Discord refused my post."
        log.warning("guild %s: %s", target.guild_id, problem)
        await self._repo.finish_daily_post(target.guild_id, day, DailyState.REFUSED)
        await self._notices.add_notice(target.guild_id, NoticeSubject.DAILY_FACT, problem)
        return 0

    async def _todays_fact(self, target: DailyFactTarget, day: date) -> Fact | None:
        """The fact claimed for today: the pending one again, or a new draw claimed now."""
        content = await self._content_for(target.guild_id) if self._content_for is not None else None
        if target.day == day and target.state is DailyState.PENDING and target.fact_id is not None:
            fact = self._dealer.fact(target.fact_id, content)
            if fact is not None:
                return fact
        fact = await self._dealer.next_fact(deck_scope(target.guild_id, 0), content=content)
        if fact is None:
            return None
        if target.day == day:  # pending, but its fact is gone from the content: keep the claim, new fact
            await self._repo.repick_daily_post(target.guild_id, day, fact.id)
            return fact
        if not await self._repo.claim_daily_post(target.guild_id, day, fact.id):
            return None  # claimed meanwhile (another process): it posts
        return fact
