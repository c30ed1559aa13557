"""What /pack shows: the list of a server's packs, and the problems of an upload (inline or as a file)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.content import ContentIssue, Pack
from bot.packs.limits import LIMITS_TEXT
from bot.ui import colours
from bot.ui.limits import CONTENT, EMBED_DESCRIPTION, EMBED_FOOTER, clip, code_span

__all__ = ["PROBLEMS_FILENAME", "PackLine", "pack_list_embed", "problems_reply"]

PROBLEMS_FILENAME = "problems.txt"
NOT_LOADED = "⚠ A pack not loaded no longer passes the checks: upload it again to see its problems."
INLINE_PROBLEMS = 10  # more than this many problems go in an attached file


@dataclass(frozen=True, slots=True)
class PackLine:
    """One pack as /pack list shows it."""

    pack_id: str
    title: str
    facts: int
    questions: int
    enabled: bool
    uploaded_by: int | None = None  # a server pack's uploader and time; None for a shipped pack
    uploaded_at: datetime | None = None
    problems: int = 0  # a stored pack that no longer passes the checks

    @classmethod
    def shipped(cls, pack: Pack, enabled: bool) -> PackLine:
        return cls(pack.id, pack.title, len(pack.facts), len(pack.questions), enabled)

    def render(self, title_limit: int | None = None) -> str:
        """The pack's line; its title cut to `title_limit` characters (0: left out) so many fit."""
        state = "on" if self.enabled else "**off**"
        counts = f"{self.facts} facts, {self.questions} questions"
        title = self.title if title_limit is None else clip(self.title, title_limit) if title_limit > 1 else ""
        line = f"`{self.pack_id}`: {discord.utils.escape_markdown(title)} ({counts}; {state})"
        if self.uploaded_by is not None and self.uploaded_at is not None:
            line += f" by <@{self.uploaded_by}> <t:{int(self.uploaded_at.timestamp())}:R>"
        if self.problems:
            line += f" ⚠ not loaded: {self.problems} problems"
        return line


def pack_list_embed(shipped: Sequence[PackLine], server: Sequence[PackLine]) -> discord.Embed:
    """The shipped packs and the server's own, each with its counts and whether it is on.

    Every pack gets its line: when the lines are too long together, the titles are cut (all to
    the same length, the longest that fits), never the packs at the end."""

    def listing(title_limit: int | None) -> str:
        sections = ["**Shipped with the bot**", *(f"- {line.render(title_limit)}" for line in shipped), ""]
        sections.append("**This server's packs**")
        sections += [f"- {line.render(title_limit)}" for line in server] or [
            "None yet: `/pack template`, then `/pack upload`."
        ]
        if any(line.problems for line in server):
            sections.append(NOT_LOADED)
        return "\n".join(sections)

    description = listing(None)
    if len(description) > EMBED_DESCRIPTION:
        longest = max(len(line.title) for line in (*shipped, *server))
        fits = [limit for limit in range(longest, -1, -1) if len(listing(limit)) <= EMBED_DESCRIPTION]
        description = listing(fits[0]) if fits else listing(0)
    embed = discord.Embed(
        title="Content packs", description=clip(description, EMBED_DESCRIPTION), colour=colours.INFO
    )
    embed.set_footer(text=clip(LIMITS_TEXT, EMBED_FOOTER))
    return embed


def problems_reply(filename: str, issues: Sequence[ContentIssue]) -> tuple[str, discord.File | None]:
    """The reply for a refused upload: every problem inline when few, else in an attached text file."""
    count = len(issues)
    head = f"{code_span(filename)} was not stored: {count} problem{'s' if count != 1 else ''}."
    lines = [str(issue) for issue in issues]
    inline = "\n".join(f"- {discord.utils.escape_markdown(line)}" for line in lines)
    message = f"{head}\n{inline}"
    if count <= INLINE_PROBLEMS and len(message) <= CONTENT:
        return message, None
    text = "\n".join(lines) + "\n"
    attached = discord.File(io.BytesIO(text.encode()), filename=PROBLEMS_FILENAME)
    return f"{head} Every one of them is in the attached {PROBLEMS_FILENAME}.", attached
