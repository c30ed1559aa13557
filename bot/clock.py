"""The clocks and timing knobs the bot runs on, handed to it when it is built.

Nothing in the bot reads the time any other way: tests build the bot with a wall clock they move
by hand and a game clock that runs faster, so no test depends on the real time of day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["GameClock", "Timing", "WallClock", "utc_now"]

WallClock = Callable[[], datetime]

REVEAL_PAUSE = 5.0  # game seconds between a reveal and the next question
DAILY_CHECK_SECONDS = 60.0  # wall seconds between checks for a due fact of the day
CONFIRM_SECONDS = 60  # how long a moderator's Confirm button stays valid
SHUTDOWN_WAIT = 6.0  # wall seconds running rounds get to post their closing notice at shutdown
LATE_CLICK_GRACE = 0.5  # wall seconds a question stays open past its deadline for clicks on their way


def utc_now() -> datetime:
    """The real wall clock, in UTC (the default wall clock)."""
    return datetime.now(UTC)


class GameClock:
    """Monotonic game time. `speed` > 1 makes rounds run faster than the wall clock (tests)."""

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.monotonic()

    def now(self) -> float:
        """Return game seconds since the clock was made."""
        return (time.monotonic() - self._origin) * self.speed

    def ago(self, real_seconds: float) -> float:
        """Return the game time it was `real_seconds` of wall-clock time ago (never ahead of now)."""
        return self.now() - max(0.0, real_seconds) * self.speed

    def to_real(self, game_seconds: float) -> float:
        """Return how many wall-clock seconds a span of game time takes."""
        return game_seconds / self.speed


@dataclass(frozen=True, slots=True)
class Timing:
    """Every clock and timing knob of one bot.

    `wall_clock` (UTC) decides calendar matters and the timestamps shown and stored: weeks and
    months, the fact-of-the-day hour, confirmation expiry, "ask again in". `game_clock` times quiz
    rounds; it is monotonic, so a gateway reconnect or a clock step cannot shorten a question.
    `monotonic` paces the /fact cooldown, the REST budget and the late-click grace.
    `stamp_clock` is the clock Discord stamps interactions by (the real UTC wall clock; a fake
    Discord's in tests): a click's stamp is compared with it to tell how long the click waited
    for the bot. `late_click_grace` is the least time a question stays open past its deadline
    for clicks made in time that are still on their way (bot/quiz/lag.py).
    """

    wall_clock: WallClock = utc_now
    game_clock: GameClock = field(default_factory=GameClock)
    monotonic: Callable[[], float] = time.monotonic
    reveal_pause: float = REVEAL_PAUSE
    daily_check_seconds: float = DAILY_CHECK_SECONDS
    confirm_seconds: float = CONFIRM_SECONDS
    shutdown_wait: float = SHUTDOWN_WAIT
    stamp_clock: WallClock = utc_now
    late_click_grace: float = LATE_CLICK_GRACE

    def timestamp(self) -> float:
        """The wall clock as Unix seconds (for stored timestamps and Discord's <t:…> markup)."""
        return self.wall_clock().timestamp()
