"""The fact embed and the "Another fact" button's id."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from bot.content import ContentStore, Fact
from bot.errors import UserError
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_FOOTER, clip

__all__ = ["fact_embed", "resolve_topic", "source_line", "topic_choices", "topic_label", "topic_list"]


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
    embed.set_footer(text=clip(source_line(fact, content), EMBED_FOOTER))
    return embed


def source_line(fact: Fact, content: ContentStore) -> str:
    """Return 'Source: <headline>' (or 'Sources: a · b') for the articles a fact cites."""
    headlines = []
    for file in fact.sources:
        source = content.source(file)
        headlines.append(source.headline if source else file)
    return ("Source: " if len(headlines) == 1 else "Sources: ") + " · ".join(headlines)


def resolve_topic(topics: Sequence[str], raw: str | None, *, kind: str = "topic") -> str | None:
    """Return the topic a user typed (by slug or label, any case), None for none, else a UserError.

    Autocomplete only suggests: a user can type anything, so the value is checked here.
    """
    if raw is None or not raw.strip():
        return None
    wanted = raw.strip().lower()
    for known in topics:
        if wanted in (known, topic_label(known).lower()):
            return known
    raise UserError(f"There is no {kind} called `{clip(raw.strip(), 50)}`. Topics: {topic_list(topics)}.")


def topic_choices(topics: Sequence[str], current: str) -> list[app_commands.Choice[str]]:
    """Return the autocomplete choices matching what the user typed so far (25 at most)."""
    needle = current.strip().lower()
    matches = [t for t in topics if needle in t or needle in topic_label(t).lower()]
    return [app_commands.Choice(name=topic_label(t), value=t) for t in matches[:25]]
