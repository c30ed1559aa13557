"""Choosing a round's questions so a server sees every question of a topic before any repeats."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import NamedTuple


class QuestionPick(NamedTuple):
    """The chosen ids in play order, and whether the pool had to be reused (cycled)."""

    ids: tuple[str, ...]
    # True when already-asked ids were reused: the caller should replace the topic's history
    # with exactly `ids`, so the new cycle starts with what this round asks.
    cycled: bool


def pick_questions(
    pool_ids: Sequence[str], already_asked: Collection[str], count: int, rng: random.Random
) -> QuestionPick:
    """Pick up to count distinct ids, unasked first, refilling from asked ones only when needed."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    pool = list(dict.fromkeys(pool_ids))  # drop duplicates, keep order so rng alone decides
    asked = already_asked if isinstance(already_asked, set | frozenset) else set(already_asked)
    unasked = [qid for qid in pool if qid not in asked]
    if len(unasked) >= count:
        return QuestionPick(tuple(rng.sample(unasked, count)), cycled=False)

    reused = [qid for qid in pool if qid in asked]
    refill = rng.sample(reused, min(count - len(unasked), len(reused)))
    chosen = unasked + refill
    rng.shuffle(chosen)  # mix so the reused questions are not all at the end
    return QuestionPick(tuple(chosen), cycled=bool(refill))
