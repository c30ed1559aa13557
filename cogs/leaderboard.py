"""/leaderboard and /rank: the server's ranking and one player's stats."""

from __future__ import annotations

import asyncio
import math
import re
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import QuizBot, bot_of
from bot.errors import guarded, send_ephemeral
from bot.periods import Period
from bot.ui.leaderboard import PAGE_SIZE, leaderboard_embed, rank_embed

PeriodChoice = Literal["all-time", "week", "month"]


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"lb:(?P<period>all-time|week|month):(?P<page>\d{1,6}):(?P<dir>prev|next)",
):
    """Previous / Next under a leaderboard page; the page to show is in the id."""

    def __init__(self, period: Period, page: int, direction: str, *, disabled: bool = False) -> None:
        self.period, self.page = period, page
        label = "Previous" if direction == "prev" else "Next"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"lb:{period.value}:{page}:{direction}",
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        return cls(Period(match["period"]), int(match["page"]), match["dir"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        cog = bot.cog_of(Leaderboard)
        if cog is None or interaction.guild is None:
            await send_ephemeral(interaction, "The leaderboard is unavailable right now.")
            return
        # "You" under the page is whoever pressed the button: the message is public.
        embed, view = await cog.render(interaction.guild, self.period, self.page, interaction.user.id)
        await interaction.response.edit_message(embed=embed, view=view)


class Leaderboard(commands.Cog):
    """Per-server rankings."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = bot.repos.leaderboard

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PageButton)

    @app_commands.command(name="leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(period="All time (default), this week or this month")
    async def leaderboard(self, interaction: discord.Interaction[QuizBot], period: PeriodChoice = "all-time") -> None:
        """Show this server's quiz ranking."""
        guild = interaction.guild
        if guild is None:
            raise app_commands.NoPrivateMessage()
        embed, view = await self.render(guild, Period(period), 0, interaction.user.id)
        # A one-page board has no buttons: send_message refuses view=None, so leave it out.
        await interaction.response.send_message(embed=embed, view=view or discord.utils.MISSING)

    @app_commands.command(name="rank")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose stats to show (default: yours)")
    async def rank(self, interaction: discord.Interaction[QuizBot], member: discord.User | None = None) -> None:
        """Show a player's rank, points, accuracy and best streak on this server."""
        guild = interaction.guild
        if guild is None:
            raise app_commands.NoPrivateMessage()
        target = member or interaction.user
        now = self.bot.timing.wall_clock()
        # Three independent reads at once: on PostgreSQL they run on separate pool connections,
        # so the command takes as long as the slowest, not the sum (bench/RESULTS.md, section 4).
        stats, all_time, week = await asyncio.gather(
            self.repo.stats(guild.id, target.id),
            self.repo.position(guild.id, Period.ALL_TIME, now, target.id),
            self.repo.position(guild.id, Period.WEEK, now, target.id),
        )
        # A player who left the server is a User, not a Member: show the name they played under.
        name = stats.display_name if stats and not isinstance(target, discord.Member) else target.display_name
        await interaction.response.send_message(embed=rank_embed(name, stats, all_time, week))

    async def render(
        self, guild: discord.Guild, period: Period, page: int, caller_id: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        """Return the embed and paging buttons of one leaderboard page (clamped to the last page)."""
        now = self.bot.timing.wall_clock()
        # The count (for paging) and the caller's rank do not depend on each other: read at once
        # (see /rank); the page needs the count to be clamped.
        total, caller = await asyncio.gather(
            self.repo.count(guild.id, period, now), self.repo.position(guild.id, period, now, caller_id)
        )
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = await self.repo.page(guild.id, period, now, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        caller = caller if rows else None
        has_rounds = bool(rows) or await self.repo.has_rounds(guild.id)
        embed = leaderboard_embed(
            guild.name,
            period,
            rows,
            page=page,
            pages=pages,
            caller=caller,
            caller_id=caller_id,
            has_rounds=has_rounds,
        )
        if pages == 1:
            return embed, None
        view = discord.ui.View(timeout=None)
        view.add_item(PageButton(period, max(page - 1, 0), "prev", disabled=page == 0))
        view.add_item(PageButton(period, min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
        return embed, view


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Leaderboard(bot))
