"""A wall clock that moves only when a test moves it, for building the bot in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["MIDDAY", "TEST_DAY_STARTS", "ManualWallClock"]

MIDDAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# The instants around a day boundary where calendar code breaks: tests that depend on the date run
# at each of them (a Sunday night into a Monday, and the last second of a month into the next).
TEST_DAY_STARTS = (
    MIDDAY,
    datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC),
)


class ManualWallClock:
    """A UTC wall clock for the bot that stands still until `set` or `advance` moves it."""

    def __init__(self, now: datetime = MIDDAY) -> None:
        self._now = now

    def __call__(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("the wall clock is in UTC: give an aware datetime")
        self._now = now

    def advance(self, delta: timedelta) -> None:
        self._now += delta
