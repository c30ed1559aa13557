"""The Report button under facts and reveals, the report form it opens, and the moderators' paging
and dismiss controls. Every id format here is written and read only in this module.

report:<kind>:<entry id>       the Report button (kind: fact or question)
report:<kind>:<entry id>:send  the form it opens (a modal); read by the Reports cog's listener
reports:<page>:<prev|next>     paging under /pack reports
reports:dismiss:<page>         the select that dismisses an entry's reports on that page
reports:hide:<page>            the select that hides an entry of that page in the server (or shows it again)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.client import bot_of
from bot.content import EntryKind
from bot.errors import guarded, send_ephemeral
from bot.reports import NOTE_MAX, Reason, ReportSummary
from bot.ui.limits import clip

if TYPE_CHECKING:
    from cogs.reports.cog import Reports

__all__ = [
    "NOTE_INPUT",
    "REASON_INPUT",
    "DismissSelect",
    "HideSelect",
    "ReportButton",
    "ReportsPageButton",
    "dismiss_options",
    "hide_options",
    "parse_dismiss_value",
    "parse_form_id",
    "parse_hide_value",
    "report_form",
    "submitted_report",
]

_KINDS = "|".join(kind.value for kind in EntryKind)
# Entry ids are slugs of at most 60 characters (docs/content-format.md): the longest form id,
# report:question:<60>:send, is 81 characters, within Discord's 100.
_ENTRY = r"[a-z0-9-]{1,60}"
FORM_ID = re.compile(rf"report:(?P<kind>{_KINDS}):(?P<entry>{_ENTRY}):send")
DISMISS_VALUE = re.compile(rf"(?P<kind>{_KINDS}):(?P<entry>{_ENTRY})")  # an option of the dismiss select
HIDE_VALUE = re.compile(rf"(?P<action>hide|show):(?P<kind>{_KINDS}):(?P<entry>{_ENTRY})")  # of the hide select
REASON_INPUT = "reason"
NOTE_INPUT = "note"
FORM_TEXT_SHOWN = 300  # how much of the entry the form quotes, so the player sees what they report
KIND_NAMES = {EntryKind.FACT: "fact", EntryKind.QUESTION: "question"}


async def _reports_cog(interaction: discord.Interaction) -> Reports | None:
    """The loaded Reports cog, or None after telling the user (it is unloaded during shutdown)."""
    from cogs.reports.cog import Reports  # here, not at the top: the cog module imports this one

    cog = bot_of(interaction).cog_of(Reports)
    if cog is None:
        await send_ephemeral(interaction, "Reports are unavailable right now; try again in a minute.")
    return cog


def _options_of(item: discord.ui.Item[Any]) -> list[discord.SelectOption]:
    return item.options if isinstance(item, discord.ui.Select) else []


def _one_value(select: discord.ui.Select[Any]) -> str | None:
    """The one value picked, as sent, or None: a hostile client may send none, several or made-up ones."""
    values = select.values
    return values[0] if len(values) == 1 else None


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"report:(?P<kind>{_KINDS}):(?P<entry>{_ENTRY})"
):
    """The small Report button: it works on any old message, also after a restart."""

    def __init__(self, kind: EntryKind, entry_id: str, *, row: int | None = None) -> None:
        self.kind, self.entry_id = kind, entry_id
        super().__init__(
            discord.ui.Button(
                label="Report", emoji="🚩", style=discord.ButtonStyle.secondary,
                custom_id=f"report:{kind.value}:{entry_id}", row=row,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReportButton:
        return cls(EntryKind(match["kind"]), match["entry"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = await _reports_cog(interaction)
        if cog is None:
            return
        await cog.open_form(interaction, self.kind, self.entry_id)


def report_form(kind: EntryKind, entry_id: str, text: str, *, open_for: float) -> discord.ui.Modal:
    """The form a report is written in: the entry quoted, a reason picked, an optional note.

    discord.py keeps an opened modal in memory until it is submitted or `open_for` seconds pass;
    the submission itself is read by the Reports cog's listener, so it is taken after a restart too.
    """
    modal = discord.ui.Modal(
        title=f"Report this {KIND_NAMES[kind]}", timeout=open_for, custom_id=f"report:{kind.value}:{entry_id}:send"
    )
    modal.add_item(discord.ui.TextDisplay(f"> {clip(' '.join(text.split()), FORM_TEXT_SHOWN)}"))
    options = [discord.SelectOption(label=r.label, value=r.value, description=r.description) for r in Reason]
    modal.add_item(
        discord.ui.Label(
            text="What is the problem?",
            component=discord.ui.Select(custom_id=REASON_INPUT, options=options, required=True),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text="Note (optional)",
            description="What is wrong, and where you read otherwise. Moderators read it.",
            component=discord.ui.TextInput(
                custom_id=NOTE_INPUT, style=discord.TextStyle.paragraph, required=False, max_length=NOTE_MAX
            ),
        )
    )
    return modal


def parse_form_id(custom_id: str) -> tuple[EntryKind, str] | None:
    """Return (kind, entry id) from a report form's id, or None for any other id."""
    match = FORM_ID.fullmatch(custom_id)
    if match is None:
        return None
    return EntryKind(match["kind"]), match["entry"]


def submitted_report(data: Mapping[str, Any]) -> tuple[list[str], str]:
    """The reasons picked and the note typed, from a report form's submission (as sent: unchecked)."""
    reasons: list[str] = []
    note = ""
    for item in data.get("components", []):
        # An input arrives in a label ("component") or, from older clients, an action row ("components").
        for component in item.get("components") or [item.get("component") or {}]:
            if component.get("custom_id") == REASON_INPUT:
                reasons = [str(value) for value in component.get("values") or []]
            elif component.get("custom_id") == NOTE_INPUT:
                note = str(component.get("value") or "")
    return reasons, note


class ReportsPageButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"reports:(?P<page>\d{1,6}):(?P<dir>prev|next)"
):
    """Previous / Next under a page of /pack reports; the page to show is in the id."""

    def __init__(self, page: int, direction: str, *, disabled: bool = False) -> None:
        self.page = page
        super().__init__(
            discord.ui.Button(
                label="Previous" if direction == "prev" else "Next", style=discord.ButtonStyle.secondary,
                custom_id=f"reports:{page}:{direction}", disabled=disabled, row=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReportsPageButton:
        return cls(int(match["page"]), match["dir"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = await _reports_cog(interaction)
        if cog is None:
            return
        await cog.turn_page(interaction, self.page)


def dismiss_options(summaries: Sequence[ReportSummary]) -> list[discord.SelectOption]:
    """One option per entry of the page: its kind and id, and how many reports it has."""
    return [
        discord.SelectOption(
            label=clip(f"{KIND_NAMES[s.kind].capitalize()} {s.entry_id}", 100), value=f"{s.kind.value}:{s.entry_id}",
            description=f"{s.count} report{'s' if s.count != 1 else ''}",
        )
        for s in summaries
    ]


def parse_dismiss_value(value: str) -> tuple[EntryKind, str] | None:
    """Return (kind, entry id) from a dismiss option's value, or None for anything else."""
    match = DISMISS_VALUE.fullmatch(value)
    return None if match is None else (EntryKind(match["kind"]), match["entry"])


class DismissSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"reports:dismiss:(?P<page>\d{1,6})"):
    """Pick an entry of the page to close its reports (it was fixed, hidden, or is fine)."""

    def __init__(self, page: int, options: list[discord.SelectOption]) -> None:
        self.page = page
        super().__init__(
            discord.ui.Select(
                custom_id=f"reports:dismiss:{page}", placeholder="Dismiss the reports of…", options=options
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DismissSelect:
        return cls(int(match["page"]), _options_of(item))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = await _reports_cog(interaction)
        if cog is not None:
            value = _one_value(self.item)
            await cog.dismiss(interaction, self.page, parse_dismiss_value(value) if value else None)


def hide_options(
    summaries: Sequence[ReportSummary], hidden: frozenset[tuple[EntryKind, str]]
) -> list[discord.SelectOption]:
    """One option per entry of the page: hide it in the server, or show it again if it is hidden."""
    options = []
    for s in summaries:
        is_hidden = (s.kind, s.entry_id) in hidden
        verb = "Show again" if is_hidden else "Hide"
        options.append(
            discord.SelectOption(
                label=clip(f"{verb}: {KIND_NAMES[s.kind]} {s.entry_id}", 100),
                value=f"{'show' if is_hidden else 'hide'}:{s.kind.value}:{s.entry_id}",
                description="Hidden here now" if is_hidden else "Keep it out of /fact and quizzes in this server",
            )
        )
    return options


def parse_hide_value(value: str) -> tuple[bool, EntryKind, str] | None:
    """Return (hide?, kind, entry id) from a hide option's value, or None for anything else."""
    match = HIDE_VALUE.fullmatch(value)
    return None if match is None else (match["action"] == "hide", EntryKind(match["kind"]), match["entry"])


class HideSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"reports:hide:(?P<page>\d{1,6})"):
    """Pick an entry of the page to hide it in this server at once (or show a hidden one again)."""

    def __init__(self, page: int, options: list[discord.SelectOption]) -> None:
        self.page = page
        super().__init__(
            discord.ui.Select(
                custom_id=f"reports:hide:{page}", placeholder="Hide in this server, or show again…",
                options=options,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HideSelect:
        return cls(int(match["page"]), _options_of(item))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = await _reports_cog(interaction)
        if cog is not None:
            value = _one_value(self.item)
            await cog.hide(interaction, self.page, parse_hide_value(value) if value else None)
