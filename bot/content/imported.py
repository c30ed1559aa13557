"""What the importers of other bots' quiz lists share: slugs, the format's limits, the conversion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .entries import PACK_RULES, QUESTION_RULES
from .schema import Text, TextList

__all__ = [
    "ANSWER_MAX",
    "EXPLANATION_MAX",
    "PACK_ID_MAX",
    "PROMPT_MAX",
    "TOPIC_MAX",
    "ConvertedPack",
    "slug",
]

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _limit(rule: object) -> int:
    assert isinstance(rule, Text | TextList)
    return rule.max_len if isinstance(rule, Text) else rule.item_max_len


# The format's limits (docs/content-format.md), read from the validator's own rules.
PACK_ID_MAX = _limit(PACK_RULES["id"])
TOPIC_MAX = _limit(QUESTION_RULES["topics"])
PROMPT_MAX = _limit(QUESTION_RULES["prompt"])
ANSWER_MAX = _limit(QUESTION_RULES["answer"])
EXPLANATION_MAX = _limit(QUESTION_RULES["explanation"])


def slug(text: str, max_len: int) -> str:
    """A slug of at most `max_len` characters: 'Office Trivia' -> 'office-trivia' ('' when nothing is left)."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:max_len].strip("-")


@dataclass
class ConvertedPack:
    """The pack document an importer made, to write as TOML."""

    document: dict[str, Any]

    @property
    def question_count(self) -> int:
        return len(self.document["questions"])
