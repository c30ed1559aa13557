"""What the bot needs in a channel, and how to name what it lacks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.guild_settings import Setting

__all__ = [
    "INVITE_PERMISSIONS",
    "INVITE_SCOPES",
    "ChannelProblem",
    "bot_missing_in",
    "channel_problems",
    "invite_url",
    "missing_channel_permissions",
    "missing_message",
    "permission_names",
    "require_manage_guild",
]

# What the bot needs to post embeds in a channel, and in a thread.
_NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links")
_NEEDED_IN_THREAD = ("view_channel", "send_messages_in_threads", "embed_links")

# The invite asks for exactly what the bot needs in channels and threads, no more.
INVITE_PERMISSIONS = discord.Permissions(**dict.fromkeys((*_NEEDED_IN_CHANNEL, *_NEEDED_IN_THREAD), True))
INVITE_SCOPES = ("bot", "applications.commands")

# Flag names as discord.Permissions spells them, with the names Discord's UI shows.
_DISPLAY_NAMES = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
    "manage_guild": "Manage Server",
    "manage_messages": "Manage Messages",
}


def missing_channel_permissions(perms: discord.Permissions, *, is_thread: bool) -> list[str]:
    """Return the flags the bot needs to post embeds in a channel (or thread) but lacks."""
    return [flag for flag in (_NEEDED_IN_THREAD if is_thread else _NEEDED_IN_CHANNEL) if not getattr(perms, flag)]


def bot_missing_in(channel: discord.abc.GuildChannel | discord.Thread) -> list[str]:
    """Return what the bot lacks to post embeds in a cached channel or thread."""
    return missing_channel_permissions(
        channel.permissions_for(channel.guild.me), is_thread=isinstance(channel, discord.Thread)
    )


def invite_url(application_id: int) -> str:
    """The link that adds the bot, with its slash commands and exactly the permissions it needs, to a server."""
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES)


def permission_names(flags: Iterable[str]) -> str:
    """Return flags as Discord's UI names them, joined for a sentence."""
    return ", ".join(_DISPLAY_NAMES.get(flag, flag.replace("_", " ").title()) for flag in flags)


def missing_message(flags: Iterable[str], where: str) -> str:
    """The one way the bot says what it lacks: "I'm missing **Embed Links** in #quiz." (`where` as "in #quiz")."""
    return f"I'm missing **{permission_names(flags)}** {where}."


@dataclass(frozen=True, slots=True)
class ChannelProblem:
    """A channel a setting points at that the bot cannot post in: gone (channel None) or lacking permissions."""

    setting: Setting
    channel_id: int
    channel: discord.abc.GuildChannel | discord.Thread | None
    missing: list[str]


def channel_problems(guild: discord.Guild, channels: Mapping[Setting, int]) -> list[ChannelProblem]:
    """The configured channels of a server (from GuildSettings.channels) the bot cannot post in."""
    problems = []
    for setting, channel_id in channels.items():
        channel = guild.get_channel_or_thread(channel_id)
        missing = [] if channel is None else bot_missing_in(channel)
        if channel is None or missing:
            problems.append(ChannelProblem(setting, channel_id, channel, missing))
    return problems


def require_manage_guild(interaction: discord.Interaction) -> bool:
    """The bot-side check of a moderator command (Manage Server, in a server): the command's
    default_permissions is only a default that server admins may change."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True
