"""A per-user cooldown with an injectable clock: a few facts, then a short wait."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable

__all__ = ["Cooldown"]


class Cooldown:
    """Allow `rate` uses per `per` seconds for each key (a sliding window)."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float], *, forget_above: int = 10_000) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("rate must be at least 1 and per positive")
        self.rate = rate
        self.per = per
        self._clock = clock
        self._uses: dict[Hashable, deque[float]] = {}
        self._forget_above = forget_above  # keys kept before idle ones are dropped
        self._forget_at = forget_above

    def try_use(self, key: Hashable) -> float:
        """Record a use and return 0, or return the seconds to wait when on cooldown."""
        now = self._clock()
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.per:
            uses.popleft()
        if len(uses) >= self.rate:
            return uses[0] + self.per - now
        uses.append(now)
        self._forget_idle(now)
        return 0.0

    def give_back(self, key: Hashable) -> None:
        """Undo the key's latest use (one that did not happen after all, such as a failed download)."""
        uses = self._uses.get(key)
        if uses:
            uses.pop()

    def __len__(self) -> int:
        return len(self._uses)

    def _forget_idle(self, now: float) -> None:
        # Keep memory bounded (by about twice the most users ever active in one window): drop keys
        # whose uses have all expired. The next sweep waits until the map has doubled, so a crowd
        # of active users (all kept) does not make every call sweep them all again.
        if len(self._uses) > self._forget_at:
            self._uses = {k: v for k, v in self._uses.items() if v and v[-1] > now - self.per}
            self._forget_at = max(self._forget_above, 2 * len(self._uses))
