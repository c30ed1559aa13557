"""The moderators' list of reported entries (/pack reports) and the answers to a report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.content import EntryKind
from bot.reports import Reason, ReportSummary
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, clip, typed_text

__all__ = ["PAGE_SIZE", "report_filed_message", "reports_embed"]

PAGE_SIZE = 5  # entries per page: one field each, and one option each in the dismiss select
ENTRY_TEXT_SHOWN = 150
FIELD_NAME_MAX = 140  # kind, a 60-character id and a 40-character pack id fit
FIELD_VALUE_MAX = 900  # five fields of at most 140 + 900 stay well inside the 6,000 an embed may hold
KIND_LABELS = {EntryKind.FACT: "Fact", EntryKind.QUESTION: "Question"}


def reports_embed(
    guild_name: str,
    summaries: Sequence[ReportSummary],
    texts: Mapping[tuple[EntryKind, str], str | None],
    *,
    hidden: frozenset[tuple[EntryKind, str]] = frozenset(),
    page: int,
    pages: int,
    total: int,
    note: str | None = None,
) -> discord.Embed:
    """One page of a server's reported entries, the most recently reported first.

    `texts` holds each entry's text as loaded now (None: no longer loaded); `hidden` the entries
    the server hid; `note` says what the moderator just did (a dismissal, a hide).
    """
    if summaries:
        count = f"{total} reported entr{'y' if total == 1 else 'ies'}"
        body = f"{count}, the most recently reported first. Below: hide an entry here, or dismiss its reports."
    else:
        body = "No open reports. Players report a fact or question with the 🚩 button under it."
    if note:
        body = f"{note}\n\n{body}"
    embed = discord.Embed(
        title=clip(f"Reports on {guild_name}", 256), description=clip(body, EMBED_DESCRIPTION), colour=colours.WARNING
    )
    for summary in summaries:
        text = texts.get((summary.kind, summary.entry_id))
        state = " · hidden here" if (summary.kind, summary.entry_id) in hidden else ""
        embed.add_field(
            name=clip(
                f"{KIND_LABELS[summary.kind]} `{summary.entry_id}` · pack `{summary.pack_id}`{state}", FIELD_NAME_MAX
            ),
            value=clip(_entry_lines(summary, text), FIELD_VALUE_MAX),
            inline=False,
        )
    if pages > 1:
        embed.set_footer(text=f"Page {page + 1} of {pages}")
    return embed


def _entry_lines(summary: ReportSummary, text: str | None) -> str:
    quoted = f"> {discord.utils.escape_markdown(clip(' '.join(text.split()), ENTRY_TEXT_SHOWN))}" if text else (
        "*(no longer in the loaded content)*"
    )
    reasons = ", ".join(f"{n} {reason.value}" for reason, n in summary.reasons.items())
    plural = "s" if summary.count != 1 else ""
    lines = [quoted, f"**{summary.count} report{plural}**: {reasons} · latest <t:{int(summary.newest_at)}:R>"]
    lines += [f"“{typed_text(note)}”" for note in summary.notes]  # notes are typed by players
    return "\n".join(lines)


def report_filed_message(kind: EntryKind, reason: Reason, *, new: bool) -> str:
    """The private answer to a report: what was recorded, and that it replaced an earlier one."""
    what = KIND_LABELS[kind].lower()
    if new:
        return f"Thanks: your report of this {what} (**{reason.value}**) is with this server's moderators."
    return f"Updated: your report of this {what} now says **{reason.value}** (one report per player per {what})."
