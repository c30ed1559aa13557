"""Calendar periods for weekly and monthly standings (UTC, ISO weeks). Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

__all__ = ["Period", "period_key", "period_keys"]


class Period(StrEnum):
    ALL_TIME = "all-time"
    WEEK = "week"
    MONTH = "month"


def period_key(period: Period, when: datetime) -> str:
    """Return the stored key of the week or month that contains `when`."""
    when = when.astimezone(UTC)
    if period is Period.WEEK:
        year, week, _ = when.isocalendar()
        return f"week:{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"month:{when.year}-{when.month:02d}"
    raise ValueError("all-time has no period key")


def period_keys(when: datetime) -> tuple[str, str]:
    """Return the week and month keys an answer given at `when` counts towards."""
    return period_key(Period.WEEK, when), period_key(Period.MONTH, when)
