"""The fact embed, its source line, and topic choices for autocomplete."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from bot.content import ContentStore, Fact
from bot.topics import suggest_topics, topic_label
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_FOOTER, clip

__all__ = ["fact_embed", "source_line", "topic_choices"]


def fact_embed(fact: Fact, content: ContentStore, *, title: str = "Did you know?") -> discord.Embed:
    """Return the embed for one fact: the text, its topics, a contested note and its sources."""
    embed = discord.Embed(title=title, description=clip(fact.text, EMBED_DESCRIPTION), colour=colours.FACT)
    embed.add_field(name="Topic", value=", ".join(topic_label(t) for t in fact.topics), inline=True)
    if fact.contested:
        embed.add_field(
            name="Contested: the sources disagree",
            value=clip(fact.contested, EMBED_FIELD_VALUE),
            inline=False,
        )
    embed.set_footer(text=clip(source_line(fact, content), EMBED_FOOTER))
    return embed


def source_line(fact: Fact, content: ContentStore) -> str:
    """Return 'Source: <headline>' (or 'Sources: a · b') for the articles a fact cites."""
    headlines = []
    for file in fact.sources:
        source = content.source(file)
        headlines.append(source.headline if source else file)
    return ("Source: " if len(headlines) == 1 else "Sources: ") + " · ".join(headlines)


def topic_choices(topics: Sequence[str], current: str) -> list[app_commands.Choice[str]]:
    """The autocomplete choices for what the user has typed so far."""
    return [app_commands.Choice(name=topic_label(t), value=t) for t in suggest_topics(topics, current)]
