"""The content that packs hold: sources, facts, questions and the packs themselves."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

DIFFICULTIES: Final = ("easy", "medium", "hard")
TRUE: Final = "True"
FALSE: Final = "False"


@dataclass(frozen=True, slots=True)
class Source:
    """An article that facts cite, named by its file."""

    file: str
    headline: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One short statement, backed by one or more sources."""

    id: str
    text: str
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    contested: str | None
    pack_id: str

    @property
    def is_contested(self) -> bool:
        """Whether the sources disagree about this fact."""
        return self.contested is not None


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question testing one fact."""

    id: str
    fact_id: str | None  # None: a question of its own (an imported quiz list), with its own topics
    prompt: str
    answer: str
    wrong: tuple[str, ...]
    explanation: str
    difficulty: str
    about_dispute: bool
    pack_id: str
    accept: tuple[str, ...] = ()  # more answers a typed guess may match
    typed: bool = True  # the pack's `typed`: false keeps the question out of typed rounds
    topics: tuple[str, ...] = ()  # a question without a fact names its topics; else its fact's count

    @property
    def on_buttons(self) -> bool:
        """Whether it can be asked with buttons: it has wrong options (else it is typed only)."""
        return bool(self.wrong)

    @property
    def typed_play(self) -> bool:
        """Whether typed rounds may ask it: never a true/false one (a coin toss to type)."""
        return self.typed and not self.is_true_false

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        """What a typed guess is compared with: the answer, then its aliases."""
        return (self.answer, *self.accept)

    @property
    def options(self) -> tuple[str, ...]:
        """Every option, the answer first."""
        return (self.answer, *self.wrong)

    @property
    def is_true_false(self) -> bool:
        """Whether the options are exactly 'True' and 'False'."""
        return len(self.wrong) == 1 and {self.answer, self.wrong[0]} == {TRUE, FALSE}

    def presented_options(self, rng: random.Random) -> tuple[tuple[str, ...], int]:
        """The options in display order and the index of the correct one."""
        if self.is_true_false:
            # Always True then False: shuffling two buttons only makes players misclick.
            return (TRUE, FALSE), 0 if self.answer == TRUE else 1
        options = self.options
        # Shuffle positions rather than strings so the answer is found by position, not by value.
        order = list(range(len(options)))
        rng.shuffle(order)
        return tuple(options[i] for i in order), order.index(0)


@dataclass(frozen=True, slots=True)
class Pack:
    """One TOML file's worth of content."""

    id: str
    title: str
    description: str | None
    path: Path
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    questions: tuple[Question, ...]


class EntryKind(StrEnum):
    """A fact or a question: the two have separate id spaces. The values are stored (hidden
    entries, reports) and carried in button ids."""

    FACT = "fact"
    QUESTION = "question"
