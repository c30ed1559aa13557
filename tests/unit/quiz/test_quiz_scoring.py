"""Scoring rules: speed bonus, streak bonus, and fair ranking."""

from __future__ import annotations

import pytest

from bot.quiz.scoring import (
    BASE_POINTS,
    MAX_SPEED_BONUS,
    MAX_STREAK_BONUS,
    NO_POINTS,
    PlayerTotals,
    rank_standings,
    score_answer,
    speed_bonus,
    streak_bonus,
)


def Entry(user_id: int, display_name: str, points: int, correct: int, answered: int = 0) -> PlayerTotals:
    return PlayerTotals(user_id, display_name, points, correct, answered)


def test_constants_match_the_documented_formula() -> None:
    assert (BASE_POINTS, MAX_SPEED_BONUS, MAX_STREAK_BONUS) == (100, 50, 50)


@pytest.mark.parametrize(
    ("taken", "limit", "bonus"),
    [
        (0.0, 20, 50),  # instant
        (20.0, 20, 0),  # exactly at the deadline
        (10.0, 20, 25),  # half way
        (5.0, 20, 37),  # 37.5 rounds down
        (19.999, 20, 0),  # 0.0025 rounds down
        (0.3, 10, 48),  # 48.5 rounds down; float division would risk 48.4999...
        (0.2, 10, 49),  # exactly 49 in milliseconds, not 48.999...
        (1.0, 5, 40),
    ],
)
def test_speed_bonus_falls_linearly_to_zero_at_the_deadline(taken: float, limit: float, bonus: int) -> None:
    assert speed_bonus(taken, limit) == bonus


def test_speed_bonus_clamps_times_outside_the_limit() -> None:
    assert speed_bonus(25.0, 20) == 0  # late
    assert speed_bonus(-3.0, 20) == MAX_SPEED_BONUS  # clock skew: treat as instant


def test_speed_bonus_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError):
        speed_bonus(1.0, 0)


@pytest.mark.parametrize(
    ("streak", "bonus"), [(0, 0), (1, 0), (2, 10), (3, 20), (5, 40), (6, 50), (7, 50), (100, 50)]
)
def test_streak_bonus_grows_ten_per_answer_beyond_the_first_capped_at_fifty(streak: int, bonus: int) -> None:
    assert streak_bonus(streak) == bonus


def test_correct_answer_earns_base_speed_and_streak() -> None:
    scored = score_answer(True, 10.0, 20, previous_streak=2)
    assert scored.streak == 3
    assert scored.speed_bonus == 25
    assert scored.streak_bonus == 20
    assert scored.points == 100 + 25 + 20


def test_first_correct_answer_has_no_streak_bonus() -> None:
    scored = score_answer(True, 0.0, 20, previous_streak=0)
    assert (scored.points, scored.streak, scored.streak_bonus) == (150, 1, 0)


def test_correct_answer_at_the_deadline_earns_base_only() -> None:
    assert score_answer(True, 20.0, 20, previous_streak=0).points == BASE_POINTS


def test_wrong_answer_earns_nothing_and_resets_the_streak() -> None:
    assert score_answer(False, 0.0, 20, previous_streak=5) == NO_POINTS
    assert NO_POINTS.streak == 0


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    standings = rank_standings(
        [
            Entry(1, "Ann", 300, 3),
            Entry(2, "Bob", 200, 2),
            Entry(3, "Cat", 200, 2),
            Entry(4, "Dan", 100, 1),
        ]
    )
    assert [(s.rank, s.display_name) for s in standings] == [(1, "Ann"), (2, "Bob"), (2, "Cat"), (4, "Dan")]


def test_equal_points_are_split_by_correct_answers() -> None:
    standings = rank_standings([Entry(1, "Few", 200, 1), Entry(2, "Many", 200, 2)])
    assert [(s.rank, s.display_name) for s in standings] == [(1, "Many"), (2, "Few")]


def test_order_within_a_tie_is_by_user_id_whatever_the_input_order() -> None:
    # The same order as the stored leaderboard's, so a round's standings and /leaderboard agree.
    entries = [
        Entry(9, "bob", 100, 1),
        Entry(5, "Bob", 100, 1),
        Entry(7, "alice", 100, 1),
        Entry(3, "bob", 100, 1),
    ]
    expected = [(3, "bob"), (5, "Bob"), (7, "alice"), (9, "bob")]
    assert [(s.user_id, s.display_name) for s in rank_standings(entries)] == expected
    assert [(s.user_id, s.display_name) for s in rank_standings(reversed(entries))] == expected
    assert {s.rank for s in rank_standings(entries)} == {1}


def test_a_zero_point_player_still_ranks() -> None:
    standings = rank_standings([Entry(1, "A", 0, 0, answered=3), Entry(2, "B", 0, 0, answered=1)])
    assert [s.rank for s in standings] == [1, 1]
    assert [s.answered for s in standings] == [3, 1]


def test_standings_of_nobody_are_empty() -> None:
    assert rank_standings([]) == []
