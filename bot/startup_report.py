"""What the host should know once the bot is up: its invite link, and what it lacks in each server."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import discord

from bot.guild_settings import label
from bot.permissions import channel_problems, invite_url, permission_names
from bot.storage.servers import ServerRepo

__all__ = ["log_channel_problems", "log_invite_link"]

log = logging.getLogger(__name__)


def log_invite_link(application_id: int) -> None:
    """Log the link that adds this application to a server, so the host need not build it."""
    log.info("invite link for this bot (exactly the permissions it needs): %s", invite_url(application_id))


async def log_channel_problems(guilds: Iterable[discord.Guild], settings: ServerRepo) -> None:
    """Warn, per server, about a configured channel (bot channel, fact of the day) the bot cannot post in."""
    for guild in guilds:
        for found in channel_problems(guild, (await settings.load(guild.id)).channels()):
            channel = found.channel
            if channel is None:
                problem = f"channel {found.channel_id} no longer exists; set another with /config"
            else:
                problem = f"the bot lacks {permission_names(found.missing)} in #{channel.name} (id {channel.id})"
            log.warning("server %r (id %s): %s: %s", guild.name, guild.id, label(found.setting), problem)
