"""Quiz messages: the question, the reveal and the final standings."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.quiz import AskedQuestion, Difficulty, PoolTooSmall, QuestionResult, Standing
from bot.ui import colours
from bot.ui.facts import topic_label
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_FOOTER, clip, player_name

__all__ = [
    "LETTERS",
    "option_label",
    "pool_too_small_message",
    "question_embed",
    "reveal_embed",
    "standings_embed",
]

LETTERS = "ABCD"


def option_label(question: AskedQuestion, index: int) -> str:
    """Return a button's label: the letter, or the word itself for true/false."""
    return question.options[index] if question.is_true_false else LETTERS[index]


def _options_text(question: AskedQuestion) -> str:
    if question.is_true_false:
        return ""
    return "\n".join(f"**{LETTERS[i]}.** {option}" for i, option in enumerate(question.options))


def question_embed(
    question: AskedQuestion, number: int, total: int, closes_at_unix: int, answers_so_far: int = 0
) -> discord.Embed:
    """Return the embed of an open question, with its closing time as a relative timestamp."""
    options = _options_text(question)
    body = question.prompt + (f"\n\n{options}" if options else "")
    embed = discord.Embed(
        title=f"Question {number} of {total}", description=clip(body, EMBED_DESCRIPTION), colour=colours.QUIZ
    )
    closes = f"Closes <t:{closes_at_unix}:R>"
    if answers_so_far:
        closes += f" · {answers_so_far} answer{'s' if answers_so_far != 1 else ''} so far"
    embed.add_field(name="\u200b", value=closes, inline=False)
    return embed


def reveal_embed(
    result: QuestionResult, total: int, source_line: str | None, *, skip_note: str | None = None
) -> discord.Embed:
    """Return the embed of a closed question: the answer, the counts, who was right and why.

    A skipped question shows the answer without counts, and `skip_note` instead of who was right.
    """
    question = result.question
    lines = []
    for i, option in enumerate(question.options):
        mark = "✅" if i == question.correct_index else "▫️"
        letter = "" if question.is_true_false else f"{LETTERS[i]}. "
        count = result.option_counts[i]
        votes = "" if result.skipped else f" — {count} vote{'s' if count != 1 else ''}"
        lines.append(f"{mark} {letter}{option}{votes}")
    embed = discord.Embed(
        title=f"Question {result.question_index + 1} of {total}: {'skipped' if result.skipped else 'closed'}",
        description=clip(question.prompt + "\n\n" + "\n".join(lines), EMBED_DESCRIPTION),
        colour=colours.CORRECT,
    )
    embed.add_field(name="Why", value=clip(question.explanation, EMBED_FIELD_VALUE), inline=False)
    right = result.correct_answers
    if result.skipped:
        embed.add_field(name="Skipped", value=clip(skip_note or "No points on this one.", EMBED_FIELD_VALUE),
                        inline=False)
    elif right:
        names = ", ".join(f"{player_name(a.display_name)} (+{a.points})" for a in right)
        embed.add_field(name=f"Got it right ({len(right)})", value=clip(names, EMBED_FIELD_VALUE), inline=False)
    else:
        embed.add_field(name="Got it right", value="Nobody this time.", inline=False)
    if source_line:
        embed.set_footer(text=clip(source_line, EMBED_FOOTER))
    return embed


def standings_embed(standings: Sequence[Standing], *, title: str, note: str | None = None) -> discord.Embed:
    """Return the final standings of a round (top 20), with a pointer to /leaderboard."""
    if standings:
        rows = [
            f"**{s.rank}.** {player_name(s.display_name)} — {s.points} pts ({s.correct}/{s.answered} correct)"
            for s in standings[:20]
        ]
        if len(standings) > 20:
            rows.append(f"…and {len(standings) - 20} more")
        body = "\n".join(rows)
    else:
        body = "Nobody answered this round."
    if note:
        body = f"{note}\n\n{body}"
    embed = discord.Embed(title=title, description=clip(body, EMBED_DESCRIPTION), colour=colours.QUIZ)
    embed.set_footer(text="Points count towards this server's /leaderboard.")
    return embed


def pool_too_small_message(error: PoolTooSmall) -> str:
    """Say why a round cannot start with these options, and what would work instead."""
    about = f" about **{topic_label(error.topic)}**" if error.topic else ""
    level = "" if error.difficulty is Difficulty.MIXED else f"{error.difficulty} "
    others = ", ".join(
        f"{count} {name}" for name, count in error.by_difficulty.items() if count and name != error.difficulty
    )
    instead = f" There are {others}: choose another difficulty." if others else ""
    if error.available == 0:
        return f"There are no {level}questions{about} yet.{instead}"
    return (
        f"There are only {error.available} {level}questions{about}, and this round needs {error.wanted}: "
        f"start it with `questions:{error.available}`.{instead}"
    )
