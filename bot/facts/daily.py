"""When the fact of the day is due, and what identifies one day's post: pure date logic, in UTC."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = ["DailyFactTarget", "DailyState", "daily_nonce", "is_due"]


class DailyState(StrEnum):
    """Where a server's fact of the day stands for the day it was claimed on."""

    PENDING = "pending"  # claimed, not yet known to be posted: the next check posts it (again)
    POSTED = "posted"
    REFUSED = "refused"  # the channel is gone or the bot may not post there


@dataclass(frozen=True, slots=True)
class DailyFactTarget:
    """A server with the fact of the day on, and its latest claim (day None: never claimed)."""

    guild_id: int
    channel_id: int
    hour: int
    day: date | None
    state: DailyState
    fact_id: str | None


def is_due(now: datetime, hour: int, last_day: date | None, state: DailyState = DailyState.POSTED) -> bool:
    """Return whether a server's daily fact should be posted now.

    Due from the set hour until midnight UTC, once per day: if the bot was down at that hour, it
    posts when it comes back the same day, and not again. Today's claim left pending (a crash, a
    passing failure) is due again at once.
    """
    if last_day == now.date():
        return state is DailyState.PENDING
    return now.hour >= hour


def daily_nonce(guild_id: int, day: date) -> str:
    """The message nonce of a server's fact of the day: the same for every try on that day (≤ 25 chars)."""
    return "fotd" + hashlib.sha256(f"{guild_id}:{day.isoformat()}".encode()).hexdigest()[:20]
