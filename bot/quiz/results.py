"""What a round reports back: the reply to a click, and the scored result of a question."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.quiz.question import AskedQuestion
from bot.quiz.scoring import Standing

MISSED = -1  # the option index of a typed guess that matched no accepted answer


class AnswerStatus(StrEnum):
    """What happened to a click."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CLOSED = "closed"
    INVALID_OPTION = "invalid_option"  # also: a click on a typed question, a guess on a buttons one


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """The reply to a click: the status, and the option on record for this player if any."""

    status: AnswerStatus
    # ACCEPTED: the option just recorded; DUPLICATE: the option chosen earlier; otherwise None.
    option_index: int | None = None
    guess: str | None = None  # typed play: the guess just recorded, or the earlier one


@dataclass(frozen=True, slots=True)
class PlayerAnswer:
    """One player's answer to a closed question, scored."""

    user_id: int
    display_name: str
    option_index: int  # typed play: 0 for a right guess, MISSED for a wrong one
    correct: bool
    time_taken: float
    points: int
    speed_bonus: int
    streak_bonus: int
    streak: int
    total_points: int


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """Everything the reveal and the database need about one closed question."""

    round_id: int
    question_index: int
    question: AskedQuestion
    opened_at: float
    closed_at: float
    option_counts: tuple[int, ...]
    answers: tuple[PlayerAnswer, ...]  # in the order they were given
    standings: tuple[Standing, ...]  # running totals after this question
    is_last: bool
    skipped: bool = False  # closed early by /quiz skip: void, nobody scored on it

    @property
    def correct_answers(self) -> tuple[PlayerAnswer, ...]:
        """The right answers, fastest click first (the order they were given)."""
        return tuple(a for a in self.answers if a.correct)

    @property
    def answer_count(self) -> int:
        """How many players answered."""
        return len(self.answers)
