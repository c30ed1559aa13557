"""Checking an uploaded pack: the content validator, plus what a pack living beside others must respect.

The rule for ids: a server pack's pack, fact and question ids must not be used by any shipped
pack (enabled or not) nor by another of the server's packs. Hiding, reports, fact decks and the
quiz's no-repeat history all name entries by id within a server, so an id must mean one entry in
a server; ids of other servers' packs are theirs alone and never meet this server's.
Uploading a pack whose id is one of the server's own packs replaces that pack (after a confirmation),
so its own entries are not counted as taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.content import ContentIssue, Pack
from bot.content.entries import entry_name
from bot.content.loader import check_server_pack
from bot.content.pack_files import read_pack_bytes
from bot.packs.limits import MAX_ENTRIES, MAX_PACK_BYTES, size_label

__all__ = ["Owner", "TakenIds", "UploadCheck", "check_against", "check_upload", "parse_upload"]


@dataclass(frozen=True, slots=True)
class Owner:
    """A pack that uses an id: shipped, or one of the server's own."""

    pack_id: str
    shipped: bool

    def __str__(self) -> str:
        kind = "the shipped pack" if self.shipped else "this server's pack"
        return f"{kind} {self.pack_id!r}"


@dataclass(slots=True)
class TakenIds:
    """The ids (and source headlines) already in use in a server, each with the pack that uses it."""

    packs: dict[str, Owner] = field(default_factory=dict)
    facts: dict[str, Owner] = field(default_factory=dict)
    questions: dict[str, Owner] = field(default_factory=dict)
    sources: dict[str, tuple[str, Owner]] = field(default_factory=dict)  # key -> (headline, owner)

    @classmethod
    def of(cls, shipped: Iterable[Pack], server: Iterable[Pack]) -> TakenIds:
        """What the shipped packs (all of them, switched off or not) and the server's packs use."""
        taken = cls()
        for is_shipped, packs in ((True, shipped), (False, server)):
            for pack in packs:
                taken.add(pack, Owner(pack.id, is_shipped))
        return taken

    def add(self, pack: Pack, owner: Owner) -> None:
        self.packs.setdefault(pack.id, owner)
        for fact in pack.facts:
            self.facts.setdefault(fact.id, owner)
        for question in pack.questions:
            self.questions.setdefault(question.id, owner)
        for source in pack.sources:
            self.sources.setdefault(source.file, (source.headline, owner))

    def clash(self, ids: dict[str, Owner], entry_id: str, pack_id: str) -> Owner | None:
        """Who else uses `entry_id`; the server's own pack of the same id is being replaced, so not it."""
        owner = ids.get(entry_id)
        if owner is None or (not owner.shipped and owner.pack_id == pack_id):
            return None
        return owner


@dataclass(frozen=True, slots=True)
class UploadCheck:
    """The checked pack, or every problem found (then `pack` is None)."""

    pack: Pack | None
    issues: tuple[ContentIssue, ...]
    text: str = ""  # the file's text, as stored and exported
    filename: str = ""


def check_upload(data: bytes, filename: str, taken: TakenIds) -> UploadCheck:
    """Check an uploaded file as `check-content` checks a pack, and against the server's other ids.

    Pure and CPU-bound: callers run it off the event loop.
    """
    return check_against(parse_upload(data, filename), taken)


def parse_upload(data: bytes, filename: str) -> UploadCheck:
    """The pack's own checks (the validator's, and the limits): the costly part, which depends on
    the file alone, so its result can be kept while the server's other packs change."""
    path = Path(filename)
    if len(data) > MAX_PACK_BYTES:
        size = f"{size_label(len(data))}; a pack is at most {size_label(MAX_PACK_BYTES)}"
        return UploadCheck(None, (ContentIssue(path, "file", None, f"is too large ({size})"),), filename=filename)
    raw = read_pack_bytes(data, path)
    result = check_server_pack(raw)
    issues = list(result.issues)
    entries = len(raw.facts) + len(raw.questions)
    if entries > MAX_ENTRIES:
        message = f"has {entries} facts and questions; a server pack holds at most {MAX_ENTRIES}"
        issues.append(ContentIssue(path, "pack", None, message))
    pack = result.packs[0] if result.packs and not issues else None
    return UploadCheck(pack, tuple(issues), raw.text, filename)


def check_against(parsed: UploadCheck, taken: TakenIds) -> UploadCheck:
    """A parsed pack checked against the ids the server already uses (cheap: no parsing)."""
    if parsed.pack is None:
        return parsed
    clashes = _clashes(parsed.pack, Path(parsed.filename), taken)
    if clashes:
        return UploadCheck(None, tuple(clashes), parsed.text, parsed.filename)
    return parsed


def _clashes(pack: Pack, path: Path, taken: TakenIds) -> list[ContentIssue]:
    """Ids the server already uses elsewhere, and sources another pack names with another headline."""
    why = "ids are shared with the shipped packs and this server's other packs: choose another id"
    issues = []
    if (owner := taken.packs.get(pack.id)) is not None and owner.shipped:
        issues.append(ContentIssue(path, "pack", "id", f"pack id {pack.id!r} is used by {owner} ({why})"))
    for fact in pack.facts:
        if (owner := taken.clash(taken.facts, fact.id, pack.id)) is not None:
            message = f"fact id {fact.id!r} is used by {owner} ({why})"
            issues.append(ContentIssue(path, f"fact {fact.id}", "id", message))
    for question in pack.questions:
        if (owner := taken.clash(taken.questions, question.id, pack.id)) is not None:
            message = f"question id {question.id!r} is used by {owner} ({why})"
            issues.append(ContentIssue(path, f"question {question.id}", "id", message))
    for index, source in enumerate(pack.sources):
        first = taken.sources.get(source.file)
        if first is None or first[0] == source.headline:
            continue
        headline, owner = first
        if taken.clash({source.file: owner}, source.file, pack.id):
            entry = entry_name("source", {"file": source.file}, "file", index)
            message = f"differs from the headline {owner} gives {source.file!r}: {headline!r}"
            issues.append(ContentIssue(path, entry, "headline", message))
    return issues
