"""How long to wait before trying Discord again: exponential back-off with jitter (no discord)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Backoff"]


@dataclass(frozen=True)
class Backoff:
    """Retry n waits a random time between half and all of min(cap, base * 2**(n - 1)) seconds.

    Doubling keeps a long outage from costing Discord (and our invalid-request budget) more than
    a request every `cap` seconds; the jitter keeps many bots from retrying in step after an
    outage ends; the lower half-bound keeps a retry from following a failure at once.
    """

    base: float = 1.0
    cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.base <= self.cap:
            raise ValueError("need 0 < base <= cap")

    def delays(self) -> Iterator[float]:
        """The waits before retry 1, 2, 3, …, endlessly (a fresh series starts again from base)."""
        ceiling = self.base
        while True:
            yield self.rng.uniform(ceiling / 2, ceiling)
            ceiling = min(self.cap, ceiling * 2)
