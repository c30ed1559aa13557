"""How late clicks reach the bot, and so how long a question stays open past its deadline.

Discord stamps each click when the player makes it; a busy bot handles it later. A click counts
from its stamp (up to `MAX_CREDIT` back: Discord drops an interaction not answered within 3 s,
and a host clock out of step must not give anyone more), and a question closes only once clicks
stamped before its deadline have had time to arrive: `close_delay` past the deadline, from the
lag seen recently (never less than the grace it is built with, never more than `MAX_CREDIT`).
Pure: the caller passes the times.
"""

from __future__ import annotations

from collections import deque

__all__ = ["ClickLag"]

MAX_CREDIT = 2.5  # wall seconds
MARGIN = 0.25  # added to the worst recent lag
MEMORY = 5.0  # wall seconds of lag samples kept


class ClickLag:
    """The recent lag of clicks (wall seconds from Discord's stamp to the bot handling it)."""

    def __init__(self, grace: float) -> None:
        """`grace`: wall seconds a question stays open past its deadline when the bot keeps up."""
        self._grace = grace
        # (when seen, lag) with the lags decreasing: the head is the worst of the last MEMORY s.
        self._worst: deque[tuple[float, float]] = deque()

    def credit(self, lag: float, now: float) -> float:
        """Record a click's lag; return how far back it counts (0 to MAX_CREDIT)."""
        credited = min(max(lag, 0.0), MAX_CREDIT)
        while self._worst and self._worst[-1][1] <= credited:
            self._worst.pop()
        self._worst.append((now, credited))
        self._forget(now)
        return credited

    def close_delay(self, now: float) -> float:
        """How long past its deadline a question should stay open, given the lag seen lately."""
        self._forget(now)
        worst = self._worst[0][1] if self._worst else 0.0
        return min(max(worst + MARGIN, self._grace), MAX_CREDIT)

    def _forget(self, now: float) -> None:
        while self._worst and self._worst[0][0] < now - MEMORY:
            self._worst.popleft()
