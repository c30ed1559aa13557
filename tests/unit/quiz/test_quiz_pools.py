"""A round's pool: by topic and difficulty, the refusal when it is too small, and its history."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content import DIFFICULTIES, ContentStore, Fact, Pack, Question
from bot.quiz import Difficulty, PoolTooSmall, check_pool, plan_round, question_pool


def store(levels: dict[str, int], topic: str = "filming") -> ContentStore:
    """A store with `count` questions per difficulty, all on one fact of `topic`."""
    fact = Fact("f", "A fact.", (topic,), ("a.txt",), None, "p")
    questions = tuple(
        Question(f"q-{level}-{n}", "f", f"{level} {n}?", "Right", ("W1", "W2", "W3"), "Why.", level, False, "p")
        for level, count in levels.items()
        for n in range(count)
    )
    return ContentStore([Pack("p", "P", None, Path("p.toml"), (), (fact,), questions)])


def test_the_difficulties_are_the_contents_and_mixed() -> None:
    assert [d.value for d in Difficulty] == [*DIFFICULTIES, "mixed"]


def test_a_pool_holds_the_topics_questions_at_the_difficulty() -> None:
    content = store({"easy": 2, "hard": 1})
    assert question_pool(content, "filming", Difficulty.EASY) == ("q-easy-0", "q-easy-1")
    assert question_pool(content, None, Difficulty.HARD) == ("q-hard-0",)
    assert question_pool(content, "filming", Difficulty.MIXED) == content.question_ids("filming")
    assert question_pool(content, "cast", Difficulty.EASY) == ()


def test_a_round_at_one_difficulty_needs_every_question_it_asks_for() -> None:
    content = store({"easy": 5, "medium": 2, "hard": 0})
    assert check_pool(content, "filming", Difficulty.EASY, 5) == 5
    with pytest.raises(PoolTooSmall) as refused:
        check_pool(content, "filming", Difficulty.MEDIUM, 3)
    error = refused.value
    assert (error.available, error.wanted, error.difficulty, error.topic) == (2, 3, Difficulty.MEDIUM, "filming")
    assert error.by_difficulty == {"easy": 5, "medium": 2, "hard": 0}
    with pytest.raises(PoolTooSmall) as empty:
        check_pool(content, "filming", Difficulty.HARD, 1)
    assert empty.value.available == 0


def test_a_mixed_round_plays_what_there_is_but_not_nothing() -> None:
    content = store({"easy": 2, "medium": 1})
    assert check_pool(content, "filming", Difficulty.MIXED, 10) == 3
    with pytest.raises(PoolTooSmall):
        check_pool(content, "cast", Difficulty.MIXED, 5)


def test_a_round_draws_only_from_its_difficulty() -> None:
    content = store({"easy": 4, "hard": 4})
    plan = plan_round(content, None, set(), 3, random.Random(1), Difficulty.HARD)
    assert all(qid.startswith("q-hard") for qid in plan.question_ids) and len(plan.question_ids) == 3
    assert plan.forget_ids == ()


def test_a_used_up_pool_forgets_only_its_own_history() -> None:
    content = store({"easy": 4, "hard": 2})
    asked = {"q-hard-0", "q-hard-1", "q-easy-0"}
    plan = plan_round(content, None, asked, 2, random.Random(1), Difficulty.HARD)
    assert sorted(plan.question_ids) == ["q-hard-0", "q-hard-1"]
    assert set(plan.forget_ids) == {"q-hard-0", "q-hard-1"}, "the easy question's mark stays"


def test_a_typed_pool_leaves_out_true_false_and_untyped_questions() -> None:
    fact = Fact("f", "A fact.", ("filming",), ("a.txt",), None, "p")
    questions = (
        Question("q-typed", "f", "Who?", "Jim", ("Pam",), "Why.", "easy", False, "p", accept=("Jim Halpert",)),
        Question("q-true-false", "f", "True?", "True", ("False",), "Why.", "easy", False, "p"),
        Question("q-not-typed", "f", "Why?", "A long reason", ("Another",), "Why.", "easy", False, "p", typed=False),
    )
    content = ContentStore([Pack("p", "P", None, Path("p.toml"), (), (fact,), questions)])
    assert question_pool(content, None, Difficulty.MIXED, typed=True) == ("q-typed",)
    assert len(question_pool(content, None, Difficulty.MIXED)) == 3
    plan = plan_round(content, None, set(), 5, random.Random(1), typed=True)
    (asked,) = plan.questions
    assert asked.is_typed and asked.options == ("Jim",) and asked.accepted == ("Jim", "Jim Halpert")
    with pytest.raises(PoolTooSmall) as refused:
        check_pool(content, None, Difficulty.EASY, 2, typed=True)
    assert refused.value.typed and refused.value.by_difficulty == {"easy": 1, "medium": 0, "hard": 0}


def test_the_refusal_says_what_the_other_mode_has() -> None:
    from bot.ui.quiz import pool_too_small_message

    fact = Fact("f", "A fact.", ("filming",), ("a.txt",), None, "p")
    questions = (
        Question("q-true-false", "f", "True?", "True", ("False",), "Why.", "easy", False, "p"),
        Question("q-typed-only", None, "Who?", "Jim", (), "Why.", "easy", False, "p", topics=("cast",)),
    )
    content = ContentStore([Pack("p", "P", None, Path("p.toml"), (), (fact,), questions)])
    with pytest.raises(PoolTooSmall) as typed_refused:
        check_pool(content, "filming", Difficulty.EASY, 1, typed=True)
    assert pool_too_small_message(typed_refused.value) == (
        "There are no easy typed-answer questions about **Filming** yet. "
        "There is 1 easy question about **Filming** on buttons: leave out `mode`."
    )
    with pytest.raises(PoolTooSmall) as buttons_refused:
        check_pool(content, "cast", Difficulty.MIXED, 1)
    assert pool_too_small_message(buttons_refused.value) == (
        "There are no questions about **Cast** yet. There is 1 question about **Cast** to type: "
        "start it with `mode:typed`."
    )
