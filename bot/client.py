"""The Bot subclass: start-up (cogs, dynamic buttons, command sync), the error path, shutdown."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content import ContentStore
from bot.errors import report_error
from bot.settings import Settings
from bot.storage import Database, MetaRepo
from bot.storage.guild_settings import GuildSettingsRepo

__all__ = ["EXTENSIONS", "AppTree", "QuizBot", "ShardedQuizBot", "build_bot", "command_signature"]

log = logging.getLogger(__name__)

# Every cog is core to the product, so a cog that fails to load fails the start, loudly.
EXTENSIONS: tuple[str, ...] = ("cogs.meta", "cogs.config", "cogs.facts", "cogs.quiz", "cogs.leaderboard")


class AppTree(app_commands.CommandTree):
    """The command tree whose `on_error` is the one error path for every slash command."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class QuizBot(commands.Bot):
    """The quiz-and-facts bot: holds the settings, the database and the content store."""

    user: discord.ClientUser

    def __init__(
        self,
        settings: Settings,
        db: Database,
        content: ContentStore,
        *,
        extensions: tuple[str, ...] = EXTENSIONS,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # slash-only; no message-content intent
            help_command=None,
            # Servers and their channels only: a slash-command bot needs no message, reaction, typing
            # or voice events, and each would be sent to it for every server it is in (bench/).
            intents=discord.Intents(guilds=True),
            # Nothing the bot sends may ping anyone unless a message opts in explicitly.
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=AppTree,
            **options,
        )
        self.settings = settings
        self.db = db
        self.content = content
        self.meta = MetaRepo(db)
        self.guild_settings = GuildSettingsRepo(db)
        self.started_at = time.time()
        # The wall clock (UTC) for calendar decisions: weeks, months, the fact-of-the-day hour.
        # Tests replace it to move through days without waiting.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._extensions_to_load = extensions

    async def setup_hook(self) -> None:
        """Load every cog, then sync commands if their definitions changed since the last sync."""
        for extension in self._extensions_to_load:
            await self.load_extension(extension)
        if self.settings.shards.runs_shard_zero:
            await self.sync_commands_if_changed()
        else:  # the tree is the application's, not a shard's: syncing it once is enough
            log.info("not syncing commands: the process that runs shard 0 does")

    async def sync_commands_if_changed(self) -> bool:
        """Sync the tree when its definitions differ from the last sync; return whether it synced.

        Discord rate-limits command syncs (and creating commands, 200 a day per server), so we
        keep a hash of the last synced definitions and skip the call when nothing changed.
        """
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild else "global"
        signature = command_signature(self.tree, guild)
        key = f"command_sync_hash:{self.user.id}:{scope}"  # self.user is set by login, before setup_hook
        if await self.meta.get(key) == signature:
            log.info("commands unchanged since the last sync (%s); not syncing", scope)
            return False
        await self.tree.sync(guild=guild)
        await self.meta.set(key, signature)
        log.info("synced %d commands (%s)", len(self.tree.get_commands(guild=guild)), scope)
        return True

    async def on_ready(self) -> None:
        # Fires again after every reconnect: log only, no start-up work here.
        log.info("connected as %s (id %s) to %d servers", self.user, self.user.id, len(self.guilds))

    async def close(self) -> None:
        """Unload cogs first, so they can close rounds while the connection still works."""
        for extension in list(self.extensions):
            try:
                await self.unload_extension(extension)
            except Exception:
                log.exception("error while unloading %s", extension)
        await super().close()


class ShardedQuizBot(QuizBot, commands.AutoShardedBot):
    """The bot on the gateway shards of `settings.shards` (several shards, perhaps not all of them)."""


def build_bot(settings: Settings, db: Database, content: ContentStore, **options: Any) -> QuizBot:
    """The bot for these settings: one connection to Discord, or an AutoShardedBot for SHARD_COUNT."""
    plan = settings.shards
    if plan.count == 1:
        return QuizBot(settings, db, content, **options)
    return ShardedQuizBot(settings, db, content, shard_count=plan.count, shard_ids=list(plan.ids), **options)


def command_signature(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """Return a stable hash of the command definitions that a sync would send."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    encoded = json.dumps(sorted(payload, key=lambda c: (c.get("type", 1), c["name"])), sort_keys=True)
    return hashlib.sha256(encoded.encode()).hexdigest()
