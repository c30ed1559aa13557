"""/fact: random behind-the-scenes facts without repeats, by topic, and the fact of the day."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError, guarded, send_ephemeral
from bot.facts.cooldown import Cooldown
from bot.facts.daily import is_due
from bot.facts.dealer import FactDealer, deck_scope
from bot.guild_settings import FactScope, Setting
from bot.permissions import bot_missing_in, permission_names
from bot.storage import DatabaseUnavailable
from bot.storage.facts import DailyFactTarget, FactRepo
from bot.storage.guild_settings import SettingChange
from bot.ui.facts import fact_embed, resolve_topic, topic_choices

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

FACTS_PER_WINDOW = 3
COOLDOWN_SECONDS = 20.0
DAILY_CHECK_SECONDS = 60.0
DAILY_NOTICE = "daily-fact"


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
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AnotherFactButton:
        return cls(match["topic"] or None)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("Facts") if isinstance(interaction.client, commands.Bot) else None
        if not isinstance(cog, Facts):
            await send_ephemeral(interaction, "Facts are unavailable right now; try again in a minute.")
            return
        await cog.serve_fact(interaction, self.topic)


def fact_view(topic: str | None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherFactButton(topic))
    return view


class Facts(commands.Cog):
    """Behind-the-scenes facts on demand, and one a day where a moderator turned it on."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = FactRepo(bot.db)
        self.dealer = FactDealer(bot.content, self.repo)
        self.cooldown = Cooldown(FACTS_PER_WINDOW, COOLDOWN_SECONDS, time.monotonic)
        self.daily_check_seconds = DAILY_CHECK_SECONDS
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
    async def fact(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        """Get a random behind-the-scenes fact."""
        await self.serve_fact(interaction, topic)

    @fact.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_choices(self.bot.content.topics(), current)

    async def serve_fact(self, interaction: discord.Interaction, topic: str | None) -> None:
        """Answer with the next fact of this server's (or DM user's) deck."""
        topic = resolve_topic(self.bot.content.topics(), topic)
        if interaction.guild_id is not None:
            await self._require_allowed_channel(interaction)
        wait = self.cooldown.try_use(interaction.user.id)
        if wait:
            ready_at = int(time.time() + wait) + 1
            raise UserError(f"That's a lot of facts at once! You can ask again <t:{ready_at}:R>.")
        fact = await self.dealer.next_fact(deck_scope(interaction.guild_id, interaction.user.id), topic)
        await interaction.response.send_message(embed=fact_embed(fact, self.bot.content), view=fact_view(topic))

    async def _require_allowed_channel(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.guild_settings.load(interaction.guild_id or 0)
        bot_channel = settings.bot_channel_id
        if settings.fact_scope is not FactScope.BOT_CHANNEL or bot_channel is None:
            return
        channel = interaction.channel
        parent_id = getattr(channel, "parent_id", None)
        if bot_channel not in (interaction.channel_id, parent_id):
            raise UserError(f"On this server, /fact works in <#{bot_channel}>.")

    async def _daily_loop(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            try:
                await self.post_due_daily_facts()
            except DatabaseUnavailable as error:
                log.warning("the fact-of-the-day check could not reach the database (%s); trying later", error)
            except Exception:
                log.exception("the fact-of-the-day check failed; trying again next time")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake_daily.wait(), self.daily_check_seconds)
            self._wake_daily.clear()

    @commands.Cog.listener()
    async def on_settings_changed(self, guild_id: int, changes: list[SettingChange]) -> None:
        # A moderator who turns the fact of the day on after today's hour gets today's fact now,
        # not at the next check.
        if any(c.setting in (Setting.DAILY_FACT_CHANNEL, Setting.DAILY_FACT_HOUR) for c in changes):
            self._wake_daily.set()

    async def post_due_daily_facts(self) -> int:
        """Post the fact of the day wherever it is due; return how many were posted."""
        now = self.bot.clock()
        posted = 0
        for target in await self.repo.daily_targets():
            if not is_due(now, target.hour, target.last_posted_on) or self.bot.get_guild(target.guild_id) is None:
                continue
            try:
                posted += await self._post_daily(target, now)
            except DatabaseUnavailable:
                raise  # every server's trouble: the whole check is tried again next time
            except Exception:  # one server's trouble must not keep the others from their fact
                log.exception("fact of the day failed in guild %s", target.guild_id)
        return posted

    async def _post_daily(self, target: DailyFactTarget, now: datetime) -> int:
        if not await self.repo.claim_daily_post(target.guild_id, now.date()):
            return 0
        channel = self.bot.get_channel(target.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return await self._daily_problem(target, f"Fact of the day: channel {target.channel_id} no longer exists.")
        missing = bot_missing_in(channel)
        if missing:
            return await self._daily_problem(
                target, f"Fact of the day: I'm missing **{permission_names(missing)}** in {channel.mention}."
            )
        fact = await self.dealer.next_fact(deck_scope(target.guild_id, 0))
        try:
            await channel.send(embed=fact_embed(fact, self.bot.content, title="Fact of the day"), view=fact_view(None))
        except discord.Forbidden:
            return await self._daily_problem(target, f"Fact of the day: Discord refused my post in {channel.mention}.")
        except Exception:
            # A passing failure (a 5xx, a timeout): give today's claim back so the next check
            # tries again. The claim only keeps a successful or a refused post from repeating.
            await self.repo.release_daily_post(target.guild_id, now.date(), target.last_posted_on)
            raise
        await self.bot.guild_settings.clear_notice(target.guild_id, DAILY_NOTICE)
        log.info("posted the fact of the day in guild %s", target.guild_id)
        return 1

    async def _daily_problem(self, target: DailyFactTarget, message: str) -> int:
        log.warning("guild %s: %s", target.guild_id, message)
        await self.bot.guild_settings.add_notice(target.guild_id, DAILY_NOTICE, message)
        return 0


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Facts(bot))
