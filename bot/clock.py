"""The time a round runs on: monotonic game seconds, which tests can make run faster."""

from __future__ import annotations

import time

__all__ = ["GameClock"]


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
