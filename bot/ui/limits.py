"""Discord's display limits, and trimming that keeps a message sendable.

Discord rejects a whole message if one part is too long, so text from content packs or member
names is clipped here, where embeds are built, rather than trusted.
"""

from __future__ import annotations

from discord.utils import escape_markdown

__all__ = [
    "CONTENT",
    "EMBED_DESCRIPTION",
    "EMBED_FIELDS",
    "EMBED_FIELD_NAME",
    "EMBED_FIELD_VALUE",
    "EMBED_FOOTER",
    "EMBED_TITLE",
    "EMBED_TOTAL",
    "clip",
    "code_span",
    "player_name",
]

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000


def player_name(name: str) -> str:
    """Return a member's name safe to show in a message: short, with Discord markdown escaped.

    Names are chosen by members; "[x](https://…)" or "**" would otherwise render as a link or
    break the formatting around it.
    """
    return escape_markdown(clip(name, 64))


def typed_text(text: str) -> str:
    """Return what a member typed (a quiz guess) safe to show: short, markdown escaped."""
    return escape_markdown(clip(" ".join(text.split()), 100))


def code_span(text: str, limit: int = 60) -> str:
    """Return a name someone chose (a file name, an id they typed) as inline code, short.

    Markdown is not read inside a code span, so nothing is escaped (a backslash would show); only
    a backtick would end the span early, so it becomes a quote."""
    quoted = text.replace("`", "'")
    return f"`{clip(quoted, limit)}`"


def clip(text: str, limit: int) -> str:
    """Return text cut to at most limit characters, marking a cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
