"""/pack: upload, list, remove, switch, export and hide a server's content (Manage Server only)."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.content import EntryKind, Pack
from bot.errors import UserError, guild_of
from bot.facts.cooldown import Cooldown
from bot.packs.limits import (
    MAX_PACK_BYTES,
    MAX_PACKS,
    TOO_MANY_PACKS,
    UPLOAD_WINDOW_SECONDS,
    UPLOADS_PER_WINDOW,
    size_label,
)
from bot.packs.pending import PendingUpload, PendingUploads
from bot.packs.service import GuildView
from bot.packs.template import TEMPLATE, TEMPLATE_FILENAME
from bot.packs.upload import UploadCheck
from bot.permissions import require_manage_guild
from bot.ui.facts import topic_choices
from bot.ui.limits import code_span
from bot.ui.packs import PackLine, pack_list_embed, problems_reply
from cogs.config.confirm import ConfirmButton, confirm_view
from cogs.packs.download import download_attachment, too_large
from cogs.reports.cog import Reports

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

REPLACE = "pack-up-"  # + the pending upload's key
REMOVE = "pack-rm-"  # + the pack id
NOT_WAITING = "That upload is no longer waiting to be confirmed; upload the file again."


def _stored_counts(check: UploadCheck) -> str:
    pack = check.pack
    return "" if pack is None else f"{len(pack.facts)} facts, {len(pack.questions)} questions"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)  # a hint Discord shows; server admins can override it
class PacksCog(commands.GroupCog, group_name="pack"):
    """This server's own content packs."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = bot.repos.packs
        self.content = bot.guild_content
        self.uploads = Cooldown(UPLOADS_PER_WINDOW, UPLOAD_WINDOW_SECONDS, bot.timing.monotonic)
        self._pending = PendingUploads(bot.timing.timestamp)
        self._session: aiohttp.ClientSession | None = None
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConfirmButton)  # shared with /config: adding it twice is harmless
        self._session = aiohttp.ClientSession()

    async def cog_unload(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return require_manage_guild(interaction)

    # -- upload ------------------------------------------------------------------------------

    @app_commands.command(name="upload")
    @app_commands.describe(file="A content pack (.toml); /pack template gives a starter file")
    async def upload(self, interaction: discord.Interaction[QuizBot], file: discord.Attachment) -> None:
        """Add a content pack to this server, or replace one of its packs."""
        guild = guild_of(interaction)
        if not file.filename.lower().endswith(".toml"):
            raise UserError(f"A pack is a .toml file; {code_span(file.filename)} is not.")
        if file.size > MAX_PACK_BYTES:
            raise too_large(file.size)  # before downloading anything
        wait = self.uploads.try_use(guild.id)
        if wait:
            ready_at = int(self.bot.timing.timestamp() + wait) + 1
            raise UserError(
                f"This server has uploaded {UPLOADS_PER_WINDOW} packs in the last "
                f"{UPLOAD_WINDOW_SECONDS / 60:.0f} minutes; you can upload again <t:{ready_at}:R>."
            )
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
            if self._session is None:
                raise UserError("Uploads are unavailable right now; try again in a minute.")
            # Only the attachment that came with this interaction, from the URL Discord gave for it.
            data = await download_attachment(self._session, file.url)
        except BaseException:
            # Nothing was uploaded: the CDN's 404 or timeout must not cost one of the server's uploads.
            self.uploads.give_back(guild.id)
            raise
        check = await self.content.check_upload(guild.id, data, file.filename)
        if check.pack is None:
            message, attached = problems_reply(file.filename, check.issues)
            await interaction.edit_original_response(content=message, attachments=[attached] if attached else [])
            return
        view = await self.content.view(guild.id)
        if any(info.pack_id == check.pack.id for info in view.infos):
            await self._ask_to_replace(interaction, guild.id, file.filename, data, check, view)
            return
        if len(view.infos) >= MAX_PACKS:  # refused before the work; counted again when stored
            raise UserError(TOO_MANY_PACKS)
        await interaction.edit_original_response(content=await self._store(guild.id, interaction.user.id, check))

    async def _ask_to_replace(
        self,
        interaction: discord.Interaction,
        guild_id: int,
        filename: str,
        data: bytes,
        check: UploadCheck,
        view: GuildView,
    ) -> None:
        assert check.pack is not None
        expires_at = int(self.bot.timing.timestamp() + self.bot.timing.confirm_seconds)
        key = str(interaction.id)
        self._pending.add(key, PendingUpload(guild_id, filename, data, expires_at))
        old = next(info for info in view.infos if info.pack_id == check.pack.id)
        question = (
            f"This server already has the pack `{old.pack_id}` ({old.facts} facts, {old.questions} questions, "
            f"uploaded by <@{old.uploaded_by}> <t:{int(old.uploaded_at.timestamp())}:R>). "
            f"Replace it with this file ({_stored_counts(check)})?"
        )
        buttons = confirm_view(REPLACE + key, interaction.user.id, label="Replace", expires_at=expires_at)
        await interaction.edit_original_response(content=question, view=buttons)

    async def _store(self, guild_id: int, user_id: int, check: UploadCheck) -> str:
        pack = check.pack
        assert pack is not None
        await self.content.store(guild_id, check, user_id)
        log.info("guild %s: user %s stored pack %r (%s)", guild_id, user_id, pack.id, _stored_counts(check))
        return (
            f"Stored the pack `{pack.id}` ({_stored_counts(check)}). Its facts and questions are in this "
            "server's /fact and /quiz start now."
        )

    # -- confirmations -------------------------------------------------------------------------

    def handles_confirmation(self, action: str) -> bool:
        return action.startswith((REPLACE, REMOVE))

    async def confirmed(self, interaction: discord.Interaction, action: str, confirmed: bool) -> None:
        """Carry out (or drop) a replacement or a removal; called by the confirmation buttons."""
        if not confirmed:
            if interaction.guild_id is not None:
                self._pending.take(interaction.guild_id, action.removeprefix(REPLACE))
            await interaction.response.edit_message(content="Cancelled; nothing was changed.", view=None)
            return
        await self.interaction_check(interaction)  # still a moderator?
        guild = guild_of(interaction)
        # Answer the click first: the check and the write may take a moment, and Discord waits 3 s at most.
        await interaction.response.edit_message(content="Working on it…", view=None)
        try:
            done, attached = await self._carry_out(interaction, guild.id, action)
        except UserError as error:  # in the message that says "Working on it…", not beside it
            done, attached = str(error), None
        await interaction.edit_original_response(content=done, attachments=[attached] if attached else [])

    async def _carry_out(
        self, interaction: discord.Interaction, guild_id: int, action: str
    ) -> tuple[str, discord.File | None]:
        """The confirmed action done: the answer, and a file of problems when the replacement has many."""
        if action.startswith(REPLACE):
            pending = self._pending.take(guild_id, action.removeprefix(REPLACE))
            if pending is None:
                raise UserError(NOT_WAITING)
            # Checked again: the server's packs may have changed since the upload.
            check = await self.content.check_upload(guild_id, pending.data, pending.filename)
            if check.pack is None:
                return problems_reply(pending.filename, check.issues)
            return await self._store(guild_id, interaction.user.id, check), None
        if action.startswith(REMOVE):
            pack_id = action.removeprefix(REMOVE)
            if not await self.repo.remove_pack(guild_id, pack_id):
                raise UserError(f"This server has no pack `{pack_id}` any more; nothing was changed.")
            self.content.changed(guild_id)
            log.info("guild %s: user %s removed pack %r", guild_id, interaction.user.id, pack_id)
            return f"Removed the pack `{pack_id}`: its facts and questions are gone from this server.", None
        raise UserError("That confirmation is not one I know; nothing was changed.")

    # -- list, remove, switch, export, template ----------------------------------------------------

    @app_commands.command(name="list")
    async def list_packs(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the shipped packs and this server's own: counts, who uploaded them, on or off."""
        view = await self.content.view(guild_of(interaction).id)
        disabled = view.state.disabled
        shipped = [PackLine.shipped(pack, pack.id not in disabled) for pack in self.content.shipped.packs]
        server = [
            PackLine(
                info.pack_id,
                info.title,
                info.facts,
                info.questions,
                info.pack_id not in disabled,
                info.uploaded_by,
                info.uploaded_at,
                len(view.broken.get(info.pack_id, ())),
            )
            for info in view.infos
        ]
        await interaction.response.send_message(embed=pack_list_embed(shipped, server), ephemeral=True)

    @app_commands.command(name="remove")
    @app_commands.describe(pack="The id of one of this server's packs")
    async def remove(self, interaction: discord.Interaction[QuizBot], pack: str) -> None:
        """Delete one of this server's packs (asks to confirm)."""
        view = await self.content.view(guild_of(interaction).id)
        info = next((i for i in view.infos if i.pack_id == pack), None)
        if info is None:
            raise UserError(self._no_server_pack(pack, view))
        expires_at = int(self.bot.timing.timestamp() + self.bot.timing.confirm_seconds)
        buttons = confirm_view(REMOVE + info.pack_id, interaction.user.id, label="Remove", expires_at=expires_at)
        await interaction.response.send_message(
            f"Remove the pack `{info.pack_id}` ({info.facts} facts, {info.questions} questions) from this server? "
            "`/pack export` first keeps a copy.",
            view=buttons,
            ephemeral=True,
        )

    @app_commands.command(name="disable")
    @app_commands.describe(pack="The id of a shipped pack or one of this server's")
    async def disable(self, interaction: discord.Interaction[QuizBot], pack: str) -> None:
        """Switch a pack off in this server (shipped packs too)."""
        await self._switch(interaction, pack, enabled=False)

    @app_commands.command(name="enable")
    @app_commands.describe(pack="The id of a shipped pack or one of this server's")
    async def enable(self, interaction: discord.Interaction[QuizBot], pack: str) -> None:
        """Switch a pack back on in this server."""
        await self._switch(interaction, pack, enabled=True)

    async def _switch(self, interaction: discord.Interaction, pack_id: str, *, enabled: bool) -> None:
        guild = guild_of(interaction)
        # Acknowledge first: the view may be built and the writes may queue; Discord waits 3 s at most.
        await interaction.response.defer(ephemeral=True, thinking=True)
        view = await self.content.view(guild.id)
        if self._pack(pack_id, view) is None and pack_id not in {i.pack_id for i in view.infos}:
            raise UserError(self._no_pack(pack_id, view))
        changed = await self.repo.set_enabled(guild.id, pack_id, enabled, interaction.user.id)
        if not changed:
            await interaction.edit_original_response(
                content=f"The pack `{pack_id}` is already {'on' if enabled else 'off'} here."
            )
            return
        self.content.changed(guild.id)
        state = "on" if enabled else "off"
        log.info("guild %s: user %s switched pack %r %s", guild.id, interaction.user.id, pack_id, state)
        what = "back in" if enabled else "out of"
        await interaction.edit_original_response(
            content=f"The pack `{pack_id}` is {state}: its facts and questions are {what} "
            "this server's /fact and /quiz start."
        )

    @app_commands.command(name="export")
    @app_commands.describe(pack="The id of a shipped pack or one of this server's")
    async def export(self, interaction: discord.Interaction[QuizBot], pack: str) -> None:
        """Get a pack's TOML file back, as stored."""
        guild = guild_of(interaction)
        stored = await self.repo.pack(guild.id, pack)
        if stored is not None:
            text = stored.toml.encode()
        else:
            view = await self.content.view(guild.id)
            shipped = next((p for p in self.content.shipped.packs if p.id == pack), None)
            if shipped is None:
                raise UserError(self._no_pack(pack, view))
            await interaction.response.defer(ephemeral=True, thinking=True)  # a file read, off the event loop
            text = await _read_file(shipped)
        attached = discord.File(io.BytesIO(text), filename=f"{pack}.toml")
        content = f"The pack `{pack}` ({size_label(len(text))})."
        if interaction.response.is_done():
            await interaction.edit_original_response(content=content, attachments=[attached])
        else:
            await interaction.response.send_message(content, file=attached, ephemeral=True)

    @app_commands.command(name="template")
    async def template(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Get a starter pack with one example of every kind of entry."""
        attached = discord.File(io.BytesIO(TEMPLATE.encode()), filename=TEMPLATE_FILENAME)
        await interaction.response.send_message(
            "A starter pack: change the examples, then upload it with `/pack upload`.", file=attached, ephemeral=True
        )

    # -- reports -------------------------------------------------------------------------------

    @app_commands.command(name="reports")
    async def reports(self, interaction: discord.Interaction[QuizBot]) -> None:
        """List what players reported on this server, newest first."""
        reports = self.bot.cog_of(Reports)
        if reports is None:  # unloaded: the bot is shutting down
            raise UserError("Reports cannot be listed while the bot shuts down; try again in a moment.")
        await reports.show_reports(interaction)

    # -- hide, unhide --------------------------------------------------------------------------------

    @app_commands.command(name="hide")
    @app_commands.describe(entry="The id of a fact or a question (shipped ones too)")
    async def hide(self, interaction: discord.Interaction[QuizBot], entry: str) -> None:
        """Keep a fact or question out of this server's /fact and /quiz."""
        await self._set_hidden(interaction, entry.strip(), hidden=True)

    @app_commands.command(name="unhide")
    @app_commands.describe(entry="The id of a hidden fact or question")
    async def unhide(self, interaction: discord.Interaction[QuizBot], entry: str) -> None:
        """Let a hidden fact or question come up again in this server."""
        await self._set_hidden(interaction, entry.strip(), hidden=False)

    async def _set_hidden(self, interaction: discord.Interaction, entry_id: str, *, hidden: bool) -> None:
        guild = guild_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # as above: answer within 3 s
        view = await self.content.view(guild.id)
        kinds = self.content.entry_kinds(view.content, entry_id)
        if not hidden:  # also what no pack has any more
            kinds = [kind for kind in EntryKind if (kind, entry_id) in view.state.hidden] or kinds
        if not kinds:
            shown = code_span(entry_id)
            raise UserError(f"No fact or question here has the id {shown} (ids are shown by `/pack export`).")
        changed = [  # through the core, like the reports list's Hide: the write, then the view rebuilt
            kind for kind in kinds
            if await self.content.set_hidden(guild.id, kind, entry_id, hidden, interaction.user.id)
        ]
        names = " and ".join(f"{kind.value} `{entry_id}`" for kind in kinds)
        if not changed:
            message = f"The {names} {'is already hidden' if hidden else 'is not hidden'} here."
        elif hidden:
            message = f"Hid the {names}: it no longer comes up in this server. `/pack unhide` brings it back."
            fact_questions = [q.id for q in view.content.questions if q.fact_id == entry_id]
            if EntryKind.FACT in changed and fact_questions:
                listed = ", ".join(f"`{q}`" for q in fact_questions[:10])
                message += f" Its questions are entries of their own and still asked: {listed}."
        else:
            message = f"The {names} can come up again in this server."
        await interaction.edit_original_response(content=message)

    # -- autocomplete and helpers --------------------------------------------------------------------

    @remove.autocomplete("pack")
    async def server_pack_autocomplete(
        self, interaction: discord.Interaction[QuizBot], current: str
    ) -> list[app_commands.Choice[str]]:
        view = await self.content.view(guild_of(interaction).id)
        return topic_choices([info.pack_id for info in view.infos], current)

    @disable.autocomplete("pack")
    @enable.autocomplete("pack")
    @export.autocomplete("pack")
    async def any_pack_autocomplete(
        self, interaction: discord.Interaction[QuizBot], current: str
    ) -> list[app_commands.Choice[str]]:
        view = await self.content.view(guild_of(interaction).id)
        return topic_choices(self._pack_ids(view), current)

    def _pack_ids(self, view: GuildView) -> list[str]:
        return [*(p.id for p in self.content.shipped.packs), *(i.pack_id for i in view.infos)]

    def _pack(self, pack_id: str, view: GuildView) -> Pack | None:
        return next((p for p in self.content.shipped.packs if p.id == pack_id), None) or view.packs.get(pack_id)

    def _no_pack(self, pack_id: str, view: GuildView) -> str:
        known = ", ".join(f"`{i}`" for i in self._pack_ids(view)[:20])
        return f"There is no pack {code_span(pack_id, 40)} here. Packs: {known}."

    def _no_server_pack(self, pack_id: str, view: GuildView) -> str:
        if any(p.id == pack_id for p in self.content.shipped.packs):
            return f"`{pack_id}` is a shipped pack: it cannot be removed, but `/pack disable` switches it off here."
        known = ", ".join(f"`{i.pack_id}`" for i in view.infos) or "none yet"
        return f"This server has no pack {code_span(pack_id, 40)}. Its packs: {known}."


async def _read_file(pack: Pack) -> bytes:
    return await asyncio.to_thread(pack.path.read_bytes)
