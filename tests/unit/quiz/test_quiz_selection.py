"""Question selection: no repeats in a server until the topic's pool is used up."""

from __future__ import annotations

import random

import pytest

from bot.quiz import pick_questions

POOL = [f"q-{n}" for n in range(10)]


def test_unasked_questions_are_preferred() -> None:
    asked = set(POOL[:6])
    ids, cycled = pick_questions(POOL, asked, 4, random.Random(1))
    assert sorted(ids) == POOL[6:]
    assert cycled is False


def test_a_fresh_pool_gives_distinct_unasked_ids() -> None:
    pick = pick_questions(POOL, set(), 5, random.Random(2))
    assert len(pick.ids) == 5 and len(set(pick.ids)) == 5
    assert set(pick.ids) <= set(POOL)
    assert not pick.cycled


def test_using_up_the_pool_exactly_does_not_cycle() -> None:
    pick = pick_questions(POOL, set(POOL[:7]), 3, random.Random(3))
    assert sorted(pick.ids) == POOL[7:] and not pick.cycled


def test_too_few_unasked_takes_all_of_them_then_refills_and_signals_a_cycle() -> None:
    asked = set(POOL[:8])
    pick = pick_questions(POOL, asked, 5, random.Random(4))
    assert len(pick.ids) == 5 and len(set(pick.ids)) == 5
    assert {"q-8", "q-9"} <= set(pick.ids)
    assert len(set(pick.ids) & asked) == 3
    assert pick.cycled is True


def test_more_than_the_pool_gives_the_whole_pool_once() -> None:
    pick = pick_questions(POOL, {"q-0"}, 50, random.Random(5))
    assert sorted(pick.ids) == sorted(POOL)
    assert pick.cycled is True  # q-0 was reused


def test_more_than_a_fresh_pool_gives_the_whole_pool_without_a_cycle() -> None:
    pick = pick_questions(POOL, [], 50, random.Random(6))
    assert sorted(pick.ids) == sorted(POOL) and not pick.cycled


def test_an_empty_pool_gives_nothing() -> None:
    assert pick_questions([], {"q-0"}, 5, random.Random(7)) == ((), False)


def test_count_zero_gives_nothing_and_a_negative_count_is_rejected() -> None:
    assert pick_questions(POOL, set(), 0, random.Random(8)) == ((), False)
    with pytest.raises(ValueError):
        pick_questions(POOL, set(), -1, random.Random(8))


def test_duplicate_ids_in_the_pool_are_never_picked_twice() -> None:
    pick = pick_questions(["a", "a", "b", "b", "c"], set(), 10, random.Random(9))
    assert sorted(pick.ids) == ["a", "b", "c"]


def test_history_ids_outside_the_pool_are_ignored() -> None:
    pick = pick_questions(POOL, {"gone-1", "other-topic"}, 10, random.Random(10))
    assert sorted(pick.ids) == sorted(POOL) and not pick.cycled


def test_any_collection_works_as_history() -> None:
    expected = pick_questions(POOL, set(POOL[:5]), 5, random.Random(11))
    assert pick_questions(POOL, tuple(POOL[:5]), 5, random.Random(11)) == expected
    assert pick_questions(POOL, frozenset(POOL[:5]), 5, random.Random(11)) == expected


def test_the_same_seed_gives_the_same_pick() -> None:
    first = pick_questions(POOL, set(), 6, random.Random(42))
    assert pick_questions(POOL, set(), 6, random.Random(42)) == first


def test_reused_questions_are_mixed_into_the_round_not_appended() -> None:
    orders = {
        pick_questions(POOL, set(POOL[:8]), 4, random.Random(seed)).ids.index("q-9") for seed in range(40)
    }
    assert len(orders) > 1


def test_a_server_sees_the_whole_pool_before_any_repeat() -> None:
    """Follow the documented caller protocol over many rounds of awkward sizes."""
    rng = random.Random(12)
    history: set[str] = set()
    seen_this_cycle: list[str] = []
    for _ in range(30):
        pick = pick_questions(POOL, history, 3, rng)
        assert len(set(pick.ids)) == len(pick.ids) == 3
        if pick.cycled:
            fresh = [qid for qid in pick.ids if qid not in history]
            assert sorted(seen_this_cycle + fresh) == sorted(POOL)  # nothing left unseen
            history = set(pick.ids)  # the caller replaces the history
            seen_this_cycle = list(pick.ids)
        else:
            assert not set(pick.ids) & set(seen_this_cycle)  # no repeat within a cycle
            history |= set(pick.ids)
            seen_this_cycle += pick.ids
