"""The fact deck and the cooldown: pure rules."""

import itertools
import random

import pytest

from bot.facts.deck import Deck, draw

IDS = [f"f{i}" for i in range(7)]


def draw_many(deck: Deck, ids, n: int, seed: int = 1):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        fact, deck = draw(deck, ids, rng)
        out.append(fact)
    return out, deck


def test_every_fact_comes_once_before_any_repeats() -> None:
    drawn, _ = draw_many(Deck(), IDS, len(IDS))
    assert sorted(drawn) == sorted(IDS)


@pytest.mark.parametrize("seed", range(50))
def test_a_new_cycle_never_starts_with_the_last_fact(seed: int) -> None:
    drawn, _ = draw_many(Deck(), IDS, len(IDS) * 4, seed)
    assert all(a != b for a, b in itertools.pairwise(drawn))
    for cycle in range(4):
        assert sorted(drawn[cycle * 7 : cycle * 7 + 7]) == sorted(IDS)


def test_a_one_fact_pool_keeps_serving_that_fact() -> None:
    drawn, _ = draw_many(Deck(), ["only"], 3)
    assert drawn == ["only"] * 3


def test_facts_added_later_join_the_current_cycle_and_removed_ones_are_skipped() -> None:
    drawn, deck = draw_many(Deck(), IDS, 3)
    pool = [*IDS[1:], "new"]  # f0 removed, "new" added
    rest, _ = draw_many(deck, pool, len(pool) - len(set(drawn) & set(pool)), seed=2)
    assert sorted(set(drawn) & set(pool) | set(rest)) == sorted(pool)
    assert "f0" not in rest


def test_an_empty_pool_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty pool"):
        draw(Deck(), [], random.Random())
