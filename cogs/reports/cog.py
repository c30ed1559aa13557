"""Reports: the form behind every Report button, and the moderators' list of what was reported.

`/pack reports` is a command of the packs cog's group, which calls `show_reports` here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.content import ContentStore, EntryKind
from bot.errors import UserError, guild_of, report_error
from bot.facts.cooldown import Cooldown
from bot.permissions import require_manage_guild
from bot.reports import (
    REPORT_WINDOW_SECONDS,
    REPORTS_PER_WINDOW,
    ReportedEntry,
    ReportSummary,
    clean_note,
    parse_reason,
    reported_entry,
)
from bot.ui.reports import PAGE_SIZE, report_filed_message, reports_embed
from cogs.reports.buttons import (
    KIND_NAMES,
    DismissSelect,
    HideSelect,
    ReportButton,
    ReportsPageButton,
    dismiss_options,
    hide_options,
    parse_form_id,
    report_form,
    submitted_report,
)

if TYPE_CHECKING:
    from bot.client import QuizBot

FORM_OPEN_FOR = 900.0  # seconds discord.py keeps an opened form in memory (Discord's token lives 15 min)


class Reports(commands.Cog):
    """Players report entries; the server's moderators list and dismiss the reports."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = bot.repos.reports
        # Per server and player: one member cannot flood a server's list.
        self.cooldown = Cooldown(REPORTS_PER_WINDOW, REPORT_WINDOW_SECONDS, bot.timing.monotonic)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReportButton, ReportsPageButton, DismissSelect, HideSelect)
        self.bot.add_listener(self.on_form_submit, "on_interaction")

    async def cog_unload(self) -> None:
        self.bot.remove_listener(self.on_form_submit, "on_interaction")
        self.bot.remove_dynamic_items(ReportButton, ReportsPageButton, DismissSelect, HideSelect)

    # -- players ---------------------------------------------------------------------------

    async def _entry(self, guild_id: int, kind: EntryKind, entry_id: str) -> ReportedEntry:
        # The server's own content: its packs' entries are reportable there, and only there.
        entry = reported_entry(await self.bot.guild_content.for_guild(guild_id), kind, entry_id)
        if entry is None:
            raise UserError(f"This {KIND_NAMES[kind]} is no longer in my content, so there is nothing to report.")
        return entry

    async def open_form(self, interaction: discord.Interaction, kind: EntryKind, entry_id: str) -> None:
        """Answer a Report button with the form, quoting the entry."""
        guild = guild_of(interaction)  # reports belong to a server
        entry = await self._entry(guild.id, kind, entry_id)
        await interaction.response.send_modal(report_form(kind, entry_id, entry.text, open_for=FORM_OPEN_FOR))

    async def on_form_submit(self, interaction: discord.Interaction) -> None:
        """Take a submitted report form; every other interaction is someone else's."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, Any] = interaction.data or {}
        form = parse_form_id(str(data.get("custom_id", "")))
        if form is None:
            return
        try:
            await self.file_report(interaction, *form, *submitted_report(data))
        except Exception as error:
            await report_error(interaction, error)

    async def file_report(
        self, interaction: discord.Interaction, kind: EntryKind, entry_id: str, reasons: list[str], note_text: str
    ) -> None:
        """Check and store one report, then answer privately."""
        guild = guild_of(interaction)
        reason = parse_reason(reasons)
        note = clean_note(note_text)
        entry = await self._entry(guild.id, kind, entry_id)
        wait = self.cooldown.try_use((guild.id, interaction.user.id))
        if wait:
            ready_at = int(self.bot.timing.timestamp() + wait) + 1
            raise UserError(f"That's a lot of reports at once. You can report again <t:{ready_at}:R>.")
        new = await self.repo.file(guild.id, entry, interaction.user.id, reason, note)
        await interaction.response.send_message(report_filed_message(kind, reason, new=new), ephemeral=True)

    # -- moderators ------------------------------------------------------------------------

    @staticmethod
    def _require_moderator(interaction: discord.Interaction) -> discord.Guild:
        require_manage_guild(interaction)  # the one bot-side check, shared with /config and /pack
        return guild_of(interaction)

    async def show_reports(self, interaction: discord.Interaction) -> None:
        """Answer /pack reports with the first page, privately."""
        guild = self._require_moderator(interaction)
        embed, view = await self._render(guild, 0)
        await interaction.response.send_message(embed=embed, view=view or discord.utils.MISSING, ephemeral=True)

    async def turn_page(self, interaction: discord.Interaction, page: int) -> None:
        guild = self._require_moderator(interaction)
        embed, view = await self._render(guild, page)
        await interaction.response.edit_message(embed=embed, view=view)

    async def dismiss(self, interaction: discord.Interaction, page: int, picked: tuple[EntryKind, str] | None) -> None:
        """Close the reports of the entry picked on a page, and show the page again without it."""
        guild = self._require_moderator(interaction)
        if picked is None:
            raise UserError("Pick one entry of the list to dismiss its reports.")
        kind, entry_id = picked
        closed = await self.repo.dismiss(guild.id, kind, entry_id, interaction.user.id)
        what = f"{KIND_NAMES[kind]} `{entry_id}`"
        if closed:
            note = f"Dismissed {closed} report{'s' if closed != 1 else ''} of {what}."
        else:
            note = f"The reports of {what} were already dismissed."
        embed, view = await self._render(guild, page, note=note)
        await interaction.response.edit_message(embed=embed, view=view)

    async def hide(
        self, interaction: discord.Interaction, page: int, picked: tuple[bool, EntryKind, str] | None
    ) -> None:
        """Hide the entry picked on a page in this server (or show it again); its reports stay open."""
        guild = self._require_moderator(interaction)
        if picked is None:
            raise UserError("Pick one entry of the list to hide or show again.")
        hidden, kind, entry_id = picked
        await self.bot.guild_content.set_hidden(guild.id, kind, entry_id, hidden, interaction.user.id)
        what = f"{KIND_NAMES[kind]} `{entry_id}`"
        if hidden:
            note = (f"Hid {what} in this server: it no longer comes up in `/fact` or quizzes here. "
                    "Its reports stay open until you dismiss them.")
        else:
            note = f"{what[0].upper()}{what[1:]} comes up again in this server."
        embed, view = await self._render(guild, page, note=note)
        await interaction.response.edit_message(embed=embed, view=view)

    async def _render(
        self, guild: discord.Guild, page: int, *, note: str | None = None
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        """One page of the list (clamped to the last page) and its controls."""
        total = await self.repo.count_entries(guild.id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        summaries = await self.repo.page(guild.id, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        seen = await self.bot.guild_content.view(guild.id)  # the server's content and what it hid
        texts = self._texts(seen.content, summaries)
        hidden = seen.state.hidden
        embed = reports_embed(
            guild.name, summaries, texts, hidden=hidden, page=page, pages=pages, total=total, note=note
        )
        if not summaries:
            return embed, None
        view = discord.ui.View(timeout=None)
        view.add_item(DismissSelect(page, dismiss_options(summaries)))
        if pages > 1:
            view.add_item(ReportsPageButton(max(page - 1, 0), "prev", disabled=page == 0))
            view.add_item(ReportsPageButton(min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
        # Added last: discord.py places a select on the first free row (it ignores a select's own
        # row), which is under the paging buttons.
        view.add_item(HideSelect(page, hide_options(summaries, hidden)))
        return embed, view

    @staticmethod
    def _texts(content: ContentStore, summaries: list[ReportSummary]) -> dict[tuple[EntryKind, str], str | None]:
        texts: dict[tuple[EntryKind, str], str | None] = {}
        for summary in summaries:
            entry = reported_entry(content, summary.kind, summary.entry_id)
            texts[(summary.kind, summary.entry_id)] = entry.text if entry else None
        return texts
