"""The fact embed and the "Another fact" button's id."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content import ContentStore, Fact
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_FOOTER, clip

__all__ = ["fact_embed", "topic_label", "topic_list"]


def topic_label(topic: str) -> str:
    """Return a topic slug as people read it: 'behind-the-scenes' -> 'Behind the scenes'."""
    return topic.replace("-", " ").capitalize()


def topic_list(topics: Sequence[str], limit: int = 15) -> str:
    """Return topics for a reply, at most `limit` of them (a server may load many packs)."""
    shown = ", ".join(f"`{t}`" for t in topics[:limit])
    more = len(topics) - limit
    return shown + (f" and {more} more (start typing in the topic option to see them)" if more > 0 else "")


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
    headlines = []
    for file in fact.sources:
        source = content.source(file)
        headlines.append(source.headline if source else file)
    label = "Source" if len(headlines) == 1 else "Sources"
    embed.set_footer(text=clip(f"{label}: " + " · ".join(headlines), EMBED_FOOTER))
    return embed
