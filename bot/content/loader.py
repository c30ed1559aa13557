"""Loading every pack at a path and checking it, collecting all problems at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, cast

from .entries import PackContext, check_fact, check_header, check_question, check_source, entry_name
from .issues import ContentIssue, EntryReporter
from .model import Fact, Pack, Question, Source
from .pack_files import RawPack, find_pack_files, read_pack_file, source_key
from .registry import Registry

# The packs shipped with the bot: package data (bot/seeds/), so they are installed with it and
# found from this file, in a checkout and in an installed wheel alike, whatever the current directory.
DEFAULT_CONTENT_PATH: Final = Path(__file__).resolve().parents[1] / "seeds"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The packs that loaded and every problem found.

    `packs` leaves out broken packs and broken entries, so it is only complete when `issues` is empty.
    """

    packs: tuple[Pack, ...]
    issues: tuple[ContentIssue, ...]


def load_packs(path: Path) -> LoadResult:
    """Load and check a folder's *.toml packs (in name order) or a single .toml file."""
    files, issues = find_pack_files(path)
    raws = [read_pack_file(file) for file in files]
    registry = Registry.build(raws)
    packs = []
    for file_no, raw in enumerate(raws):
        issues.extend(raw.issues)
        pack = _check_pack(raw, file_no, registry, issues)
        if pack is not None:
            packs.append(pack)
    return LoadResult(tuple(packs), tuple(issues))


def check_server_pack(raw: RawPack) -> LoadResult:
    """Check one server pack on its own, by the rules of a pack file except where a server pack differs:
    a source may be a URL or a title, and a question tests a fact of its own pack."""
    issues = list(raw.issues)
    pack = _check_pack(raw, 0, Registry.build([raw], server=True), issues, server=True)
    return LoadResult(() if pack is None else (pack,), tuple(issues))


def _check_pack(
    raw: RawPack, file_no: int, registry: Registry, issues: list[ContentIssue], *, server: bool = False
) -> Pack | None:
    """Check one file's entries, in file order; return its pack when the [pack] table is sound."""
    header: dict[str, object] | None = None
    if raw.header is not None:
        report = EntryReporter(issues, raw.path, "pack")
        values = check_header(raw.header, file_no, registry, report)
        if not raw.facts and not raw.questions and not {"facts", "questions"} & set(raw.malformed):
            report("facts", "the pack has no facts and no questions")
        header = None if report.count else values

    pack_id = cast(str, header["id"]) if header else ""
    declared = frozenset(file for table in raw.sources if (file := source_key(table, server=server)) is not None)
    context = PackContext(file_no, pack_id, declared, registry, server)

    sources: list[Source] = []
    for index, table in enumerate(raw.sources):
        name = entry_name("source", {"key": source_key(table, server=server)}, "key", index)
        report = EntryReporter(issues, raw.path, name)
        if (source := check_source(table, index, context, report)) is not None:
            sources.append(source)
    facts: list[Fact] = []
    for index, table in enumerate(raw.facts):
        report = EntryReporter(issues, raw.path, entry_name("fact", table, "id", index))
        if (fact := check_fact(table, index, context, report)) is not None:
            facts.append(fact)
    questions: list[Question] = []
    for index, table in enumerate(raw.questions):
        report = EntryReporter(issues, raw.path, entry_name("question", table, "id", index))
        if (question := check_question(table, index, context, report)) is not None:
            questions.append(question)

    if header is None:
        return None
    return Pack(
        id=pack_id,
        title=cast(str, header["title"]),
        description=cast("str | None", header.get("description")),
        path=raw.path,
        sources=tuple(sources),
        facts=tuple(facts),
        questions=tuple(questions),
    )
