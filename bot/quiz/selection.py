"""Choosing a round's questions so a server sees every question of a topic before any repeats."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.content import ContentStore, Question
from bot.quiz.question import AskedQuestion


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
    reset_history: bool  # the topic's pool was used up: its history restarts with these questions

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.question_id for q in self.questions)


def plan_round(
    content: ContentStore, topic: str | None, already_asked: Collection[str], count: int, rng: random.Random
) -> RoundPlan:
    """Choose up to `count` questions of `topic` (every topic: None), unasked ones first, and lay
    out each one's options as the round shows them."""
    pick = pick_questions(content.question_ids(topic), already_asked, count, rng)
    asked = []
    for question_id in pick.ids:
        question = content.question(question_id)
        if question is not None:  # ids come from the store itself: always found
            asked.append(ask(question, rng))
    return RoundPlan(tuple(asked), topic or "", pick.cycled)


def ask(question: Question, rng: random.Random) -> AskedQuestion:
    """The question as one round shows it: options in display order (true/false never shuffled)."""
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
