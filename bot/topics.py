"""Topics as people type and read them: labels, matching what was typed, suggestions. Pure: no Discord."""

from __future__ import annotations

from collections.abc import Sequence

from bot.user_errors import UserError

__all__ = ["resolve_topic", "suggest_topics", "topic_label", "topic_list"]

SUGGESTIONS = 25  # Discord shows at most 25 autocomplete choices
TYPED_SHOWN = 50  # characters of an unknown topic echoed back


def topic_label(topic: str) -> str:
    """A topic slug as people read it: 'behind-the-scenes' -> 'Behind the scenes'."""
    return topic.replace("-", " ").capitalize()


def topic_list(topics: Sequence[str], limit: int = 15) -> str:
    """Topics for a reply, at most `limit` of them (a server may load many packs)."""
    shown = ", ".join(f"`{t}`" for t in topics[:limit])
    more = len(topics) - limit
    return shown + (f" and {more} more (start typing in the topic option to see them)" if more > 0 else "")


def resolve_topic(topics: Sequence[str], raw: str | None, *, kind: str = "topic") -> str | None:
    """The topic a user typed (by slug or label, any case), None for none; else a UserError.

    Autocomplete only suggests: a user can type anything, so the value is checked here.
    """
    if raw is None or not raw.strip():
        return None
    wanted = raw.strip().lower()
    for known in topics:
        if wanted in (known, topic_label(known).lower()):
            return known
    typed = raw.strip()
    typed = typed if len(typed) <= TYPED_SHOWN else typed[: TYPED_SHOWN - 1] + "…"
    raise UserError(f"There is no {kind} called `{typed}`. Topics: {topic_list(topics)}.")


def suggest_topics(topics: Sequence[str], current: str) -> list[str]:
    """The topics matching what the user has typed so far, by slug or label (25 at most)."""
    needle = current.strip().lower()
    return [t for t in topics if needle in t or needle in topic_label(t).lower()][:SUGGESTIONS]
