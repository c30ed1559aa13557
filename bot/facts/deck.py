"""A deck of facts: every fact once before any comes again, never the same one twice in a row.

The deck records which facts this cycle has already shown. Storing what was drawn (rather than
a shuffled order) keeps the deck right when content packs change between restarts: a new fact
is simply not drawn yet, and a removed one no longer counts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Deck", "draw"]


@dataclass(frozen=True, slots=True)
class Deck:
    """The facts shown so far in this cycle, and the last fact shown."""

    drawn: frozenset[str] = frozenset()
    last: str | None = None


def draw(deck: Deck, fact_ids: Sequence[str], rng: random.Random) -> tuple[str, Deck]:
    """Draw the next fact for the current pool; return it and the deck to store."""
    if not fact_ids:
        raise ValueError("cannot draw from an empty pool of facts")
    unseen = [fact for fact in fact_ids if fact not in deck.drawn]
    drawn = deck.drawn
    if not unseen:
        # A new cycle. Its first fact must not repeat the last one of the old cycle.
        drawn = frozenset()
        unseen = [fact for fact in fact_ids if fact != deck.last] or list(fact_ids)
    fact = rng.choice(unseen)
    return fact, Deck(drawn | {fact}, fact)
