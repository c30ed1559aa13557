"""Open Trivia Database API responses, converted into a pack of questions (pure: no files).

A response (https://opentdb.com/api_config.php) is JSON: `response_code` (0 for success) and
`results`, each with `type` ("multiple" or "boolean"), `difficulty`, `category`, `question`,
`correct_answer` and `incorrect_answers`. Every text field of every result, `type`, `difficulty`
and `category` included, is in the encoding the request asked for: HTML entities by default,
or `encode=url3986`, `urlLegacy` (the same with '+' for spaces) or `base64`. Without an
encoding given, it is told from the results themselves (see `detect_encoding`).

Each result becomes one question with its own topics (no fact, so it cites no source article):
its category's subject and, for "Entertainment: Film", its group too. The database is licensed
CC BY-SA 4.0: the pack says so in its description and every explanation credits it. Nothing
is left out quietly: whatever in the input cannot become a valid question is a problem of its
result, and a file with any problem gives no pack.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .entries import PackContext, check_question
from .imported import PACK_ID_MAX, TOPIC_MAX, ConvertedPack, slug
from .issues import ContentIssue, EntryReporter
from .model import DIFFICULTIES, FALSE, TRUE
from .pack_files import RawPack, Table
from .registry import Registry

__all__ = [
    "CREDIT",
    "ENCODINGS",
    "OpenTdbConversion",
    "convert_opentdb",
    "detect_encoding",
    "pack_id_for",
]

ENCODINGS: Final = ("html", "url3986", "urlLegacy", "base64")  # html: the API's default, no `encode=`
QUESTION_TYPES: Final = ("multiple", "boolean")
TEXT_FIELDS: Final = ("type", "difficulty", "category", "question", "correct_answer")
ANSWERS_FIELD: Final = "incorrect_answers"
CREDIT: Final = "From the Open Trivia Database (opentdb.com), CC BY-SA 4.0."
LICENCE_URL: Final = "https://creativecommons.org/licenses/by-sa/4.0/"
# What a non-zero response_code means (the API's documentation).
RESPONSE_CODES: Final = {
    1: "no results: the database has fewer questions than the request asked for",
    2: "invalid parameter: the request's arguments were not valid",
    3: "token not found: the session token does not exist",
    4: "token empty: the session token has returned every question for this request; reset it",
    5: "rate limit: too many requests (one every 5 seconds per address)",
}

# A result's field in the pack's question, by the pack's name: to name the input's field in messages.
_INPUT_FIELD: Final = {
    "prompt": "question",
    "answer": "correct_answer",
    "wrong": ANSWERS_FIELD,
    "topics": "category",
    "difficulty": "difficulty",
}
# `type` and `difficulty` as they read in base64: nothing else tells base64 from the default at a glance.
_BASE64_MARKERS: Final = frozenset(
    base64.b64encode(value.encode()).decode() for value in (*QUESTION_TYPES, *DIFFICULTIES)
)
# What a percent-encoded text never has: a character outside its alphabet, or a '%' without two hex digits.
_NOT_PERCENT_TEXT: Final = {
    "url3986": re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9._~%-]"),
    "urlLegacy": re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9._~%+-]"),
}
_URL_ALPHABET = re.compile(r"[A-Za-z0-9._~%+-]*")


class EncodingError(ValueError):
    """A text is not in the encoding the file is read in (the message says why)."""


@dataclass
class OpenTdbConversion(ConvertedPack):
    """The pack document, the encoding it was read in, and every problem of the input."""

    encoding: str = "html"
    detected: bool = True  # False when the encoding was given
    problems: list[ContentIssue] = field(default_factory=list)


def pack_id_for(name: str) -> str:
    """A pack id from the file's name: 'Science Quiz.json' -> 'science-quiz'."""
    return slug(name, PACK_ID_MAX) or "opentdb"


def _look(entry: Mapping[str, Any]) -> str | None:
    """The encoding a result reads as, or None when its question would read the same in every text encoding."""
    if entry.get("type") in _BASE64_MARKERS or entry.get("difficulty") in _BASE64_MARKERS:
        return "base64"
    question = entry.get("question")
    if not isinstance(question, str):
        return None
    if not _URL_ALPHABET.fullmatch(question):  # a space, '&', '?' ...: never in a URL-encoded text
        return "html"
    if "+" in question:
        return "urlLegacy"
    return "url3986" if "%" in question else None


def detect_encoding(results: Sequence[object]) -> str:
    """The encoding most results read as (html when none tells): an API response has a single one."""
    looks = Counter(look for entry in results if isinstance(entry, Mapping) and (look := _look(entry)))
    if not looks:
        return "html"
    most = max(looks.values())
    return next(encoding for encoding in ENCODINGS if looks[encoding] == most)


def decode(text: str, encoding: str) -> str:
    """The text as written, with runs of white space made one; EncodingError when it is not in `encoding`."""
    if encoding == "html":
        decoded = html.unescape(text)
    elif encoding == "base64":
        try:
            decoded = base64.b64decode(text, validate=True).decode("utf-8")
        except binascii.Error as error:
            raise EncodingError(f"is not valid base64 ({error})") from None
        except UnicodeDecodeError:
            raise EncodingError("is base64 but not of UTF-8 text") from None
    else:
        if bad := _NOT_PERCENT_TEXT[encoding].search(text):
            if bad.group() == "%":
                escape = text[bad.start() : bad.start() + 3]
                raise EncodingError(f"is not valid {encoding}: {escape!r} is not '%' and two hex digits")
            raise EncodingError(f"is not valid {encoding}: it has {bad.group()!r}, which {encoding} percent-encodes")
        unquote = urllib.parse.unquote_plus if encoding == "urlLegacy" else urllib.parse.unquote
        try:
            decoded = unquote(text, errors="strict")
        except UnicodeDecodeError:
            raise EncodingError(f"is {encoding} but not of UTF-8 text") from None
    return " ".join(decoded.split())


def convert_opentdb(data: object, path: Path, *, encoding: str | None = None) -> OpenTdbConversion:
    """Convert a parsed response (read from `path`, whose stem names the pack) into a pack document.

    `encoding`: one of ENCODINGS, or None to detect it. Problems are named by result number (from 1).
    """
    name = path.stem
    pack_id = pack_id_for(name)
    conversion = OpenTdbConversion(
        {
            "pack": {
                "id": pack_id,
                "title": f"{name} (Open Trivia Database)"[:100],
                "description": f"Questions from the Open Trivia Database (opentdb.com), licensed CC BY-SA 4.0 "
                f"({LICENCE_URL}); decoded and converted to this format.",
            },
            "questions": [],
        }
    )
    results = _results(data, path, conversion.problems)
    if results is None:
        return conversion
    conversion.detected = encoding is None
    conversion.encoding = detect_encoding(results) if encoding is None else encoding
    tables = []
    for index, entry in enumerate(results):
        report = EntryReporter(conversion.problems, path, f"result {index + 1}")
        values = _decoded(entry, conversion, report)
        if values is not None and (table := _question(values, f"{pack_id}-{index + 1}", report)) is not None:
            tables.append((index, table))
    registry = Registry.build([RawPack(path, questions=[table for _, table in tables])])
    context = PackContext(0, pack_id, frozenset(), registry)
    for position, (index, table) in enumerate(tables):
        # The pack's own rules, with the input's field names: lengths, repeated options, true/false.
        found: list[ContentIssue] = []
        if check_question(table, position, context, EntryReporter(found, path, f"result {index + 1}")) is not None:
            conversion.document["questions"].append(table)
        conversion.problems += [
            ContentIssue(path, issue.entry, _INPUT_FIELD.get(issue.field or "", issue.field), issue.message)
            for issue in found
        ]
    conversion.problems.sort(key=_result_number)
    return conversion


def _result_number(issue: ContentIssue) -> int:
    _, _, number = issue.entry.partition("result ")
    return int(number) if number.isdigit() else 0  # the response's own problems first


def _results(data: object, path: Path, problems: list[ContentIssue]) -> list[object] | None:
    """The results list of a response (or a bare list of results); None, with the problems, when there is none."""
    if isinstance(data, list):
        results: object = data
    elif isinstance(data, Mapping):
        report = EntryReporter(problems, path, "response")
        code = data.get("response_code")
        if "response_code" not in data:
            report("response_code", "missing required field")
        elif not isinstance(code, int) or isinstance(code, bool):
            report("response_code", f"must be an integer, not {json_type_name(code)}")
        elif code != 0:
            meaning = RESPONSE_CODES.get(code, "not a code the API documents")
            report("response_code", f"is {code} ({meaning}): the request failed, so there is nothing to import")
        if "results" not in data:
            report("results", "missing required field")
            return None
        results = data["results"]
    else:
        EntryReporter(problems, path, "file")(
            None,
            "must be an Open Trivia Database API response: an object with `response_code` and `results`, "
            f"not {json_type_name(data)}",
        )
        return None
    if not isinstance(results, list):
        EntryReporter(problems, path, "response")("results", f"must be an array, not {json_type_name(results)}")
        return None
    if not results:
        EntryReporter(problems, path, "response")("results", "is empty: there are no questions to import")
    return results


def json_type_name(value: object) -> str:
    """The JSON name of a parsed value's type, with its article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _decoded(entry: object, conversion: OpenTdbConversion, report: EntryReporter) -> dict[str, Any] | None:
    """The fields of a result that are there with their type and decode (each other one reported);
    None when the result is no object, or reads in another encoding than the file's."""
    if not isinstance(entry, Mapping):
        report(None, f"must be an object with the fields {', '.join((*TEXT_FIELDS, ANSWERS_FIELD))}, "
               f"not {json_type_name(entry)}")
        return None
    look = _look(entry)
    if conversion.detected and look is not None and look != conversion.encoding:
        # Given an encoding, each field says what is wrong with it instead.
        report(None, f"reads as {look}, but the file reads as {conversion.encoding} (told from most results): "
               "a response has one encoding for all its results; --encoding to choose")
        return None
    encoding = conversion.encoding
    values: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, ANSWERS_FIELD):
        if name not in entry:
            report(name, "missing required field")
            continue
        value = entry[name]
        try:
            if name != ANSWERS_FIELD:
                if not isinstance(value, str):
                    report(name, f"must be a string, not {json_type_name(value)}")
                    continue
                values[name] = decode(value, encoding)
            else:
                values[name] = _decoded_answers(value, encoding, report)
        except EncodingError as error:
            report(name, str(error))
    return values


def _decoded_answers(value: object, encoding: str, report: EntryReporter) -> list[str]:
    """The incorrect answers, decoded; each problem reported (the result is then not used)."""
    if not isinstance(value, list):
        report(ANSWERS_FIELD, f"must be an array of strings, not {json_type_name(value)}")
        return []
    answers = []
    for number, answer in enumerate(value, 1):
        if not isinstance(answer, str):
            report(ANSWERS_FIELD, f"answer {number} must be a string, not {json_type_name(answer)}")
            continue
        try:
            answers.append(decode(answer, encoding))
        except EncodingError as error:
            report(ANSWERS_FIELD, f"answer {number} {error}")
    return answers


def topics_for(category: str) -> list[str]:
    """Topics from a category: 'Entertainment: Video Games' -> ['video-games', 'entertainment']."""
    group, _, subject = category.rpartition(":")
    topics = [slug(subject, TOPIC_MAX), slug(group, TOPIC_MAX)]
    return [topic for position, topic in enumerate(topics) if topic and topic not in topics[:position]]


def _question(values: Mapping[str, Any], question_id: str, report: EntryReporter) -> Table | None:
    """The pack's question for a result's decoded fields (those that could be read); None, with the
    problems, when it cannot be one. The pack's own rules are checked afterwards, on the question."""
    kind, answer, wrong = values.get("type"), values.get("correct_answer"), values.get(ANSWERS_FIELD)
    if kind is not None and kind not in QUESTION_TYPES:
        report("type", f"{kind!r} is not one of {', '.join(map(repr, QUESTION_TYPES))}")
    elif kind == "boolean" and None not in (answer, wrong) and (
        answer not in (TRUE, FALSE) or wrong != [FALSE if answer == TRUE else TRUE]
    ):
        report("correct_answer", f"a boolean result's answers are {TRUE!r} and {FALSE!r}: got {answer!r} "
               f"and incorrect_answers {wrong!r}")
    difficulty = values.get("difficulty")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        report("difficulty", f"{difficulty!r} is not one of {', '.join(map(repr, DIFFICULTIES))}")
    category = values.get("category")
    topics = topics_for(category) if category is not None else []
    if category is not None and not topics:
        report("category", f"{category!r} gives no topic: it needs a letter or digit (a-z, 0-9)")
    if report.count:
        return None
    table: Table = {
        "id": question_id,
        "topics": topics,
        "prompt": values["question"],
        "answer": answer,
        "wrong": wrong,
        "explanation": CREDIT,
        "difficulty": difficulty,
    }
    if kind == "multiple":
        # Written to be picked among options ("Which of these …"), with no other spellings of the
        # answer: typed rounds would ask what cannot be typed.
        table["typed"] = False
    return table
