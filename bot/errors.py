"""The one error path for commands and buttons.

A `UserError` carries a message meant for the user. Anything else is unexpected: the user gets
an ephemeral message with a short error id, and the log gets the traceback under that id, so a
moderator's screenshot leads straight to the log line.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.permissions import missing_channel_permissions, missing_message, permission_names
from bot.storage.database import DatabaseUnavailable
from bot.ui.limits import CONTENT, clip
from bot.user_errors import UserError

__all__ = ["UserError", "describe_error", "guarded", "guild_of", "report_error", "send_ephemeral"]

log = logging.getLogger(__name__)

DATABASE_AWAY = "I can't reach my database right now. Please try again in a moment."
UNKNOWN_INTERACTION = 10062  # Discord's code for an interaction answered after its 3-second deadline

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guild_of(interaction: discord.Interaction) -> discord.Guild:
    """Return the server an interaction came from; a direct message gets the server-only reply."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild


def new_error_id() -> str:
    """Return a short id that ties a user's error message to a log entry."""
    return secrets.token_hex(4)


def describe_error(interaction: discord.Interaction, error: BaseException) -> tuple[str, bool]:
    """Return (message for the user, whether the error was unexpected)."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return str(error), False
    if isinstance(error, DatabaseUnavailable):
        return DATABASE_AWAY, False
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server, not in direct messages.", False
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need **{permission_names(error.missing_permissions)}** to use this.", False
    if isinstance(error, app_commands.BotMissingPermissions):
        return _bot_missing_message(error.missing_permissions), False
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s.", False
    if isinstance(error, app_commands.TransformerError):
        return f"`{error.value}` is not a valid value here.", False
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here.", False
    if isinstance(error, discord.Forbidden) and error.code in (50001, 50013):
        return _forbidden_message(interaction), False
    return "", True


def _bot_missing_message(missing: list[str]) -> str:
    return "I can't do that here: " + missing_message(missing, "in this channel")


def _forbidden_message(interaction: discord.Interaction) -> str:
    channel = interaction.channel
    is_thread = isinstance(channel, discord.Thread)
    missing = missing_channel_permissions(interaction.app_permissions, is_thread=is_thread)
    if missing:
        return _bot_missing_message(missing) + " A moderator can grant it in the channel settings."
    return "Discord refused that: I don't have access to this channel. A moderator can check my permissions."


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Reply privately, whether or not the interaction has been answered already."""
    content = clip(content, CONTENT)  # Discord refuses the whole reply if it is too long
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException as exc:
        # The interaction may have expired; there is no one left to tell but the log.
        log.warning("could not send an error reply (interaction %s): %s", interaction.id, exc)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong; log unexpected errors with a traceback under a short id."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original  # the log wants the real cause, not discord.py's wrapper
    if isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION:
        # We answered after Discord's deadline: nobody is waiting for a reply any more, and any
        # reply would fail the same way. One line, no traceback: when the bot is overloaded this
        # happens in bursts, and formatting tracebacks would only dig the hole deeper.
        log.warning(
            "answered too late: Discord dropped interaction %s (%s) before our reply",
            interaction.id,
            interaction.command.qualified_name if interaction.command else _component_id(interaction),
        )
        return
    message, unexpected = describe_error(interaction, error)
    if isinstance(error, DatabaseUnavailable):
        # A passing state of the server, not a bug: one line, so a restart is not a log of tracebacks.
        log.warning("database unavailable during interaction %s: %s", interaction.id, error)
    if unexpected:
        error_id = new_error_id()
        command = interaction.command.qualified_name if interaction.command else _component_id(interaction)
        log.error(
            "error %s in %s (guild %s, channel %s, user %s)",
            error_id,
            command,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            exc_info=error,
        )
        message = f"Something went wrong on my side (error id `{error_id}`). It has been logged; please try again."
    await send_ephemeral(interaction, message)


def _component_id(interaction: discord.Interaction) -> str:
    data: Mapping[str, Any] = interaction.data or {}
    return f"component {data.get('custom_id', '?')}"


def guarded(callback: F) -> F:
    """Route exceptions from a button callback to `report_error`.

    discord.py only logs exceptions raised in DynamicItem callbacks, so without this the user
    would see Discord's "This interaction failed".
    """

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> Any:
        try:
            return await callback(self, interaction, *args)
        except Exception as error:
            await report_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]
