"""Red-DiscordBot trivia lists, converted into a pack of typed-only questions (pure: no files).

A Red list is YAML: each key is a question and its value the accepted answers; `AUTHOR` and
`CONFIG` are not questions (the author is credited in each explanation, CONFIG is ignored).
Answers are read as Red reads them: `true`/`yes`/`on` (YAML booleans) are accepted as "True",
"Yes" and "On", numbers as written. Red's lists are GPL-licensed, so none ships with the bot:
a host imports the ones they want (`python -m bot import-content red-trivia FILE.yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .entries import MAX_ACCEPT
from .imported import ANSWER_MAX, EXPLANATION_MAX, PACK_ID_MAX, PROMPT_MAX, TOPIC_MAX, ConvertedPack, slug

__all__ = ["NOT_QUESTIONS", "RedTriviaError", "TriviaConversion", "convert_red_trivia", "pack_id_for"]

NOT_QUESTIONS = frozenset({"AUTHOR", "CONFIG"})


class RedTriviaError(ValueError):
    """The file is not a Red trivia list at all (the message says why)."""


@dataclass
class TriviaConversion(ConvertedPack):
    """The pack document to write, and what was left out of it (one line per question)."""

    left_out: list[str] = field(default_factory=list)


def pack_id_for(name: str) -> str:
    """A pack id (and topic) from a list's file name: 'Office Trivia.yaml' -> 'office-trivia'."""
    return slug(name, PACK_ID_MAX) or "red-trivia"


def _answers(value: object) -> list[str]:
    """The accepted answers as Red reads them, stripped, without repeats (ignoring case)."""
    raw = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for answer in raw:
        if isinstance(answer, bool):  # YAML reads yes/no/on/off/true/false as booleans
            texts += ["True", "Yes", "On"] if answer else ["False", "No", "Off"]
        elif answer is not None:
            texts.append(" ".join(str(answer).split()))
    seen: set[str] = set()
    unique = []
    for text in texts:
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            unique.append(text)
    return unique


def convert_red_trivia(data: object, name: str, *, difficulty: str = "medium") -> TriviaConversion:
    """Convert a parsed Red list (`name`: its file name without the extension) into a pack document."""
    if not isinstance(data, Mapping):
        raise RedTriviaError("a Red trivia list is a mapping of questions to their answers")
    pack_id = pack_id_for(name)
    topic = pack_id[:TOPIC_MAX].strip("-")
    author = " ".join(str(data.get("AUTHOR") or "").split())
    credit = f"From the Red-DiscordBot trivia list “{name}”" + (f" by {author}" if author else "") + "."
    conversion = TriviaConversion(
        {
            "pack": {
                "id": pack_id,
                "title": f"{name} (Red trivia list)"[:100],
                "description": "Imported from a Red-DiscordBot trivia list (GPL-3.0): questions to type the answer to.",
            },
            "questions": [],
        }
    )
    for key, value in data.items():
        if key in NOT_QUESTIONS:
            continue
        prompt = " ".join(str(key).split())
        problem = _problem(prompt, _answers(value))
        if problem:
            conversion.left_out.append(f"{prompt[:60]!r}: {problem}")
            continue
        answers = [a for a in _answers(value) if len(a) <= ANSWER_MAX]
        question = {
            "id": f"{pack_id}-{len(conversion.document['questions']) + 1}",
            "topics": [topic],
            "prompt": prompt,
            "answer": answers[0],
            "explanation": credit[:EXPLANATION_MAX],
            "difficulty": difficulty,
        }
        if len(answers) > 1:
            question["accept"] = answers[1 : MAX_ACCEPT + 1]
            if len(answers) > MAX_ACCEPT + 1:
                conversion.left_out.append(
                    f"{prompt[:60]!r}: kept the first {MAX_ACCEPT + 1} of its {len(answers)} answers"
                )
        conversion.document["questions"].append(question)
    return conversion


def _problem(prompt: str, answers: list[str]) -> str | None:
    """Why a question cannot be imported, or None."""
    if not prompt:
        return "the question is empty"
    if len(prompt) > PROMPT_MAX:
        return f"the question is {len(prompt)} characters long, packs allow {PROMPT_MAX}"
    if not answers:
        return "it has no answer"
    if all(len(answer) > ANSWER_MAX for answer in answers):
        return f"every answer is longer than {ANSWER_MAX} characters"
    return None
