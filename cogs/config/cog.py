"""/config: the bot's channel and the server's defaults (Manage Server only)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError, guild_of
from bot.guild_settings import (
    FIRST_HOUR,
    LAST_HOUR,
    FactScope,
    Setting,
    display_value,
    label,
)
from bot.notices import NoticeSubject
from bot.periods import Period
from bot.permissions import bot_missing_in, channel_problems, missing_message, require_manage_guild
from bot.quiz import MAX_IDLE_STOP, MAX_QUESTIONS, MAX_SECONDS, MIN_IDLE_STOP, MIN_QUESTIONS, MIN_SECONDS
from bot.storage.servers import SettingChange
from bot.ui.config import settings_embed
from cogs.config.confirm import ConfirmButton, confirm_view

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

RESET_SETTINGS = "reset-settings"
RESET_LEADERBOARD = "reset-lb-"  # + period
STANDINGS = {
    Period.ALL_TIME: "**all** quiz standings (all time, every week and month)",
    Period.WEEK: "**this week's** quiz standings",
    Period.MONTH: "**this month's** quiz standings",
}

# Text, announcement channels and threads: discord.py turns this union into channel_types.
UsableChannel = discord.TextChannel | discord.Thread


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)  # a hint Discord shows; server admins can override it
class ConfigCog(commands.GroupCog, group_name="config"):
    """Moderator settings for this server."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.servers = bot.repos.servers
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConfirmButton)

    def _confirm_expiry(self) -> int:
        return int(self.bot.timing.timestamp() + self.bot.timing.confirm_seconds)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ConfirmButton)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return require_manage_guild(interaction)

    @app_commands.command(name="channel")
    @app_commands.describe(channel="Quiz rounds start only here (and /fact answers only here, if its scope says so)")
    async def set_channel(self, interaction: discord.Interaction[QuizBot], channel: UsableChannel) -> None:
        """Set the bot's channel: quiz rounds start only there."""
        self._require_usable(channel)
        await self._change(interaction, {Setting.BOT_CHANNEL: channel.id})

    @app_commands.command(name="clear-channel")
    async def clear_channel(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Let quiz rounds start in any channel again."""
        await self._change(interaction, {Setting.BOT_CHANNEL: None})

    @app_commands.command(name="quiz-defaults")
    @app_commands.describe(
        questions=f"Questions per round ({MIN_QUESTIONS}-{MAX_QUESTIONS})",
        seconds=f"Seconds per question ({MIN_SECONDS}-{MAX_SECONDS})",
        idle_stop=f"A round stops after this many questions in a row nobody answers ({MIN_IDLE_STOP}-{MAX_IDLE_STOP})",
    )
    async def quiz_defaults(
        self,
        interaction: discord.Interaction[QuizBot],
        questions: app_commands.Range[int, MIN_QUESTIONS, MAX_QUESTIONS] | None = None,
        seconds: app_commands.Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
        idle_stop: app_commands.Range[int, MIN_IDLE_STOP, MAX_IDLE_STOP] | None = None,
    ) -> None:
        """Set the default length of quiz rounds, and when an unanswered round stops."""
        values: dict[Setting, int | str | None] = {}
        # The values were checked against the command's ranges before it ran (AppTree).
        if questions is not None:
            values[Setting.QUIZ_QUESTIONS] = questions
        if seconds is not None:
            values[Setting.QUIZ_SECONDS] = seconds
        if idle_stop is not None:
            values[Setting.QUIZ_IDLE_STOP] = idle_stop
        if not values:
            raise UserError("Give at least one of `questions`, `seconds` and `idle_stop`.")
        await self._change(interaction, values)

    @app_commands.command(name="daily-fact")
    @app_commands.describe(
        channel="Where the fact of the day is posted", hour=f"Hour of the day, UTC ({FIRST_HOUR}-{LAST_HOUR})"
    )
    async def daily_fact(
        self,
        interaction: discord.Interaction[QuizBot],
        channel: UsableChannel,
        hour: app_commands.Range[int, FIRST_HOUR, LAST_HOUR],
    ) -> None:
        """Post a fact every day in a channel at an hour (UTC)."""
        self._require_usable(channel)
        await self._change(
            interaction,
            {Setting.DAILY_FACT_CHANNEL: channel.id, Setting.DAILY_FACT_HOUR: hour},
        )

    @app_commands.command(name="daily-fact-off")
    async def daily_fact_off(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Stop posting the fact of the day."""
        await self._change(interaction, {Setting.DAILY_FACT_CHANNEL: None, Setting.DAILY_FACT_HOUR: None})

    @app_commands.command(name="fact-scope")
    @app_commands.describe(where="Every channel, or only the bot's channel")
    async def fact_scope(
        self, interaction: discord.Interaction[QuizBot], where: Literal["everywhere", "bot-channel"]
    ) -> None:
        """Choose whether /fact works in every channel or only in the bot's channel."""
        await self._change(interaction, {Setting.FACT_SCOPE: FactScope(where).value})

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show every setting, who changed it last, and any problem found."""
        guild = guild_of(interaction)
        settings = await self.servers.load(guild.id)
        records = await self.servers.change_records(guild.id)
        notices = await self.servers.notices(guild.id)
        problems = [n.message for n in notices] + self._live_problems(guild, settings.channels())
        if warning := settings.scope_warning():
            problems.append(warning)
        embed = settings_embed(settings, records, problems)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="reset")
    async def reset(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Put every setting back to its default (asks to confirm)."""
        view = confirm_view(
            RESET_SETTINGS, interaction.user.id, label="Reset settings", expires_at=self._confirm_expiry()
        )
        await interaction.response.send_message(
            "Put **every** setting of this server back to its default?", view=view, ephemeral=True
        )

    @app_commands.command(name="reset-leaderboard")
    @app_commands.describe(period="What to clear: everything (all-time), or only this week or this month")
    async def reset_leaderboard(
        self, interaction: discord.Interaction[QuizBot], period: Literal["all-time", "week", "month"] = "all-time"
    ) -> None:
        """Clear this server's quiz standings (asks to confirm)."""
        chosen = Period(period)
        view = confirm_view(
            f"{RESET_LEADERBOARD}{chosen.value}",
            interaction.user.id,
            label="Clear standings",
            expires_at=self._confirm_expiry(),
        )
        await interaction.response.send_message(
            f"Clear {STANDINGS[chosen]} on this server? This cannot be undone.", view=view, ephemeral=True
        )

    def handles_confirmation(self, action: str) -> bool:
        return action == RESET_SETTINGS or action.startswith(RESET_LEADERBOARD)

    async def confirmed(self, interaction: discord.Interaction, action: str, confirmed: bool) -> None:
        """Carry out (or drop) a confirmed action; called by the confirmation buttons."""
        if not confirmed:
            await interaction.response.edit_message(content="Cancelled; nothing was changed.", view=None)
            return
        await self.interaction_check(interaction)  # still a moderator?
        guild = guild_of(interaction)
        # Answer the click first: the write may wait behind others, and Discord waits 3 s at most.
        await interaction.response.edit_message(content="Working on it…", view=None)
        if action == RESET_SETTINGS:
            changes = await self.servers.reset(guild.id, interaction.user.id)
            _log_changes(guild.id, interaction.user.id, changes)
            if changes:
                self.bot.dispatch("settings_changed", guild.id, changes)
            done = "Every setting is back to its default."
        elif action.startswith(RESET_LEADERBOARD):
            period = Period(action.removeprefix(RESET_LEADERBOARD))
            cleared = await self.bot.repos.leaderboard.reset(guild.id, period, self.bot.timing.wall_clock())
            log.info(
                "leaderboard reset: guild=%s moderator=%s period=%s players=%d",
                guild.id,
                interaction.user.id,
                period.value,
                cleared,
            )
            done = f"Cleared {STANDINGS[period]} ({cleared} player{'s' if cleared != 1 else ''})."
        else:
            raise UserError("That confirmation is not one I know; nothing was changed.")
        await interaction.edit_original_response(content=done)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self._forget_channel(channel.guild.id, channel.id, f"#{channel.name}")

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await self._forget_channel(payload.guild_id, payload.thread_id, f"thread {payload.thread_id}")

    async def _forget_channel(self, guild_id: int, channel_id: int, name: str) -> None:
        changes = await self.servers.clear_channel(guild_id, channel_id)
        if not changes:
            return
        _log_changes(guild_id, None, changes)
        cleared = ", ".join(f"{label(c.setting)}" for c in changes if c.old == channel_id)
        await self.servers.add_notice(
            guild_id,
            f"{NoticeSubject.CHANNEL_DELETED}{channel_id}",
            f"{name} was deleted, so this setting was cleared: {cleared}.",
        )

    async def _change(self, interaction: discord.Interaction[QuizBot], values: dict[Setting, int | str | None]) -> None:
        guild = guild_of(interaction)
        # Acknowledge first: the writes may queue behind other writes, and Discord waits 3 s at most.
        await interaction.response.defer(ephemeral=True, thinking=True)
        changes = await self.servers.change(guild.id, values, interaction.user.id)
        _log_changes(guild.id, interaction.user.id, changes)
        if not changes:
            await interaction.edit_original_response(content="Nothing to change: that is already the setting.")
            return
        await self._forget_resolved_notices(guild.id, {c.setting for c in changes})
        self.bot.dispatch("settings_changed", guild.id, changes)
        lines = [f"**{label(c.setting)}**: {display_value(c.setting, c.new)}" for c in changes]
        warning = (await self.servers.load(guild.id)).scope_warning()
        await interaction.edit_original_response(
            content="Saved.\n" + "\n".join(lines) + (f"\n\n{warning}" if warning else "")
        )

    async def _forget_resolved_notices(self, guild_id: int, changed: set[Setting]) -> None:
        # A moderator who sets a channel again has dealt with "channel deleted"; one who changes
        # the fact of the day has dealt with its last failure. Live problems are re-checked by
        # /config show itself.
        if changed & {Setting.BOT_CHANNEL, Setting.DAILY_FACT_CHANNEL}:
            await self.servers.clear_notices(guild_id, prefix=NoticeSubject.CHANNEL_DELETED)
        if changed & {Setting.DAILY_FACT_CHANNEL, Setting.DAILY_FACT_HOUR}:
            await self.servers.clear_notices(guild_id, prefix=NoticeSubject.DAILY_FACT)

    def _require_usable(self, channel: discord.abc.GuildChannel | discord.Thread) -> None:
        missing = bot_missing_in(channel)
        if missing:
            raise UserError(
                f"I can't use {channel.mention}: {missing_message(missing, 'there')} "
                "Grant them in the channel's settings, then try again."
            )

    def _live_problems(self, guild: discord.Guild, channels: dict[Setting, int]) -> list[str]:
        return [
            f"{label(p.setting)}: channel {p.channel_id} no longer exists."
            if p.channel is None
            else f"{label(p.setting)}: {missing_message(p.missing, f'in {p.channel.mention}')}"
            for p in channel_problems(guild, channels)
        ]


def _log_changes(guild_id: int, moderator_id: int | None, changes: list[SettingChange]) -> None:
    for change in changes:
        log.info(
            "config change: guild=%s moderator=%s setting=%s old=%r new=%r",
            guild_id,
            moderator_id if moderator_id is not None else "bot",
            change.setting.value,
            change.old,
            change.new,
        )
