"""When the fact of the day is due: pure date logic, in UTC."""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["is_due"]


def is_due(now: datetime, hour: int, last_posted_on: date | None) -> bool:
    """Return whether a server's daily fact should be posted now.

    Due from the set hour until midnight UTC, once per day: if the bot was down at that hour,
    it posts when it comes back the same day, and not again.
    """
    return now.hour >= hour and last_posted_on != now.date()
