"""Players' reports of facts and questions: what a report says, the rules it follows, and how a
server's reports are summed up for its moderators. Pure: no Discord, no database.

The rules:
- a report names one entry (a fact or a question) by its kind and id, gives one of four reasons
  and may add a note of at most NOTE_MAX characters;
- a player has at most one open report per entry in a server: reporting it again replaces the
  reason and note (and its time), so one player cannot make an entry look reported by many;
- a player files at most REPORTS_PER_WINDOW reports per REPORT_WINDOW_SECONDS (see the cog), so
  one member cannot flood a server's list;
- a moderator who dismisses an entry's reports closes them all; a player may report it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.content import ContentStore, EntryKind
from bot.user_errors import UserError

__all__ = [
    "NOTE_MAX",
    "REPORTS_PER_WINDOW",
    "REPORT_WINDOW_SECONDS",
    "Reason",
    "ReportSummary",
    "ReportedEntry",
    "clean_note",
    "parse_reason",
    "reported_entry",
]

NOTE_MAX = 300  # room for a sentence or two: what is wrong, and where the right answer is
REPORTS_PER_WINDOW = 5
REPORT_WINDOW_SECONDS = 600.0



class Reason(StrEnum):
    """Why a player reports an entry; the values are stored and offered in the report form."""

    WRONG = "wrong"
    UNCLEAR = "unclear"
    OFFENSIVE = "offensive"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: Mapping[Reason, str] = {
    Reason.WRONG: "It is not true, or the answer marked right is not",
    Reason.UNCLEAR: "It is hard to understand, or the question has more than one answer",
    Reason.OFFENSIVE: "It is hurtful or inappropriate",
    Reason.OTHER: "Something else: say what in the note",
}


def parse_reason(values: Sequence[str]) -> Reason:
    """The one reason picked in the form; a clear UserError for none, several or an unknown one
    (a stale form or a hostile client)."""
    if len(values) != 1:
        raise UserError(f"Pick exactly one reason: {_reason_list()}.")
    try:
        return Reason(values[0])
    except ValueError:
        raise UserError(f"`{values[0][:30]}` is not a reason I know. Pick one of {_reason_list()}.") from None


def _reason_list() -> str:
    names = [r.value for r in Reason]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def clean_note(text: str) -> str | None:
    """The note as stored: runs of white space made one space; None when empty. A note longer
    than NOTE_MAX is refused with its length (the form limits it; a hostile client may not)."""
    note = " ".join(text.split())
    if len(note) > NOTE_MAX:
        raise UserError(f"Your note is {len(note)} characters long; keep it to {NOTE_MAX} or fewer.")
    return note or None


@dataclass(frozen=True, slots=True)
class ReportedEntry:
    """A fact or question as a report records it: which pack it is from, and its text."""

    kind: EntryKind
    entry_id: str
    pack_id: str
    text: str  # the fact's text, or the question's prompt


def reported_entry(content: ContentStore, kind: EntryKind, entry_id: str) -> ReportedEntry | None:
    """The entry a report button names, or None when it is no longer loaded."""
    if kind is EntryKind.FACT:
        fact = content.fact(entry_id)
        return None if fact is None else ReportedEntry(kind, fact.id, fact.pack_id, fact.text)
    question = content.question(entry_id)
    return None if question is None else ReportedEntry(kind, question.id, question.pack_id, question.prompt)


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """One entry's open reports in a server, as the moderators' list shows them."""

    kind: EntryKind
    entry_id: str
    pack_id: str
    reasons: Mapping[Reason, int]  # open reports per reason, only the reasons given
    newest_at: float  # unix seconds of the latest report
    notes: tuple[str, ...]  # the latest notes, newest first

    @property
    def count(self) -> int:
        return sum(self.reasons.values())
