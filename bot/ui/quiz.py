"""Quiz messages: the question, the reveal and the final standings."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.quiz import AskedQuestion, Difficulty, PoolTooSmall, QuestionResult, Standing
from bot.topics import topic_label
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_FOOTER, clip, player_name

__all__ = [
    "LETTERS",
    "option_label",
    "pool_too_small_message",
    "question_embed",
    "reveal_embed",
    "round_announcement",
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
    question: AskedQuestion,
    number: int,
    total: int,
    closes_at_unix: int,
    answers_so_far: int = 0,
    *,
    hint: str | None = None,
) -> discord.Embed:
    """Return the embed of an open question, with its closing time as a relative timestamp.

    A typed question says how to answer it and, from half time, shows `hint`.
    """
    if question.is_typed:
        options = "Press **Answer** and type it: small typos are forgiven."
        if hint:
            options += f"\n**Hint:** `{hint}`"
    else:
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
    lines = _typed_answer_lines(question) if question.is_typed else []
    for i, option in enumerate(() if question.is_typed else question.options):
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
        # Typed answers have no vote counts to read it from: say how many of how many got it.
        how_many = f"{len(right)} of {result.answer_count}" if question.is_typed else f"{len(right)}"
        embed.add_field(name=f"Got it right ({how_many})", value=clip(names, EMBED_FIELD_VALUE), inline=False)
    else:
        nobody = "Nobody this time."
        if question.is_typed and result.answer_count:
            count = result.answer_count
            nobody = f"Nobody this time ({count} wrong guess{'es' if count != 1 else ''})."
        embed.add_field(name="Got it right", value=nobody, inline=False)
    if source_line:
        embed.set_footer(text=clip(source_line, EMBED_FOOTER))
    return embed


def _typed_answer_lines(question: AskedQuestion) -> list[str]:
    lines = [f"✅ **{question.correct_option}**"]
    if len(question.accepted) > 1:
        lines.append("Also accepted: " + ", ".join(question.accepted[1:]))
    return lines


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
    difficulty = "" if error.difficulty is Difficulty.MIXED else f"{error.difficulty} "
    level = difficulty + ("typed-answer " if error.typed else "")
    others = ", ".join(
        f"{count} {name}" for name, count in error.by_difficulty.items() if count and name != error.difficulty
    )
    instead = f" There are {others}: choose another difficulty." if others else ""
    if error.other_mode:
        how = "on buttons: leave out `mode`" if error.typed else "to type: start it with `mode:typed`"
        there = "There is 1" if error.other_mode == 1 else f"There are {error.other_mode}"
        noun = "question" if error.other_mode == 1 else "questions"
        instead += f" {there} {difficulty}{noun}{about} {how}."
    if error.available == 0:
        return f"There are no {level}questions{about} yet.{instead}"
    return (
        f"There are only {error.available} {level}questions{about}, and this round needs {error.wanted}: "
        f"start it with `questions:{error.available}`.{instead}"
    )


def round_announcement(
    count: int, difficulty: Difficulty, topic: str | None, seconds: int, *, typed: bool, starter: str
) -> str:
    """The reply to /quiz start: what the round is and how to play it."""
    level = "" if difficulty is Difficulty.MIXED else f"{difficulty} "
    about = f" about **{topic_label(topic)}**" if topic else ""
    if typed:
        how = (
            "Press **Answer** and type it; small typos are forgiven. A hint shows at half time, "
            "and only answers before it earn the speed bonus."
        )
    else:
        how = "Click a button to answer; faster right answers earn more."
    return (
        f"**Quiz time!** {count} {level}questions{about}, {seconds} seconds each, "
        f"started by {player_name(starter)}. {how}"
    )
