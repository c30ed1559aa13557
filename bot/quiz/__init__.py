"""The quiz engine: pure round logic, scoring and question selection (no Discord, no clock)."""

from bot.quiz.question import MAX_OPTIONS, MIN_OPTIONS, AskedQuestion
from bot.quiz.results import AnswerOutcome, AnswerStatus, PlayerAnswer, QuestionResult
from bot.quiz.round import (
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
    Round,
    RoundState,
    RoundStateError,
    StopReason,
)
from bot.quiz.scoring import (
    BASE_POINTS,
    MAX_SPEED_BONUS,
    MAX_STREAK_BONUS,
    STREAK_STEP,
    PlayerTotals,
    ScoredAnswer,
    Standing,
    rank_standings,
    score_answer,
    speed_bonus,
    streak_bonus,
    tie_order,
)
from bot.quiz.selection import QuestionPick, RoundPlan, ask, pick_questions, plan_round

__all__ = [
    "BASE_POINTS",
    "MAX_OPTIONS",
    "MAX_QUESTIONS",
    "MAX_SECONDS",
    "MAX_SPEED_BONUS",
    "MAX_STREAK_BONUS",
    "MIN_OPTIONS",
    "MIN_QUESTIONS",
    "MIN_SECONDS",
    "STREAK_STEP",
    "AnswerOutcome",
    "AnswerStatus",
    "AskedQuestion",
    "PlayerAnswer",
    "PlayerTotals",
    "QuestionPick",
    "QuestionResult",
    "Round",
    "RoundPlan",
    "RoundState",
    "RoundStateError",
    "ScoredAnswer",
    "Standing",
    "StopReason",
    "ask",
    "pick_questions",
    "plan_round",
    "rank_standings",
    "score_answer",
    "speed_bonus",
    "streak_bonus",
    "tie_order",
]
