"""The /help and /about embeds, built from the command tree and the content store."""

from __future__ import annotations

import math
from collections.abc import Iterable

import discord
from discord import app_commands

from bot.content import ContentStore
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, clip

__all__ = ["about_embed", "command_lines", "help_embed"]

Command = app_commands.Command | app_commands.Group
# What a tree holds: context menus (right-click commands) have no usage line and are skipped.
TreeCommand = Command | app_commands.ContextMenu


def command_lines(commands: Iterable[TreeCommand]) -> list[str]:
    """Return one line per invocable slash command: usage and description, sorted by name."""
    lines: list[tuple[str, str]] = []
    for command in commands:
        if isinstance(command, app_commands.ContextMenu):
            continue
        if isinstance(command, app_commands.Group):
            for sub in command.walk_commands():
                if isinstance(sub, app_commands.Command):
                    lines.append((_usage(sub), sub.description))
        else:
            lines.append((_usage(command), command.description))
    return [f"`{usage}` — {description}" for usage, description in sorted(lines)]


def _usage(command: app_commands.Command) -> str:
    params = " ".join(f"<{p.display_name}>" if p.required else f"[{p.display_name}]" for p in command.parameters)
    return f"/{command.qualified_name} {params}".rstrip()


def help_embed(commands: Iterable[TreeCommand]) -> discord.Embed:
    """Return the embed listing every command."""
    body = "\n".join(command_lines(commands))
    embed = discord.Embed(title="Commands", description=clip(body, EMBED_DESCRIPTION), colour=colours.INFO)
    embed.set_footer(text="<required> [optional]. Moderator commands need Manage Server.")
    return embed


def about_embed(version: str, content: ContentStore, latency_seconds: float) -> discord.Embed:
    """Return the embed with the version, the content loaded and the gateway latency."""
    counts = content.counts
    embed = discord.Embed(
        title="Casino Night bot",
        description="Behind-the-scenes facts and timed quiz rounds for fan servers.",
        colour=colours.INFO,
    )
    embed.add_field(name="Version", value=version)
    embed.add_field(name="Gateway latency", value=_latency(latency_seconds))
    embed.add_field(
        name="Content",
        value=(
            f"{counts.packs} pack(s), {counts.facts} facts ({counts.contested} contested), "
            f"{counts.questions} questions, {counts.topics} topics"
        ),
        inline=False,
    )
    packs = "\n".join(f"• {pack.title}" for pack in content.packs) or "none"
    embed.add_field(name="Packs", value=clip(packs, 1024), inline=False)
    return embed


def _latency(seconds: float) -> str:
    # Before the first heartbeat acknowledgement discord.py reports inf or nan.
    if not math.isfinite(seconds):
        return "measuring…"
    return f"{seconds * 1000:.0f} ms"
