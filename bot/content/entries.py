"""The rules for each kind of entry: [pack], [[sources]], [[facts]] and [[questions]]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .issues import EntryReporter
from .model import DIFFICULTIES, FALSE, TRUE, Fact, Question, Source
from .pack_files import SERVER_SOURCE_KEYS, Table, source_key
from .registry import Registry
from .schema import Choice, FieldRule, Flag, Report, Text, TextList, check_table

# Limits from docs/content-format.md; each keeps a text within what Discord shows (see the doc).
PACK_RULES: Mapping[str, FieldRule] = {
    "id": Text(40, slug=True),
    "title": Text(100),
    "description": Text(300, required=False),
}
SOURCE_RULES: Mapping[str, FieldRule] = {
    "file": Text(200),
    "headline": Text(200),
}
# A server pack is uploaded without its articles: a source may be a URL or a title instead of a
# file name (one of the three), and a source named by its title needs no headline beside it.
SERVER_SOURCE_RULES: Mapping[str, FieldRule] = {
    "file": Text(200, required=False),
    "url": Text(200, required=False),
    "title": Text(200, required=False),
    "headline": Text(200, required=False),
}
FACT_RULES: Mapping[str, FieldRule] = {
    "id": Text(60, slug=True),
    "text": Text(1000),
    "topics": TextList("topic", 1, 5, 30, slug=True),
    "sources": TextList("source", 1, None, 200),
    "contested": Text(500, required=False),
}
MAX_WRONG = 3
MAX_ACCEPT = 10
QUESTION_RULES: Mapping[str, FieldRule] = {
    "id": Text(60, slug=True),
    "fact": Text(60, required=False),  # required unless the question names its own topics
    "topics": TextList("topic", 1, 5, 30, slug=True, required=False),
    "prompt": Text(300),
    "answer": Text(80),
    # Checked with the answer below. Left out, the question is asked only typed.
    "wrong": TextList("wrong option", 1, MAX_WRONG, 80, distinct=False, required=False),
    "explanation": Text(300),
    "difficulty": Choice(DIFFICULTIES),
    "about_dispute": Flag(),
    "accept": TextList("accepted answer", 1, MAX_ACCEPT, 80, distinct=False, required=False),  # checked below
    "typed": Flag(),
}

_TRUE_FALSE_KEYS = {"true": TRUE, "false": FALSE}


def entry_name(kind: str, table: Table, key: str, index: int) -> str:
    """How an entry is named in messages: by its id when it has one, else by its position."""
    value = table.get(key)
    if isinstance(value, str) and value.strip():
        return f"{kind} {value}"
    return f"{kind} #{index + 1}"


@dataclass(frozen=True, slots=True)
class PackContext:
    """What entry checks need to know about the file they are in."""

    file_no: int
    pack_id: str  # '' when [pack] is broken: its entries are still checked, but no pack is built
    declared_sources: frozenset[str]
    registry: Registry
    server: bool = False  # a server pack: sources by url or title too, questions on this pack's facts


def _option_key(option: str) -> str:
    """Options are compared ignoring case and surrounding spaces (the doc's rule)."""
    return option.strip().casefold()


def check_header(table: Table, file_no: int, registry: Registry, report: Report) -> dict[str, object]:
    """Check the [pack] table; return its usable fields."""
    values = check_table(table, PACK_RULES, report)
    pack_id = values.get("id")
    if isinstance(pack_id, str):
        first = registry.pack_ids.get(pack_id)
        if first is not None and first != file_no:
            report("id", f"pack id {pack_id!r} is already used {registry.where(first, file_no)}")
    return values


def check_source(table: Table, index: int, context: PackContext, report: EntryReporter) -> Source | None:
    """Check one [[sources]] entry; return it when it has no problem."""
    if context.server:
        values = check_table(table, SERVER_SOURCE_RULES, report)
        _check_server_source(table, values, report)
        file = source_key(values, server=True)
        headline = values.get("headline", values.get("title"))
    else:
        values = check_table(table, SOURCE_RULES, report)
        file, headline = values.get("file"), values.get("headline")
    if isinstance(file, str) and file in context.registry.sources:
        (first_file, first_index), first_headline = context.registry.sources[file]
        here = context.file_no
        if first_file == here and first_index != index:
            first = context.registry.first_entry("sources", (first_file, first_index), here)
            report("file", f"source {file!r} is already declared {first}")
        elif first_file != here and None not in (first_headline, headline) and headline != first_headline:
            # One file is one article: packs sharing it must agree on its headline.
            where = context.registry.where(first_file, here)
            report("headline", f"differs from the headline of {file!r} {where}: {first_headline!r}")
    if report.count or not isinstance(file, str) or not isinstance(headline, str):
        return None
    # No problem reported: the source's key and its headline are there, as strings.
    return Source(file=file, headline=headline)


def _check_server_source(table: Table, values: dict[str, object], report: Report) -> None:
    """A server pack's source: exactly one of file, url and title; a headline unless it is a title."""
    given = [key for key in SERVER_SOURCE_KEYS if key in table]
    if not given:
        report("file", "missing: name the source by its `file`, `url` or `title`")
    elif len(given) > 1:
        report(given[1], f"give one of `file`, `url` or `title`, not {' and '.join(f'`{k}`' for k in given)}")
    url = values.get("url")
    if isinstance(url, str) and url.strip():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            report("url", f"{url!r} is not a web address (http:// or https://, without spaces)")
    if "headline" not in table and "title" not in table:
        report("headline", "missing required field (a source given by its `file` or `url` needs its headline)")


def check_fact(table: Table, index: int, context: PackContext, report: EntryReporter) -> Fact | None:
    """Check one [[facts]] entry; return it when it has no problem."""
    values = check_table(table, FACT_RULES, report)
    fact_id = values.get("id")
    if isinstance(fact_id, str):
        first = context.registry.facts.get(fact_id)
        if first is not None and first != (context.file_no, index):
            where = context.registry.first_entry("facts", first, context.file_no)
            report("id", f"fact id {fact_id!r} is already used {where}")
    for source in values.get("sources", []):
        if source.strip() and source not in context.declared_sources:
            report("sources", f"{source!r} is not a [[sources]] file of this pack")
    if report.count:
        return None
    return Fact(
        id=values["id"],
        text=values["text"],
        topics=tuple(values["topics"]),
        sources=tuple(values["sources"]),
        contested=values.get("contested"),
        pack_id=context.pack_id,
    )


def check_question(table: Table, index: int, context: PackContext, report: EntryReporter) -> Question | None:
    """Check one [[questions]] entry; return it when it has no problem."""
    values = check_table(table, QUESTION_RULES, report)
    registry = context.registry
    question_id = values.get("id")
    if isinstance(question_id, str):
        first = registry.questions.get(question_id)
        if first is not None and first != (context.file_no, index):
            where = registry.first_entry("questions", first, context.file_no)
            report("id", f"question id {question_id!r} is already used {where}")

    fact_id = values.get("fact")
    if "fact" not in table and "topics" not in table:
        report("fact", "missing required field (or, for a question not about a fact, give its `topics`)")
    elif "fact" in table and "topics" in table:
        report("topics", "a question about a fact has its fact's topics: give `fact` or `topics`, not both")
    if isinstance(fact_id, str) and fact_id.strip():
        if fact_id not in registry.facts:
            where = "this pack (a server pack's questions test its own facts)" if context.server else "any loaded pack"
            report("fact", f"no fact {fact_id!r} in {where}")
        elif "about_dispute" in values or "about_dispute" not in table:  # skip when its type is wrong
            _check_dispute(fact_id, bool(values.get("about_dispute", False)), registry, report)

    answer, wrong = values.get("answer"), values.get("wrong", [] if "wrong" not in table else None)
    if isinstance(answer, str) and isinstance(wrong, list):
        if wrong:
            _check_options(answer, wrong, report)
        elif values.get("typed") is False:
            report("typed", "a question without wrong options is asked only typed: it cannot set typed = false")
        _check_typed_play(answer, wrong, values, report)

    if report.count:
        return None
    return Question(
        id=values["id"],
        fact_id=values.get("fact"),
        prompt=values["prompt"],
        answer=values["answer"],
        wrong=tuple(values.get("wrong", ())),
        explanation=values["explanation"],
        difficulty=values["difficulty"],
        about_dispute=bool(values.get("about_dispute", False)),
        pack_id=context.pack_id,
        accept=tuple(values.get("accept", ())),
        typed=bool(values.get("typed", True)),
        topics=tuple(values.get("topics", ())),
    )


def _check_typed_play(answer: str, wrong: list[str], values: dict[str, object], report: Report) -> None:
    """`accept` and `typed` are for typed rounds, which never ask a true/false question."""
    if "accept" not in values and "typed" not in values:
        return  # the common case, cheaply: nothing typed-specific to check
    accept, typed = values.get("accept"), values.get("typed", True)
    is_true_false = bool(wrong) and {_option_key(answer), *map(_option_key, wrong)} <= _TRUE_FALSE_KEYS.keys()
    if is_true_false:
        if "typed" in values and typed:
            report("typed", "a true/false question is never typed: leave `typed` out")
        if accept is not None:
            report("accept", "a true/false question is never typed, so it has no accepted answers")
        return
    if not isinstance(accept, list):
        return
    if not typed:
        report("accept", "the question sets typed = false, so no typed guess is compared with these")
    answer_key = _option_key(answer)
    wrong_keys = {_option_key(option) for option in wrong}
    seen: set[str] = set()
    for alias in accept:
        key = _option_key(alias)
        if not key:
            continue  # already reported as empty
        if key in wrong_keys:
            report("accept", f"{alias!r} is also a wrong option")
        elif key == answer_key:
            report("accept", f"repeats the answer {answer!r}")
        elif key in seen:
            report("accept", f"repeats the accepted answer {alias!r}")
        seen.add(key)


def _check_dispute(fact_id: str, about_dispute: bool, registry: Registry, report: Report) -> None:
    """A question on a contested fact must be about the dispute, and only then."""
    contested = fact_id in registry.contested_facts
    if contested and not about_dispute:
        report(
            "about_dispute",
            f"fact {fact_id!r} is contested, so the question must set about_dispute = true "
            "and ask about the disagreement",
        )
    elif about_dispute and not contested:
        report("about_dispute", f"fact {fact_id!r} is not contested, so about_dispute must be false or left out")


def _check_options(answer: str, wrong: list[str], report: Report) -> None:
    """Options must be distinct; 'True'/'False' only as a well-formed true/false pair."""
    options = [answer, *wrong]
    keys = [_option_key(option) for option in options]
    distinct = len(set(keys)) == len(keys)
    if not distinct:
        first_position: dict[str, int] = {}
        for position, key in enumerate(keys):
            if not key:
                continue  # already reported as empty
            first = first_position.setdefault(key, position)
            if first != position:
                repeated = "the answer" if first == 0 else "the option"
                report("wrong", f"repeats {repeated} {options[first]!r}")
    # A true/false check on top of a duplicate or a bad count would restate the same mistake.
    if distinct and 1 <= len(wrong) <= MAX_WRONG and not _TRUE_FALSE_KEYS.keys().isdisjoint(keys):
        _check_true_false(answer, wrong, report)


def _check_true_false(answer: str, wrong: list[str], report: Report) -> None:
    """True/False must be exactly the pair 'True' and 'False', never mixed with other options."""
    answer_key = _option_key(answer)
    wrong_keys = [_option_key(option) for option in wrong]
    if answer_key in _TRUE_FALSE_KEYS:
        if len(wrong) == 1 and wrong_keys[0] in _TRUE_FALSE_KEYS:
            # The right pair; it is shown as 'True', 'False', so insist on that spelling.
            for field, option in (("answer", answer), ("wrong", wrong[0])):
                spelled = _TRUE_FALSE_KEYS[_option_key(option)]
                if option != spelled:
                    hint = "true/false options are 'True' and 'False'"
                    report(field, f"write {spelled!r}, not {option!r} ({hint})")
            return
        other = FALSE if answer_key == "true" else TRUE
        report("wrong", f'a true/false question needs wrong = ["{other}"]')
        return
    for option, key in zip(wrong, wrong_keys, strict=True):
        if key in _TRUE_FALSE_KEYS:
            report(
                "wrong",
                f"{option!r} is only allowed in a true/false question "
                '(answer = "True" and wrong = ["False"], or the reverse)',
            )
