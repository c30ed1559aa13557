"""An injectable monotonic clock, so tests can jump past Discord's time limits instantly."""

from __future__ import annotations

import time


class Clock:
    """time.monotonic() plus an offset that tests advance."""

    def __init__(self) -> None:
        self._offset = 0.0

    def monotonic(self) -> float:
        """Seconds on the (possibly advanced) monotonic clock."""
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward, e.g. 15 minutes to expire interaction tokens."""
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._offset += seconds
