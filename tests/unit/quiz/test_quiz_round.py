"""The Round state machine: answers, closing, scoring across questions, stopping."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.quiz import (
    AnswerStatus,
    AskedQuestion,
    Round,
    RoundState,
    RoundStateError,
    StopReason,
)

RoundFactory = Callable[..., Round]
QuestionFactory = Callable[..., AskedQuestion]

A, B, C, D = range(4)
T0 = 1000.0  # an arbitrary clock origin: the round must not care where time starts


def new_round(questions: list[AskedQuestion], seconds: float = 20) -> Round:
    """A round over the given questions."""
    return Round(1, 10, 20, 30, questions, seconds)


# -- construction ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 21])
def test_question_count_outside_1_to_20_is_rejected(make_question: QuestionFactory, count: int) -> None:
    with pytest.raises(ValueError, match="questions"):
        new_round([make_question(n) for n in range(count)])


@pytest.mark.parametrize("count", [1, 20])
def test_question_count_limits_are_inclusive(make_question: QuestionFactory, count: int) -> None:
    assert new_round([make_question(n) for n in range(count)]).question_count == count


@pytest.mark.parametrize("seconds", [4, 4.99, 60.01, 61, 0, -5])
def test_seconds_outside_5_to_60_are_rejected(make_round: RoundFactory, seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        make_round(seconds=seconds)


@pytest.mark.parametrize("seconds", [5, 60])
def test_seconds_limits_are_inclusive(make_round: RoundFactory, seconds: float) -> None:
    assert make_round(seconds=seconds).seconds_per_question == seconds


def test_the_same_question_twice_is_rejected(make_question: QuestionFactory) -> None:
    with pytest.raises(ValueError, match="same question"):
        new_round([make_question(1), make_question(1)])


@pytest.mark.parametrize(("options", "correct"), [(1, 0), (5, 0), (4, 4), (2, -1)])
def test_asked_question_rejects_bad_shapes(options: int, correct: int) -> None:
    with pytest.raises(ValueError):
        AskedQuestion("q", "?", tuple(str(i) for i in range(options)), correct, "because")


def test_asked_question_knows_its_correct_option(make_question: QuestionFactory) -> None:
    assert make_question(7, correct_index=2).correct_option == "option 7.2"


def test_a_new_round_waits_for_its_first_question(make_round: RoundFactory) -> None:
    rnd = make_round(questions=3)
    assert rnd.state is RoundState.WAITING
    assert rnd.is_running and not rnd.is_open
    assert rnd.current_index is None and rnd.current_question is None
    assert rnd.opened_at is None and rnd.seconds_until_deadline(T0) == 0.0
    assert rnd.seconds_until_deadline(T0) == 0.0
    assert (rnd.answer_count, rnd.closed_count, rnd.standings()) == (0, 0, [])
    assert rnd.standings() == []
    assert (rnd.round_id, rnd.guild_id, rnd.channel_id, rnd.starter_id) == (1, 10, 20, 30)


# -- opening -----------------------------------------------------------------------------------


def test_open_next_sets_the_deadline_from_now(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2, seconds=15)
    question = rnd.open_next(T0)
    assert question is not None and question.question_id == "q-0"
    assert rnd.state is RoundState.ASKING and rnd.is_open
    assert (rnd.current_index, rnd.opened_at, rnd.seconds_until_deadline(T0)) == (0, T0, 15)
    assert rnd.current_question is question
    assert rnd.seconds_until_deadline(T0 + 5) == 10
    assert rnd.seconds_until_deadline(T0 + 99) == 0.0


def test_opening_while_a_question_is_open_is_a_caller_bug(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    with pytest.raises(RoundStateError):
        rnd.open_next(T0 + 1)


def test_questions_open_in_order(make_round: RoundFactory) -> None:
    rnd = make_round(questions=3)
    asked_ids = []
    now = T0
    while (question := rnd.open_next(now)) is not None:
        asked_ids.append(question.question_id)
        rnd.close(now + 20)
        now += 30
    assert asked_ids == ["q-0", "q-1", "q-2"]
    assert rnd.state is RoundState.FINISHED


# -- answering ---------------------------------------------------------------------------------


def test_an_answer_is_accepted_with_its_option(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    outcome = rnd.answer(1, "Ann", 0, C, T0 + 2)
    assert outcome.status is AnswerStatus.ACCEPTED
    assert outcome.option_index == C
    assert rnd.answer_count == 1 and len(rnd.standings()) == 1


def test_a_second_click_is_a_duplicate_and_changes_nothing(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    rnd.answer(1, "Ann", 0, B, T0 + 1)
    again = rnd.answer(1, "Ann", 0, A, T0 + 2)  # switching to the right answer must not work
    same = rnd.answer(1, "Ann", 0, B, T0 + 3)
    assert again.status is AnswerStatus.DUPLICATE
    assert again.option_index == B  # tells the player what they chose
    assert same.status is AnswerStatus.DUPLICATE
    assert rnd.answer_count == 1
    result = rnd.close(T0 + 20)
    assert [(a.option_index, a.time_taken, a.points) for a in result.answers] == [(B, 1.0, 0)]


def test_an_answer_past_the_deadline_is_closed_even_before_close_runs(make_round: RoundFactory) -> None:
    rnd = make_round(seconds=20)
    rnd.open_next(T0)
    late = rnd.answer(1, "Ann", 0, A, T0 + 20.001)
    assert late.status is AnswerStatus.CLOSED and late.option_index is None
    assert rnd.answer_count == 0
    assert rnd.close(T0 + 21).answers == ()


def test_an_answer_exactly_at_the_deadline_counts_with_no_speed_bonus(make_round: RoundFactory) -> None:
    rnd = make_round(seconds=20)
    rnd.open_next(T0)
    assert rnd.answer(1, "Ann", 0, A, T0 + 20).status is AnswerStatus.ACCEPTED
    assert rnd.close(T0 + 20).answers[0].points == 100


def test_an_answer_to_an_earlier_question_is_closed(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    rnd.close(T0 + 20)
    rnd.open_next(T0 + 25)
    assert rnd.answer(1, "Ann", 0, A, T0 + 26).status is AnswerStatus.CLOSED  # a stale button
    assert rnd.answer(1, "Ann", 1, A, T0 + 26).status is AnswerStatus.ACCEPTED


def test_an_answer_to_a_question_not_yet_asked_is_closed(make_round: RoundFactory) -> None:
    rnd = make_round()
    assert rnd.answer(1, "Ann", 0, A, T0).status is AnswerStatus.CLOSED  # nothing open yet
    rnd.open_next(T0)
    assert rnd.answer(1, "Ann", 1, A, T0 + 1).status is AnswerStatus.CLOSED


def test_an_answer_during_the_reveal_is_closed(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    rnd.close(T0 + 5)  # closed early: the deadline has not passed but the question has
    assert rnd.state is RoundState.REVEALING
    assert rnd.answer(1, "Ann", 0, A, T0 + 6).status is AnswerStatus.CLOSED


def test_an_answer_after_stop_is_closed(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    rnd.stop(T0 + 1)
    assert rnd.answer(1, "Ann", 0, A, T0 + 2).status is AnswerStatus.CLOSED


def test_an_answer_after_the_round_finished_is_closed(make_round: RoundFactory) -> None:
    rnd = make_round(questions=1)
    rnd.open_next(T0)
    rnd.close(T0 + 20)
    assert rnd.answer(1, "Ann", 0, A, T0 + 10).status is AnswerStatus.CLOSED


@pytest.mark.parametrize("option", [-1, 4, 99])
def test_an_option_the_question_does_not_have_is_invalid(make_round: RoundFactory, option: int) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    outcome = rnd.answer(1, "Ann", 0, option, T0 + 1)
    assert outcome.status is AnswerStatus.INVALID_OPTION and outcome.option_index is None
    assert rnd.answer_count == 0 and rnd.standings() == []
    assert rnd.answer(1, "Ann", 0, B, T0 + 2).status is AnswerStatus.ACCEPTED  # the player can still answer


def test_true_false_questions_have_two_options(make_question: QuestionFactory) -> None:
    rnd = new_round([make_question(1, options=2, correct_index=1)])
    rnd.open_next(T0)
    assert rnd.answer(1, "Ann", 0, 2, T0 + 1).status is AnswerStatus.INVALID_OPTION
    assert rnd.answer(1, "Ann", 0, 1, T0 + 1).status is AnswerStatus.ACCEPTED
    assert rnd.close(T0 + 20).option_counts == (0, 1)


def test_time_taken_is_measured_from_opening(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    rnd.answer(1, "Ann", 0, A, T0 + 3.25)
    rnd.answer(2, "Bob", 0, A, T0 - 1)  # a clock behind the opening: never negative
    assert [a.time_taken for a in rnd.close(T0 + 20).answers] == [3.25, 0.0]


def test_time_from_gives_the_full_time_from_when_the_message_was_posted(make_round: RoundFactory) -> None:
    rnd = make_round(seconds=20)
    rnd.open_next(T0)
    early = rnd.answer(1, "Ann", 0, A, T0 + 0.5)  # came with the message, before the post returned
    rnd.time_from(T0 + 7)  # the post waited 7 s for its turn
    assert (rnd.opened_at, rnd.seconds_until_deadline(T0 + 7)) == (T0 + 7, 20)
    assert rnd.answer(2, "Bob", 0, A, T0 + 26).status is AnswerStatus.ACCEPTED, "the full 20 s from the post"
    assert rnd.answer(3, "Cy", 0, A, T0 + 27.5).status is AnswerStatus.CLOSED
    result = rnd.close(T0 + 27)
    assert early.status is AnswerStatus.ACCEPTED and [a.time_taken for a in result.answers] == [0.0, 19.0]


def test_time_from_needs_an_open_question(make_round: RoundFactory) -> None:
    rnd = make_round()
    with pytest.raises(RoundStateError):
        rnd.time_from(T0)


def test_the_latest_display_name_is_shown(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2)
    rnd.open_next(T0)
    rnd.answer(1, "Ann", 0, A, T0)
    rnd.close(T0 + 20)
    rnd.open_next(T0 + 30)
    rnd.answer(1, "Annie", 1, A, T0 + 30)
    assert rnd.close(T0 + 50).answers[0].display_name == "Annie"
    assert rnd.standings()[0].display_name == "Annie"


# -- closing -----------------------------------------------------------------------------------


def test_close_scores_counts_and_orders_the_right_answers(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2, seconds=20)
    rnd.open_next(T0)
    rnd.answer(5, "Eve", 0, A, T0 + 10)  # right, half time: 100 + 25
    rnd.answer(2, "Bob", 0, C, T0 + 1)  # wrong
    rnd.answer(9, "Ivy", 0, A, T0 + 12)  # right: 100 + 20
    rnd.answer(1, "Ann", 0, A, T0 + 0)  # right, instant: 100 + 50, but answered last
    rnd.answer(3, "Cat", 0, C, T0 + 2)  # wrong
    result = rnd.close(T0 + 20)

    assert result.round_id == 1 and result.question_index == 0
    assert result.question.question_id == "q-0"
    assert (result.opened_at, result.closed_at) == (T0, T0 + 20)
    assert result.option_counts == (3, 0, 2, 0)
    assert result.answer_count == 5
    assert [a.user_id for a in result.answers] == [5, 2, 9, 1, 3]  # answer order
    assert [a.display_name for a in result.correct_answers] == ["Eve", "Ivy", "Ann"]
    points = {a.user_id: (a.correct, a.points, a.speed_bonus, a.streak_bonus) for a in result.answers}
    assert points == {
        5: (True, 125, 25, 0),
        2: (False, 0, 0, 0),
        9: (True, 120, 20, 0),
        1: (True, 150, 50, 0),
        3: (False, 0, 0, 0),
    }
    assert [(s.rank, s.user_id, s.points) for s in result.standings] == [
        (1, 1, 150),
        (2, 5, 125),
        (3, 9, 120),
        (4, 2, 0),  # "Bob" before "Cat" within the tie
        (4, 3, 0),
    ]
    assert not result.is_last
    assert rnd.state is RoundState.REVEALING and rnd.closed_count == 1
    assert rnd.seconds_until_deadline(T0 + 20) == 0.0
    assert rnd.answer_count == 5  # still readable during the reveal
    assert rnd.last_result is result


def test_closing_with_no_answers_gives_an_empty_result(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    result = rnd.close(T0 + 20)
    assert (result.answers, result.correct_answers, result.standings) == ((), (), ())
    assert result.option_counts == (0, 0, 0, 0)


def test_closing_twice_returns_the_same_result(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2)
    rnd.open_next(T0)
    rnd.answer(1, "Ann", 0, A, T0)
    first = rnd.close(T0 + 20)
    assert rnd.close(T0 + 21) is first
    assert rnd.standings()[0].points == 150  # not scored twice


def test_closing_the_last_question_twice_returns_the_same_result(make_round: RoundFactory) -> None:
    rnd = make_round(questions=1)
    rnd.open_next(T0)
    first = rnd.close(T0 + 20)
    assert first.is_last and rnd.close(T0 + 21) is first


def test_closing_before_any_question_is_a_caller_bug(make_round: RoundFactory) -> None:
    with pytest.raises(RoundStateError):
        make_round().close(T0)


def test_closing_the_last_question_finishes_the_round(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2)
    for i in range(2):
        rnd.open_next(T0 + 30 * i)
        result = rnd.close(T0 + 30 * i + 20)
    assert result.is_last
    assert rnd.state is RoundState.FINISHED and not rnd.is_running
    assert rnd.ended_at == T0 + 50
    assert rnd.open_next(T0 + 60) is None
    assert rnd.closed_count == 2


# -- streaks -----------------------------------------------------------------------------------


def play(rnd: Round, answers: list[dict[int, int]]) -> list[dict[int, int]]:
    """Play one question per dict {user_id: option}, all instant; return points per question."""
    return play_from(rnd, 0, answers)


def play_from(rnd: Round, first: int, answers: list[dict[int, int]]) -> list[dict[int, int]]:
    """Play from question index `first` on, as `play` does."""
    points = []
    for i, clicks in enumerate(answers, start=first):
        now = T0 + 100 * i
        rnd.open_next(now)
        for user_id, option in clicks.items():
            assert rnd.answer(user_id, f"player {user_id}", i, option, now).status is AnswerStatus.ACCEPTED
        points.append({a.user_id: a.points for a in rnd.close(now + 20).answers})
    return points


def test_streak_bonus_builds_up_and_caps(make_round: RoundFactory) -> None:
    rnd = make_round(questions=8)
    points = play(rnd, [{1: A}] * 8)
    assert [p[1] for p in points] == [150, 160, 170, 180, 190, 200, 200, 200]
    assert rnd.standings()[0].points == sum(p[1] for p in points)


def test_a_wrong_answer_resets_the_streak(make_round: RoundFactory) -> None:
    rnd = make_round(questions=5)
    points = play(rnd, [{1: A}, {1: A}, {1: B}, {1: A}, {1: A}])
    assert [p[1] for p in points] == [150, 160, 0, 150, 160]


def test_a_missed_question_resets_the_streak(make_round: RoundFactory) -> None:
    rnd = make_round(questions=5)
    points = play(rnd, [{1: A, 2: A}, {1: A, 2: A}, {2: A}, {1: A, 2: A}, {1: A, 2: A}])
    assert [p.get(1) for p in points] == [150, 160, None, 150, 160]
    assert [p[2] for p in points] == [150, 160, 170, 180, 190]


def test_streak_is_reported_on_each_answer(make_round: RoundFactory) -> None:
    rnd = make_round(questions=3)
    play(rnd, [{1: A}, {1: A}])
    assert rnd.last_result is not None
    answer = rnd.last_result.answers[0]
    assert (answer.streak, answer.streak_bonus, answer.total_points) == (2, 10, 310)


# -- stopping ----------------------------------------------------------------------------------


def test_stop_keeps_points_and_discards_the_open_question(make_round: RoundFactory) -> None:
    rnd = make_round(questions=5)
    play(rnd, [{1: A, 2: B}, {1: A, 2: A}])
    rnd.open_next(T0 + 500)
    rnd.answer(2, "player 2", 2, A, T0 + 501)
    assert rnd.stop(T0 + 502) is True
    assert rnd.state is RoundState.STOPPED and not rnd.is_running
    assert rnd.ended_at == T0 + 502
    assert rnd.answer_count == 0 and rnd.seconds_until_deadline(T0) == 0.0
    assert [(s.rank, s.user_id, s.points, s.correct, s.answered) for s in rnd.standings()] == [
        (1, 1, 310, 2, 2),
        (2, 2, 150, 1, 2),  # the answer to the discarded question does not count
    ]
    assert rnd.open_next(T0 + 503) is None
    with pytest.raises(RoundStateError):
        rnd.close(T0 + 520)  # the open question was discarded, not closed


def test_stop_during_the_reveal_still_returns_that_result_on_close(make_round: RoundFactory) -> None:
    rnd = make_round(questions=3)
    rnd.open_next(T0)
    result = rnd.close(T0 + 20)
    rnd.stop(T0 + 21)
    assert rnd.close(T0 + 22) is result


def test_stop_before_the_first_question(make_round: RoundFactory) -> None:
    rnd = make_round()
    assert rnd.stop(T0) is True
    assert rnd.state is RoundState.STOPPED and rnd.standings() == []


def test_interrupt_ends_the_round_as_interrupted(make_round: RoundFactory) -> None:
    rnd = make_round()
    rnd.open_next(T0)
    assert rnd.stop(T0 + 1, StopReason.INTERRUPTED) is True
    assert rnd.state is RoundState.INTERRUPTED and rnd.state.value == "interrupted"


def test_stopping_an_ended_round_changes_nothing(make_round: RoundFactory) -> None:
    rnd = make_round(questions=1)
    rnd.open_next(T0)
    rnd.close(T0 + 20)
    assert rnd.stop(T0 + 21) is False
    assert rnd.state is RoundState.FINISHED and rnd.ended_at == T0 + 20
    stopped = make_round()
    stopped.stop(T0)
    assert stopped.stop(T0 + 1, StopReason.INTERRUPTED) is False
    assert stopped.state is RoundState.STOPPED


# -- idle stop ---------------------------------------------------------------------------------


def test_a_round_is_idle_after_the_set_number_of_unanswered_questions_in_a_row(make_question) -> None:
    rnd = Round(1, 10, 20, 30, [make_question(n) for n in range(6)], 20, idle_stop_after=2)
    play(rnd, [{}])
    assert rnd.unanswered_run == 1 and not rnd.is_idle
    play_from(rnd, 1, [{1: A}])  # one answer resets the run
    assert rnd.unanswered_run == 0
    play_from(rnd, 2, [{1: B}, {}])  # a wrong answer is an answer too
    assert rnd.unanswered_run == 1 and not rnd.is_idle
    play_from(rnd, 4, [{}])
    assert rnd.unanswered_run == 2 and rnd.is_idle


def test_a_skipped_question_breaks_the_idle_run(make_question) -> None:
    rnd = Round(1, 10, 20, 30, [make_question(n) for n in range(3)], 20, idle_stop_after=2)
    play(rnd, [{}])
    rnd.open_next(T0 + 100)
    rnd.skip(T0 + 101)
    assert rnd.unanswered_run == 0
    play_from(rnd, 2, [{}])
    assert not rnd.is_idle


@pytest.mark.parametrize("after", [0, 21])
def test_idle_stop_outside_1_to_20_is_rejected(make_question, after: int) -> None:
    with pytest.raises(ValueError, match="idle stop"):
        Round(1, 10, 20, 30, [make_question(1)], 20, idle_stop_after=after)


# -- skipping ----------------------------------------------------------------------------------


def test_skip_voids_the_open_question_and_moves_on(make_round: RoundFactory) -> None:
    rnd = make_round(questions=3)
    play(rnd, [{1: A}])  # player 1 starts a streak
    rnd.open_next(T0 + 100)
    rnd.answer(1, "player 1", 1, A, T0 + 101)
    rnd.answer(2, "player 2", 1, A, T0 + 101)
    result = rnd.skip(T0 + 102)
    assert result.skipped and result.answers == () and result.option_counts == (0, 0, 0, 0)
    assert not result.is_last and rnd.state is RoundState.REVEALING and rnd.closed_count == 2
    assert rnd.close(T0 + 103) is result  # a timer racing the skip gets the same result
    assert [(s.user_id, s.points, s.answered) for s in rnd.standings()] == [(1, 150, 1)]
    rnd.open_next(T0 + 200)
    rnd.answer(1, "player 1", 2, A, T0 + 200)
    assert rnd.close(T0 + 220).answers[0].streak == 2, "a skipped question does not break a streak"


def test_skipping_the_last_question_finishes_the_round(make_round: RoundFactory) -> None:
    rnd = make_round(questions=1)
    rnd.open_next(T0)
    assert rnd.skip(T0 + 1).is_last
    assert rnd.state is RoundState.FINISHED and rnd.ended_at == T0 + 1


def test_skip_needs_an_open_question(make_round: RoundFactory) -> None:
    rnd = make_round(questions=2)
    with pytest.raises(RoundStateError):
        rnd.skip(T0)
    rnd.open_next(T0)
    rnd.close(T0 + 20)
    with pytest.raises(RoundStateError):
        rnd.skip(T0 + 21)


def test_ties_in_a_round_share_a_rank(make_round: RoundFactory) -> None:
    rnd = make_round(questions=1)
    rnd.open_next(T0)
    rnd.answer(3, "Cat", 0, A, T0 + 10)
    rnd.answer(1, "Ann", 0, A, T0 + 0)
    rnd.answer(2, "Bob", 0, A, T0 + 10)
    rnd.answer(4, "Dan", 0, B, T0 + 1)
    rnd.close(T0 + 20)
    assert [(s.rank, s.display_name) for s in rnd.standings()] == [
        (1, "Ann"),
        (2, "Bob"),
        (2, "Cat"),
        (4, "Dan"),
    ]
