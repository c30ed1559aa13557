"""/fact: random behind-the-scenes facts without repeats, by topic, and the fact of the day."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.budget import Priority
from bot.client import QuizBot, bot_of
from bot.content import EntryKind, Fact
from bot.errors import UserError, guarded, send_ephemeral
from bot.facts.cooldown import Cooldown
from bot.facts.daily import DailyFactTarget
from bot.facts.daily_post import DailyFacts, DailyPost, PostOutcome, TransientPostError
from bot.facts.dealer import FactDealer, deck_scope
from bot.guild_settings import Setting
from bot.permissions import bot_missing_in, missing_message
from bot.storage import DatabaseUnavailable
from bot.storage.servers import SettingChange
from bot.topics import resolve_topic
from bot.ui.facts import fact_embed, topic_choices
from bot.waiting import wait_for_event
from cogs.reports.buttons import ReportButton

log = logging.getLogger(__name__)

FACTS_PER_WINDOW = 3
COOLDOWN_SECONDS = 20.0


class AnotherFactButton(discord.ui.DynamicItem[discord.ui.Button], template=r"fact:more:(?P<topic>[a-z0-9-]{0,30})"):
    """The "Another fact" button; it works on old messages too, even after a restart."""

    def __init__(self, topic: str | None) -> None:
        self.topic = topic
        super().__init__(
            discord.ui.Button(
                label="Another fact", style=discord.ButtonStyle.primary, custom_id=f"fact:more:{topic or ''}"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnotherFactButton:
        return cls(match["topic"] or None)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        cog = bot.cog_of(Facts)
        if cog is None:
            await send_ephemeral(interaction, "Facts are unavailable right now; try again in a minute.")
            return
        await cog.serve_fact(interaction, self.topic)


def fact_view(topic: str | None, fact: Fact, *, in_server: bool) -> discord.ui.View:
    """Another fact, and in a server (reports are a server's) a button to report this one."""
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherFactButton(topic))
    if in_server:
        view.add_item(ReportButton(EntryKind.FACT, fact.id))
    return view


class Facts(commands.Cog):
    """Behind-the-scenes facts on demand, and one a day where a moderator turned it on."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = bot.repos.facts
        self.dealer = FactDealer(bot.content, self.repo)
        self.daily = DailyFacts(self.repo, self.dealer, bot.repos.servers, bot.guild_content.for_guild)
        self.cooldown = Cooldown(FACTS_PER_WINDOW, COOLDOWN_SECONDS, bot.timing.monotonic)
        self._daily_task: asyncio.Task[None] | None = None
        self._wake_daily = asyncio.Event()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AnotherFactButton)
        self._daily_task = asyncio.create_task(self._daily_loop(), name="daily-facts")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AnotherFactButton)
        if self._daily_task is not None:
            self._daily_task.cancel()
            await asyncio.gather(self._daily_task, return_exceptions=True)
        await self.dealer.close()  # the draws of the last second, before the database closes

    @app_commands.command(name="fact")
    @app_commands.describe(topic="Only facts about this topic")
    async def fact(self, interaction: discord.Interaction[QuizBot], topic: str | None = None) -> None:
        """Get a random behind-the-scenes fact."""
        await self.serve_fact(interaction, topic)

    @fact.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[QuizBot], current: str
    ) -> list[app_commands.Choice[str]]:
        content = await self.bot.guild_content.for_guild(interaction.guild_id)
        return topic_choices(content.fact_topics(), current)

    async def serve_fact(self, interaction: discord.Interaction, topic: str | None) -> None:
        """Answer with the next fact of this server's (or DM user's) deck, from the server's content."""
        content = await self.bot.guild_content.for_guild(interaction.guild_id)
        topic = resolve_topic(content.fact_topics(), topic)
        if interaction.guild_id is not None:
            await self._require_allowed_channel(interaction)
        wait = self.cooldown.try_use(interaction.user.id)
        if wait:
            ready_at = int(self.bot.timing.timestamp() + wait) + 1
            raise UserError(f"That's a lot of facts at once! You can ask again <t:{ready_at}:R>.")
        fact = await self.dealer.next_fact(deck_scope(interaction.guild_id, interaction.user.id), topic, content)
        if fact is None:
            raise UserError("There are no facts to show yet.")
        view = fact_view(topic, fact, in_server=interaction.guild_id is not None)
        await interaction.response.send_message(embed=fact_embed(fact, content), view=view)

    async def _require_allowed_channel(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.repos.servers.load(interaction.guild_id or 0)
        if not settings.allows_facts_in(interaction.channel_id, getattr(interaction.channel, "parent_id", None)):
            raise UserError(f"On this server, /fact works in <#{settings.bot_channel_id}>.")

    async def _daily_loop(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.post_due_daily_facts()
            except DatabaseUnavailable as error:
                log.warning("the fact-of-the-day check could not reach the database (%s); trying later", error)
            except Exception:
                log.exception("the fact-of-the-day check failed; trying again next time")
            await wait_for_event(self._wake_daily, self.bot.timing.daily_check_seconds)
            self._wake_daily.clear()

    @commands.Cog.listener()
    async def on_settings_changed(self, guild_id: int, changes: list[SettingChange]) -> None:
        # A moderator who turns the fact of the day on after today's hour gets today's fact now,
        # not at the next check.
        if any(c.setting in (Setting.DAILY_FACT_CHANNEL, Setting.DAILY_FACT_HOUR) for c in changes):
            self._wake_daily.set()

    async def post_due_daily_facts(self) -> int:
        """Post the fact of the day wherever it is due; return how many were posted."""
        return await self.daily.post_due(self.bot.timing.wall_clock(), self._post_daily, self._is_ours)

    def _is_ours(self, guild_id: int) -> bool:
        return self.bot.get_guild(guild_id) is not None

    async def _post_daily(self, target: DailyFactTarget, fact: Fact, nonce: str) -> DailyPost:
        channel = self.bot.get_channel(target.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return DailyPost(PostOutcome.REFUSED, f"Fact of the day: channel {target.channel_id} no longer exists.")
        missing = bot_missing_in(channel)
        if missing:
            problem = missing_message(missing, f"in {channel.mention}")
            return DailyPost(PostOutcome.REFUSED, f"Fact of the day: {problem}")
        embed = fact_embed(fact, await self.bot.guild_content.for_guild(target.guild_id), title="Fact of the day")
        try:
            async with self.bot.rest_budget.slot(Priority.ROUTINE):  # many servers may be due at once
                await channel.send(embed=embed, view=fact_view(None, fact, in_server=True), nonce=nonce)
        except discord.Forbidden:
            return DailyPost(PostOutcome.REFUSED, f"Fact of the day: Discord refused my post in {channel.mention}.")
        except discord.NotFound:
            return DailyPost(PostOutcome.REFUSED, f"Fact of the day: channel {target.channel_id} no longer exists.")
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
            raise TransientPostError(f"could not post ({error})") from error
        return DailyPost(PostOutcome.POSTED)


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Facts(bot))
