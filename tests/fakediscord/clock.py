"""An injectable monotonic clock, so tests can jump past Discord's time limits instantly."""

from __future__ import annotations

import time


class Clock:
    """time.monotonic() plus an offset that tests advance; a frozen clock moves only when advanced."""

    def __init__(self, *, frozen: bool = False) -> None:
        self._offset = 0.0
        self._frozen_at = time.monotonic() if frozen else None

    def monotonic(self) -> float:
        """Seconds on the (possibly advanced, possibly frozen) monotonic clock."""
        base = self._frozen_at if self._frozen_at is not None else time.monotonic()
        return base + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward, e.g. 15 minutes to expire interaction tokens."""
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._offset += seconds
