"""Typed play in the Round: one judged guess per player, the hint time and its speed bonus rule."""

from __future__ import annotations

import pytest

from bot.quiz import AnswerStatus, AskedQuestion, Round
from bot.quiz.hints import letter_hint
from bot.quiz.results import MISSED

T0 = 500.0


def typed(n: int, answer: str = "Jim Halpert", *aliases: str) -> AskedQuestion:
    return AskedQuestion(f"q-{n}", f"Who {n}?", (answer,), 0, "Because.", accepted=(answer, *aliases))


def typed_round(*questions: AskedQuestion, seconds: float = 20) -> Round:
    return Round(1, 10, 20, 30, list(questions) or [typed(0)], seconds)


def test_a_guess_is_judged_and_locked_in() -> None:
    rnd = typed_round(typed(0, "Michael Scott", "Mike Scott"))
    rnd.open_next(T0)
    right = rnd.answer_typed(1, "Jim", 0, "mike scot", T0 + 1)
    wrong = rnd.answer_typed(2, "Pam", 0, "Dwight", T0 + 2)
    assert (right.status, right.option_index, right.guess) == (AnswerStatus.ACCEPTED, 0, "mike scot")
    assert (wrong.status, wrong.option_index) == (AnswerStatus.ACCEPTED, MISSED)
    again = rnd.answer_typed(2, "Pam", 0, "Michael Scott", T0 + 3)
    assert (again.status, again.guess) == (AnswerStatus.DUPLICATE, "Dwight"), "the first guess counts"
    assert rnd.guess_refusal(2, 0, T0 + 3) == again
    assert rnd.guess_refusal(3, 0, T0 + 3) is None
    result = rnd.close(T0 + 20)
    assert [(a.user_id, a.correct) for a in result.answers] == [(1, True), (2, False)]
    assert result.option_counts == (1,) and len(result.correct_answers) == 1


def test_clicks_and_guesses_each_belong_to_their_own_kind_of_question(make_question) -> None:
    rnd = Round(1, 10, 20, 30, [typed(0), make_question(1)], 20)
    rnd.open_next(T0)
    assert rnd.answer(1, "Jim", 0, 0, T0).status is AnswerStatus.INVALID_OPTION
    rnd.close(T0 + 20)
    rnd.open_next(T0 + 30)
    assert rnd.answer_typed(1, "Jim", 1, "option 1.0", T0 + 30).status is AnswerStatus.INVALID_OPTION
    assert rnd.guess_refusal(1, 1, T0 + 30).status is AnswerStatus.INVALID_OPTION


def test_late_or_old_guesses_are_closed() -> None:
    rnd = typed_round(typed(0), typed(1))
    assert rnd.guess_refusal(1, 0, T0).status is AnswerStatus.CLOSED  # nothing open yet
    rnd.open_next(T0)
    assert rnd.answer_typed(1, "Jim", 0, "Jim Halpert", T0 + 20.5).status is AnswerStatus.CLOSED
    rnd.close(T0 + 21)
    rnd.open_next(T0 + 30)
    assert rnd.answer_typed(1, "Jim", 0, "Jim Halpert", T0 + 31).status is AnswerStatus.CLOSED


def test_the_hint_shows_at_half_time_and_ends_the_speed_bonus() -> None:
    rnd = typed_round(seconds=20)
    assert rnd.hint_at is None
    rnd.open_next(T0)
    assert rnd.hint_at == T0 + 10
    rnd.answer_typed(1, "Jim", 0, "Jim Halpert", T0 + 9.9)  # before the hint: 50 * 10.1/20 = 25
    rnd.answer_typed(2, "Pam", 0, "Jim Halpert", T0 + 10)  # with the hint: no speed bonus
    points = {a.user_id: (a.points, a.speed_bonus) for a in rnd.close(T0 + 20).answers}
    assert points == {1: (125, 25), 2: (100, 0)}
    assert rnd.hint_at is None, "no question is open"


def test_buttons_questions_have_no_hint(make_question) -> None:
    rnd = Round(1, 10, 20, 30, [make_question(0)], 20)
    rnd.open_next(T0)
    assert rnd.hint_at is None


def test_a_typed_question_shows_only_its_answer() -> None:
    with pytest.raises(ValueError, match="typed"):
        AskedQuestion("q", "Who?", ("Jim", "Pam"), 0, "Because.", accepted=("Jim",))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("Jim Halpert", "J _ _   H _ _ _ e _ _"),
        ("Pam", "P _ _"),
        ("Dunder-Mifflin", "D _ _ _ e _ - M _ _ _ l _ _"),
        ("O'Brien", "O ' B _ _ _ n"),
        ("1905", "1 _ _ _"),
    ],
)
def test_the_hint_is_the_letter_pattern_with_a_few_letters(answer: str, hint: str) -> None:
    assert letter_hint(answer) == hint
