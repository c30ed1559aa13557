"""The /config show embed."""

from __future__ import annotations

import discord

from bot.guild_settings import ChangeRecord, GuildSettings, Setting, display_value, label
from bot.ui import colours
from bot.ui.limits import EMBED_FIELD_VALUE, clip

__all__ = ["settings_embed"]


def settings_embed(
    settings: GuildSettings, records: dict[Setting, ChangeRecord | None], problems: list[str]
) -> discord.Embed:
    """Return every setting with its value and who changed it last, then any problems."""
    embed = discord.Embed(title="Settings for this server", colour=colours.WARNING if problems else colours.INFO)
    for setting in Setting:
        value = display_value(setting, settings.get(setting))
        if setting in records:
            record = records[setting]
            who = "the bot (channel deleted)" if record is None else f"<@{record.user_id}>"
            when = "" if record is None else f" <t:{int(record.changed_at.timestamp())}:R>"
            value += f"\nchanged by {who}{when}"
        else:
            value += "\n(default)"
        embed.add_field(name=label(setting), value=value, inline=True)
    embed.add_field(
        name="Problems",
        value=clip("\n".join(f"• {p}" for p in problems), EMBED_FIELD_VALUE) if problems else "None found.",
        inline=False,
    )
    return embed
