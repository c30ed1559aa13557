"""Builders shared by the quiz engine tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.quiz import AskedQuestion, Round


def asked(n: int, options: int = 4, correct_index: int = 0) -> AskedQuestion:
    """A question whose right answer is option `correct_index`."""
    return AskedQuestion(
        question_id=f"q-{n}",
        prompt=f"Question {n}?",
        options=tuple(f"option {n}.{i}" for i in range(options)),
        correct_index=correct_index,
        explanation=f"Because {n}.",
    )


@pytest.fixture
def make_question() -> Callable[..., AskedQuestion]:
    """Build one question (see `asked`)."""
    return asked


@pytest.fixture
def make_round() -> Callable[..., Round]:
    """Build a round of `questions` four-option questions, answer A each time."""

    def build(questions: int = 3, seconds: float = 20, correct_index: int = 0) -> Round:
        return Round(
            round_id=1,
            guild_id=10,
            channel_id=20,
            starter_id=30,
            questions=[asked(n, correct_index=correct_index) for n in range(questions)],
            seconds_per_question=seconds,
        )

    return build
