"""A wall clock that moves only when a test moves it, for building the bot in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["MIDDAY", "ManualWallClock"]

MIDDAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


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
