"""Points for one answer, and fair ranking of players.

A correct answer earns ``BASE_POINTS + speed_bonus + streak_bonus``:

- ``speed_bonus = floor(MAX_SPEED_BONUS * (limit - t) / limit)``, where ``t`` is the time taken,
  measured to the millisecond and clamped to ``[0, limit]``: 50 for an instant answer, falling
  linearly to 0 at the deadline.
- ``streak_bonus = min(STREAK_STEP * (streak - 1), MAX_STREAK_BONUS)``, where ``streak`` counts the
  consecutive correct answers in this round including this one: +0 for the first, +10 for the
  second in a row, ... capped at +50 from the sixth in a row.

A wrong or missing answer earns 0 and resets the streak to 0. So one answer is worth 100 to 200.
In typed play a right answer given after the hint (half time) earns no speed bonus.

Players rank by points, then by correct answers; equal (points, correct) share a rank and the next
rank skips ("1, 2, 2, 4"); within a tie the order is by display name, then user id, so it is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BASE_POINTS = 100
MAX_SPEED_BONUS = 50
STREAK_STEP = 10
MAX_STREAK_BONUS = 50


@dataclass(frozen=True, slots=True)
class ScoredAnswer:
    """Points for one answer, broken down for the reveal, and the player's streak after it."""

    points: int
    speed_bonus: int
    streak_bonus: int
    streak: int


NO_POINTS = ScoredAnswer(points=0, speed_bonus=0, streak_bonus=0, streak=0)


def speed_bonus(time_taken: float, time_limit: float) -> int:
    """Bonus for answering fast: MAX_SPEED_BONUS at 0 s, falling linearly to 0 at the limit."""
    if time_limit <= 0:
        raise ValueError(f"time_limit must be positive, got {time_limit!r}")
    # Whole milliseconds and integer division: float division would make e.g. 49 out of an exact 49.0.
    limit_ms = max(1, round(time_limit * 1000))
    taken_ms = min(max(round(time_taken * 1000), 0), limit_ms)
    return MAX_SPEED_BONUS * (limit_ms - taken_ms) // limit_ms


def streak_bonus(streak: int) -> int:
    """Bonus for the streak-th consecutive correct answer (the first earns nothing extra)."""
    if streak <= 1:
        return 0
    return min(STREAK_STEP * (streak - 1), MAX_STREAK_BONUS)


def score_answer(
    correct: bool, time_taken: float, time_limit: float, previous_streak: int, *, earns_speed_bonus: bool = True
) -> ScoredAnswer:
    """Score one given answer; a wrong answer earns nothing and resets the streak."""
    if not correct:
        return NO_POINTS
    streak = previous_streak + 1
    speed = speed_bonus(time_taken, time_limit) if earns_speed_bonus else 0
    bonus = streak_bonus(streak)
    return ScoredAnswer(points=BASE_POINTS + speed + bonus, speed_bonus=speed, streak_bonus=bonus, streak=streak)


@dataclass(frozen=True, slots=True)
class PlayerTotals:
    """A player's totals to rank (a round's tally, or the stored all-time ones)."""

    user_id: int
    display_name: str
    points: int
    correct: int
    answered: int


@dataclass(frozen=True, slots=True)
class PlayerStats:
    """A player's all-time totals in one server, as /rank shows them."""

    display_name: str
    points: int
    correct: int
    answered: int
    best_streak: int
    rounds_played: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def tie_order(points: int, correct: int, user_id: int) -> tuple[int, int, int]:
    """The one order of a ranking: points, then right answers (both most first), then user id.

    Players equal on points and right answers share a rank; the user id only makes the order of
    their lines stable. The leaderboard's SQL orders by the same three columns.
    """
    return (-points, -correct, user_id)


@dataclass(frozen=True, slots=True)
class Standing:
    """One line of a leaderboard."""

    rank: int
    user_id: int
    display_name: str
    points: int
    correct: int
    answered: int


def rank_standings(entries: Iterable[PlayerTotals]) -> list[Standing]:
    """Rank players by points then correct answers, with shared ranks for ties ("1, 2, 2, 4")."""
    ordered = sorted(entries, key=lambda e: tie_order(e.points, e.correct, e.user_id))
    standings: list[Standing] = []
    rank = 0
    previous: tuple[int, int] | None = None
    for position, entry in enumerate(ordered, start=1):
        score = (entry.points, entry.correct)
        if score != previous:
            rank = position
            previous = score
        standings.append(Standing(rank, entry.user_id, entry.display_name, entry.points, entry.correct, entry.answered))
    return standings
