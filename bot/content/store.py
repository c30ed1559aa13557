"""The loaded content, immutable and indexed for the bot's look-ups."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from .issues import ContentIssue
from .loader import load_packs
from .model import Fact, Pack, Question, Source


class ContentError(Exception):
    """Content failed its checks; `issues` holds every problem found."""

    def __init__(self, issues: Sequence[ContentIssue]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        lines = [f"{count} content problem{'' if count == 1 else 's'}:", *(str(i) for i in self.issues)]
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class ContentCounts:
    """How much content is loaded."""

    packs: int
    facts: int
    questions: int
    topics: int
    contested: int  # contested facts


@dataclass(frozen=True, slots=True)
class TopicCount:
    """How many facts and questions one topic has."""

    facts: int
    questions: int


def _group_ids(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Group (topic, id) pairs into topic -> ids, keeping the order of first appearance."""
    grouped: dict[str, list[str]] = {}
    for topic, item_id in pairs:
        grouped.setdefault(topic, []).append(item_id)
    return {topic: tuple(ids) for topic, ids in grouped.items()}


class ContentStore:
    """Every loaded pack's facts, questions and sources, looked up by id or topic.

    Look-ups by id return None for an unknown id: ids come from users and from saved state,
    and a missing one is an ordinary outcome for the caller to handle, not a crash.
    """

    __slots__ = (
        "_fact_ids",
        "_fact_ids_by_topic",
        "_fact_ids_set",
        "_fact_topics",
        "_facts",
        "_facts_by_id",
        "_packs",
        "_question_ids",
        "_question_ids_by_topic",
        "_question_topics",
        "_questions",
        "_questions_by_id",
        "_sources",
        "_topic_counts",
        "_topics",
    )
    _packs: tuple[Pack, ...]
    _facts: tuple[Fact, ...]
    _questions: tuple[Question, ...]
    _facts_by_id: dict[str, Fact]
    _questions_by_id: dict[str, Question]
    _fact_ids: tuple[str, ...]
    _fact_ids_set: frozenset[str]
    _question_ids: tuple[str, ...]
    _fact_ids_by_topic: dict[str, tuple[str, ...]]
    _question_ids_by_topic: dict[str, tuple[str, ...]]
    _sources: dict[str, Source]
    _topics: tuple[str, ...]
    _fact_topics: tuple[str, ...]
    _question_topics: tuple[str, ...]
    _topic_counts: Mapping[str, TopicCount]

    def __init__(
        self,
        packs: Iterable[Pack],
        *,
        hidden_facts: Collection[str] = frozenset(),
        hidden_questions: Collection[str] = frozenset(),
    ) -> None:
        """Index already-checked packs; raise ValueError on a duplicate id or a question without its fact.

        Hidden facts and questions (a server's moderators hid them) are never drawn, asked or
        counted, and their topics only show while something else has them; they are still found
        by id, so a round that already asks one, or a question whose fact is hidden, still shows.
        """
        set_ = object.__setattr__  # the store is immutable: attributes are only set here
        set_(self, "_packs", tuple(packs))
        facts = tuple(fact for pack in self._packs for fact in pack.facts)
        questions = tuple(question for pack in self._packs for question in pack.questions)
        facts_by_id = {fact.id: fact for fact in facts}
        questions_by_id = {question.id: question for question in questions}
        if len(facts_by_id) != len(facts) or len(questions_by_id) != len(questions):
            raise ValueError("duplicate fact or question id: build the store from load_packs() output")
        orphans = [q.id for q in questions if q.fact_id is not None and q.fact_id not in facts_by_id]
        if orphans:
            raise ValueError(f"questions whose fact is not loaded: {', '.join(orphans)}")
        sources: dict[str, Source] = {}
        for pack in self._packs:
            for source in pack.sources:
                sources.setdefault(source.file, source)  # packs sharing a file agree on its headline

        shown_facts = [fact for fact in facts if fact.id not in hidden_facts] if hidden_facts else facts
        shown_questions = [q for q in questions if q.id not in hidden_questions] if hidden_questions else questions
        fact_ids_by_topic = _group_ids((topic, fact.id) for fact in shown_facts for topic in fact.topics)
        question_ids_by_topic = _group_ids(
            (topic, question.id)
            for question in shown_questions
            for topic in (facts_by_id[question.fact_id].topics if question.fact_id is not None else question.topics)
        )
        topics = tuple(sorted(fact_ids_by_topic.keys() | question_ids_by_topic.keys()))
        topic_counts = {
            topic: TopicCount(len(fact_ids_by_topic.get(topic, ())), len(question_ids_by_topic.get(topic, ())))
            for topic in topics
        }
        set_(self, "_facts", facts)
        set_(self, "_questions", questions)
        set_(self, "_facts_by_id", facts_by_id)
        set_(self, "_questions_by_id", questions_by_id)
        set_(self, "_fact_ids", tuple(fact.id for fact in shown_facts))
        set_(self, "_fact_ids_set", frozenset(self._fact_ids))
        set_(self, "_question_ids", tuple(question.id for question in shown_questions))
        set_(self, "_fact_ids_by_topic", fact_ids_by_topic)
        set_(self, "_question_ids_by_topic", question_ids_by_topic)
        set_(self, "_sources", sources)
        set_(self, "_topics", topics)
        set_(self, "_fact_topics", tuple(sorted(fact_ids_by_topic)))
        set_(self, "_question_topics", tuple(sorted(question_ids_by_topic)))
        set_(self, "_topic_counts", MappingProxyType(topic_counts))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"ContentStore is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"ContentStore is immutable: cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"<ContentStore {self.counts}>"

    @classmethod
    def load(cls, path: Path) -> ContentStore:
        """Load and check the packs at `path`; raise ContentError listing every problem."""
        result = load_packs(path)
        if result.issues:
            raise ContentError(result.issues)
        return cls(result.packs)

    @property
    def packs(self) -> tuple[Pack, ...]:
        """The packs, in load order."""
        return self._packs

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact, in load order (hidden ones too)."""
        return self._facts

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in load order (hidden ones too)."""
        return self._questions

    @property
    def counts(self) -> ContentCounts:
        """How many packs, facts, questions, topics and contested facts are loaded (hidden ones not counted)."""
        contested = sum(fact.is_contested for fact in self._facts if fact.id in self._fact_ids_set)
        shown = len(self._fact_ids), len(self._question_ids)
        return ContentCounts(len(self._packs), *shown, len(self._topics), contested)

    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, or None."""
        return self._facts_by_id.get(fact_id)

    def shows_fact(self, fact_id: str) -> bool:
        """Whether the fact is loaded and not hidden: one that may be drawn."""
        return fact_id in self._fact_ids_set

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._questions_by_id.get(question_id)

    def source(self, file: str) -> Source | None:
        """The source declared with this file name (for its headline), or None."""
        return self._sources.get(file)

    def fact_ids(self, topic: str | None = None) -> tuple[str, ...]:
        """Fact ids in load order, all or only those with `topic` (empty for an unknown topic)."""
        if topic is None:
            return self._fact_ids
        return self._fact_ids_by_topic.get(topic, ())

    def question_ids(self, topic: str | None = None) -> tuple[str, ...]:
        """Question ids in load order, all or only those whose fact has `topic`."""
        if topic is None:
            return self._question_ids
        return self._question_ids_by_topic.get(topic, ())

    def topics(self) -> tuple[str, ...]:
        """Every topic of any fact or question, sorted."""
        return self._topics

    def fact_topics(self) -> tuple[str, ...]:
        """Every topic of any fact, sorted (an imported quiz list's topics have no facts)."""
        return self._fact_topics

    def question_topics(self) -> tuple[str, ...]:
        """Every topic of any question, sorted (a topic may have facts only): the quiz's topics."""
        return self._question_topics

    def topic_counts(self) -> Mapping[str, TopicCount]:
        """Facts and questions per topic, in topic order (read-only)."""
        return self._topic_counts
