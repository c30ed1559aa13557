"""Choosing a round's questions so a server sees every question of a topic before any repeats."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from bot.content import DIFFICULTIES, ContentStore, Question
from bot.quiz.question import AskedQuestion


class Difficulty(StrEnum):
    """The difficulty a round is played at: one of the content's, or all of them mixed."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    MIXED = "mixed"


class PoolTooSmall(Exception):
    """A round asked for more questions than its topic has at its difficulty."""

    def __init__(self, *, wanted: int, available: int, difficulty: Difficulty, topic: str | None, typed: bool,
                 by_difficulty: Mapping[str, int], other_mode: int = 0) -> None:
        self.wanted = wanted
        self.available = available
        self.difficulty = difficulty
        self.topic = topic
        self.typed = typed  # the round was to be typed: only questions fit for typed play count
        self.by_difficulty = dict(by_difficulty)  # how many the topic has at each difficulty
        self.other_mode = other_mode  # how many the other mode (typed, or buttons) has at this difficulty
        super().__init__(f"{available} {difficulty} questions for {topic or 'every topic'}, {wanted} wanted")


def question_pool(
    content: ContentStore, topic: str | None, difficulty: Difficulty, *, typed: bool = False
) -> tuple[str, ...]:
    """The ids a round of `topic` (None: every topic) at `difficulty` draws from, in load order;
    a typed round only those fit for typed play (never true/false, nor those marked typed = false)."""
    ids = _mode_pool(content, topic, typed)
    if difficulty is Difficulty.MIXED:
        return ids
    return tuple(qid for qid in ids if _difficulty_of(content, qid) == difficulty)


def _mode_pool(content: ContentStore, topic: str | None, typed: bool) -> tuple[str, ...]:
    """The questions a typed round, or a round on buttons, can ask."""
    ids = content.question_ids(topic)
    if typed:
        return tuple(qid for qid in ids if (question := content.question(qid)) is not None and question.typed_play)
    return tuple(qid for qid in ids if (question := content.question(qid)) is not None and question.on_buttons)


def check_pool(
    content: ContentStore, topic: str | None, difficulty: Difficulty, wanted: int, *, typed: bool = False
) -> int:
    """How many questions the round will ask; raise PoolTooSmall when it cannot be played.

    A round at one difficulty must have all the questions it asks for (the player chose the
    difficulty, so a shorter round would be a surprise); a mixed round plays what the topic has.
    """
    available = len(question_pool(content, topic, difficulty, typed=typed))
    if available and (difficulty is Difficulty.MIXED or available >= wanted):
        return min(wanted, available)
    by_difficulty = dict.fromkeys(DIFFICULTIES, 0)
    for qid in _mode_pool(content, topic, typed):
        by_difficulty[_difficulty_of(content, qid)] += 1
    raise PoolTooSmall(
        wanted=wanted,
        available=available,
        difficulty=difficulty,
        topic=topic,
        typed=typed,
        by_difficulty=by_difficulty,
        other_mode=len(question_pool(content, topic, difficulty, typed=not typed)),
    )


def _difficulty_of(content: ContentStore, question_id: str) -> str:
    question = content.question(question_id)
    return question.difficulty if question is not None else ""


class QuestionPick(NamedTuple):
    """The chosen ids in play order, and whether the pool had to be reused (cycled)."""

    ids: tuple[str, ...]
    # True when already-asked ids were reused: the caller should replace the topic's history
    # with exactly `ids`, so the new cycle starts with what this round asks.
    cycled: bool


def pick_questions(
    pool_ids: Sequence[str], already_asked: Collection[str], count: int, rng: random.Random
) -> QuestionPick:
    """Pick up to count distinct ids, unasked first, refilling from asked ones only when needed."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    pool = list(dict.fromkeys(pool_ids))  # drop duplicates, keep order so rng alone decides
    asked = already_asked if isinstance(already_asked, set | frozenset) else set(already_asked)
    unasked = [qid for qid in pool if qid not in asked]
    if len(unasked) >= count:
        return QuestionPick(tuple(rng.sample(unasked, count)), cycled=False)

    reused = [qid for qid in pool if qid in asked]
    refill = rng.sample(reused, min(count - len(unasked), len(reused)))
    chosen = unasked + refill
    rng.shuffle(chosen)  # mix so the reused questions are not all at the end
    return QuestionPick(tuple(chosen), cycled=bool(refill))


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """A round's questions as it will ask them, and how the server's no-repeat history changes."""

    questions: tuple[AskedQuestion, ...]
    history_topic: str  # the history the round draws on: its topic, or "" for all topics
    # When the pool was used up, its ids: their history restarts with this round's questions.
    # Only the pool's: a used-up hard pool leaves the topic's easy questions' history alone.
    forget_ids: tuple[str, ...]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.question_id for q in self.questions)


def plan_round(
    content: ContentStore,
    topic: str | None,
    already_asked: Collection[str],
    count: int,
    rng: random.Random,
    difficulty: Difficulty = Difficulty.MIXED,
    *,
    typed: bool = False,
) -> RoundPlan:
    """Choose up to `count` questions of `topic` (every topic: None) at `difficulty`, unasked ones
    first, and lay out each one as the round shows it (typed, or with its options in order)."""
    pool = question_pool(content, topic, difficulty, typed=typed)
    pick = pick_questions(pool, already_asked, count, rng)
    asked = []
    for question_id in pick.ids:
        question = content.question(question_id)
        if question is not None:  # ids come from the store itself: always found
            asked.append(ask(question, rng, typed=typed))
    return RoundPlan(tuple(asked), topic or "", pool if pick.cycled else ())


def ask(question: Question, rng: random.Random, *, typed: bool = False) -> AskedQuestion:
    """The question as one round shows it: options in display order (true/false never shuffled),
    or, typed, only the answers a guess is compared with."""
    if typed:
        return AskedQuestion(
            question.id,
            question.prompt,
            (question.answer,),
            0,
            question.explanation,
            question.fact_id,
            accepted=question.accepted_answers,
        )
    options, correct = question.presented_options(rng)
    return AskedQuestion(
        question.id,
        question.prompt,
        options,
        correct,
        question.explanation,
        question.fact_id,
        is_true_false=question.is_true_false,
    )
