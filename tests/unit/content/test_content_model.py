"""Questions present their options in a stable, testable order."""

from __future__ import annotations

import dataclasses
import random

import pytest

from bot.content import Fact, Question


def question(answer: str = "The kiss", wrong: tuple[str, ...] = ("Confession", "Both", "Neither")) -> Question:
    return Question(
        id="q",
        fact_id="f",
        prompt="Which was filmed first?",
        answer=answer,
        wrong=wrong,
        explanation="Because.",
        difficulty="easy",
        about_dispute=False,
        pack_id="p",
    )


def test_options_put_the_answer_first() -> None:
    assert question().options == ("The kiss", "Confession", "Both", "Neither")


@pytest.mark.parametrize(
    ("answer", "wrong", "expected"),
    [
        ("True", ("False",), True),
        ("False", ("True",), True),
        ("Yes", ("No",), False),
        ("True", ("Maybe",), False),
        ("True", ("False", "Maybe"), False),
    ],
)
def test_is_true_false(answer: str, wrong: tuple[str, ...], expected: bool) -> None:
    assert question(answer, wrong).is_true_false is expected


@pytest.mark.parametrize(("answer", "correct_index"), [("True", 0), ("False", 1)])
def test_true_false_is_always_shown_true_then_false(answer: str, correct_index: int) -> None:
    wrong = ("False",) if answer == "True" else ("True",)
    for seed in range(20):
        assert question(answer, wrong).presented_options(random.Random(seed)) == (("True", "False"), correct_index)


def test_multiple_choice_index_points_at_the_answer() -> None:
    q = question()
    for seed in range(50):
        options, correct = q.presented_options(random.Random(seed))
        assert options[correct] == "The kiss"
        assert sorted(options) == sorted(q.options)


def test_multiple_choice_is_shuffled_by_the_rng() -> None:
    q = question()
    positions = {q.presented_options(random.Random(seed))[1] for seed in range(50)}
    assert positions == {0, 1, 2, 3}


def test_the_same_seed_gives_the_same_order() -> None:
    q = question()
    first = [q.presented_options(random.Random(seed)) for seed in range(10)]
    again = [q.presented_options(random.Random(seed)) for seed in range(10)]
    assert first == again


def test_the_same_rng_gives_a_reproducible_sequence() -> None:
    q = question()
    rng_a, rng_b = random.Random(7), random.Random(7)
    assert [q.presented_options(rng_a) for _ in range(5)] == [q.presented_options(rng_b) for _ in range(5)]


def test_two_option_multiple_choice() -> None:
    q = question("Jenna", ("Pam",))
    for seed in range(10):
        options, correct = q.presented_options(random.Random(seed))
        assert set(options) == {"Jenna", "Pam"}
        assert options[correct] == "Jenna"


def test_contested_facts() -> None:
    plain = Fact("f", "Text.", ("filming",), ("000_a.txt",), None, "p")
    assert not plain.is_contested
    assert dataclasses.replace(plain, contested="They disagree.").is_contested


def test_content_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        question().answer = "Other"  # type: ignore[misc]
