"""The Bot subclass: start-up (cogs, dynamic buttons, command sync), the error path, shutdown."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.budget import RestBudget
from bot.clock import Timing
from bot.command_options import check_autocomplete, check_options
from bot.content import ContentStore
from bot.errors import report_error, send_ephemeral
from bot.host_config import HostConfig
from bot.packs.service import GuildContent
from bot.startup_report import log_channel_problems, log_invite_link
from bot.storage import Database, StorageError
from bot.storage.repositories import Repositories

__all__ = ["EXTENSIONS", "AppTree", "QuizBot", "ShardedQuizBot", "bot_of", "build_bot", "command_signature"]

log = logging.getLogger(__name__)

CogT = TypeVar("CogT", bound=commands.Cog)

# This bot never joins voice, so discord.py's start-up warnings that the voice libraries (PyNaCl,
# davey) are missing are only noise. discord.py itself clears these flags once it has warned.
discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False

# Every cog is core to the product, so a cog that fails to load fails the start, loudly.
EXTENSIONS: tuple[str, ...] = (
    "cogs.meta",
    "cogs.config",
    "cogs.facts",
    "cogs.quiz",
    "cogs.leaderboard",
    "cogs.packs",
    "cogs.reports",
)


class AppTree(app_commands.CommandTree):
    """The command tree: every option is checked before a command runs, and `on_error` is the one
    error path for every slash command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The definition each command syncs to Discord, built once: it is what options are checked against.
        self._definitions: dict[app_commands.Command[Any, ..., Any] | app_commands.Group, dict[str, Any]] = {}

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Refuse options the command's definition does not allow (a stale or hostile client)."""
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        if data.get("type", 1) != 1:
            return True  # context menus have no options
        command = self._command_named(str(data.get("name", "")), interaction.guild_id)
        if command is None:
            return True  # discord.py answers an unknown command itself (CommandNotFound)
        definition = self._definitions.get(command)
        if definition is None:
            definition = self._definitions[command] = command.to_dict(self)
        options = data.get("options") or []
        if interaction.type is discord.InteractionType.autocomplete:
            if check_autocomplete(definition, options):
                return True
            log.info("autocomplete for an option /%s does not complete: answering with no choices", command.name)
            await interaction.response.autocomplete([])
            return False
        problem = check_options(definition, options, data.get("resolved") or {})
        if problem is None:
            return True
        log.info("refused the options of /%s from user %s: %s", command.name, interaction.user.id, problem)
        await send_ephemeral(interaction, problem)
        return False

    def _command_named(
        self, name: str, guild_id: int | None
    ) -> app_commands.Command[Any, ..., Any] | app_commands.Group | None:
        found = self.get_command(name, guild=discord.Object(guild_id)) if guild_id is not None else None
        found = found or self.get_command(name)
        return found if isinstance(found, app_commands.Command | app_commands.Group) else None

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class QuizBot(commands.Bot):
    """The quiz-and-facts bot: holds the host's configuration (HostConfig), the database and the content store."""

    user: discord.ClientUser
    _channels_checked = False  # the per-server channel check runs at the first READY only
    _channel_check: asyncio.Task[Any] | None = None  # that check while it runs (close() cancels it)

    def __init__(
        self,
        host_config: HostConfig,
        db: Database,
        content: ContentStore,
        *,
        timing: Timing | None = None,
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
        self.host_config = host_config
        self.db = db
        self.content = content
        # Every clock and timing knob, fixed for the bot's life: tests hand in their own.
        self.timing = timing or Timing()
        self.repos = Repositories.on(db, self.timing.wall_clock)  # the only place repositories are made
        # One budget for every REST call the bot makes on its own (not answers to interactions),
        # so that together they stay under Discord's global limit.
        self.rest_budget = RestBudget(clock=self.timing.monotonic)
        # What each server plays from: the shipped content, its own packs, its switches and hidden entries.
        self.guild_content = GuildContent(content, self.repos.packs)
        self._extensions_to_load = extensions

    def cog_of(self, kind: type[CogT]) -> CogT | None:
        """The loaded cog of this class, or None (unloaded during shutdown): the one way cogs reach each other."""
        cog = self.get_cog(kind.__cog_name__)
        return cog if isinstance(cog, kind) else None

    async def setup_hook(self) -> None:
        """Load every cog, then sync commands if their definitions changed since the last sync."""
        for extension in self._extensions_to_load:
            if extension not in self.extensions:  # a login retried after a failed sync loaded them
                await self.load_extension(extension)
        if self.host_config.shards.runs_shard_zero:
            await self.sync_commands_if_changed()
        else:  # the tree is the application's, not a shard's: syncing it once is enough
            log.info("not syncing commands: the process that runs shard 0 does")
        if self.application_id is not None:  # login fetched it from Discord
            log_invite_link(self.application_id)

    async def sync_commands_if_changed(self) -> bool:
        """Sync the tree when its definitions differ from the last sync; return whether it synced.

        Discord rate-limits command syncs (and creating commands, 200 a day per server), so we
        keep a hash of the last synced definitions and skip the call when nothing changed.
        """
        guild = discord.Object(self.host_config.dev_guild_id) if self.host_config.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild:{guild.id}" if guild else "global"
        signature = command_signature(self.tree, guild)
        key = f"command_sync_hash:{self.user.id}:{scope}"  # self.user is set by login, before setup_hook
        if await self.repos.meta.get(key) == signature:
            log.info("commands unchanged since the last sync (%s); not syncing", scope)
            return False
        await self.tree.sync(guild=guild)
        await self.repos.meta.set(key, signature)
        log.info("synced %d commands (%s)", len(self.tree.get_commands(guild=guild)), scope)
        return True

    async def on_ready(self) -> None:
        # Fires again after every new session: log only; the channel check runs for the first one.
        log.info("connected as %s (id %s) to %d servers", self.user, self.user.id, len(self.guilds))
        if not self._channels_checked:
            self._channels_checked = True
            self._channel_check = asyncio.current_task()
            try:
                await log_channel_problems(self.guilds, self.repos.servers)
            except StorageError as error:  # a database away at start-up: only the report is lost
                log.warning("could not check the configured channels: %s", error)
            finally:
                self._channel_check = None

    async def close(self) -> None:
        """Unload cogs first, so they can close rounds while the connection still works."""
        if self._channel_check is not None:  # it reads the database, which closes after this
            self._channel_check.cancel()
        for extension in list(self.extensions):
            try:
                await self.unload_extension(extension)
            except Exception:
                log.exception("error while unloading %s", extension)
        await super().close()


class ShardedQuizBot(QuizBot, commands.AutoShardedBot):
    """The bot on the gateway shards of `host_config.shards` (several shards, perhaps not all of them)."""


def build_bot(host_config: HostConfig, db: Database, content: ContentStore, **options: Any) -> QuizBot:
    """The bot for this configuration: one connection to Discord, or an AutoShardedBot for SHARD_COUNT."""
    plan = host_config.shards
    if plan.count == 1:
        return QuizBot(host_config, db, content, **options)
    return ShardedQuizBot(host_config, db, content, shard_count=plan.count, shard_ids=list(plan.ids), **options)


def command_signature(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """Return a stable hash of the command definitions that a sync would send."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    encoded = json.dumps(sorted(payload, key=lambda c: (c.get("type", 1), c["name"])), sort_keys=True)
    return hashlib.sha256(encoded.encode()).hexdigest()


def bot_of(interaction: discord.Interaction) -> QuizBot:
    """The bot an interaction came to, typed: for overrides of discord.py methods, whose signature
    must keep the plain `discord.Interaction` (commands take `discord.Interaction[QuizBot]`)."""
    client = interaction.client
    if not isinstance(client, QuizBot):
        raise TypeError(f"an interaction for {type(client).__name__}, not QuizBot")
    return client
