"""The /leaderboard page and the /rank card."""

from __future__ import annotations

import discord

from bot.periods import Period
from bot.quiz import PlayerStats, Standing
from bot.ui import colours
from bot.ui.limits import EMBED_DESCRIPTION, clip, player_name

__all__ = ["PAGE_SIZE", "PERIOD_TITLES", "leaderboard_embed", "rank_embed"]

PAGE_SIZE = 10
PERIOD_TITLES = {Period.ALL_TIME: "all time", Period.WEEK: "this week", Period.MONTH: "this month"}


def _line(row: Standing) -> str:
    return f"**{row.rank}.** {player_name(row.display_name)} — {row.points:,} pts · {row.correct} correct"


def leaderboard_embed(
    guild_name: str,
    period: Period,
    rows: list[Standing],
    *,
    page: int,
    pages: int,
    caller: Standing | None,
    caller_id: int,
    has_rounds: bool,
) -> discord.Embed:
    """Return one page of the ranking, with the caller's own position when it is not on the page."""
    title = f"Leaderboard: {clip(guild_name, 100)}, {PERIOD_TITLES[period]}"
    if rows:
        body = "\n".join(_line(r) for r in rows)
        if caller is not None and all(r.user_id != caller_id for r in rows):
            body += f"\n\n**You:** {_line(caller)}"
    elif not has_rounds:
        body = "No quiz rounds have been played on this server yet. Start one with `/quiz start`!"
    elif period is Period.ALL_TIME:
        body = "Nobody has scored yet. Start a round with `/quiz start`!"
    else:
        body = f"Nobody has scored {PERIOD_TITLES[period]} yet. Start a round with `/quiz start`!"
    embed = discord.Embed(title=title, description=clip(body, EMBED_DESCRIPTION), colour=colours.QUIZ)
    if rows:
        embed.set_footer(text=f"Page {page + 1} of {pages} · ties share a rank")
    return embed


def rank_embed(
    display_name: str,
    stats: PlayerStats | None,
    all_time: Standing | None,
    week: Standing | None,
) -> discord.Embed:
    """Return a player's rank and stats for all time and this week."""
    name = player_name(display_name)
    if stats is None or all_time is None:
        return discord.Embed(
            title=name,
            description=f"{name} hasn't answered a quiz question on this server yet.",
            colour=colours.INFO,
        )
    embed = discord.Embed(title=name, colour=colours.QUIZ)
    embed.add_field(name="Rank (all time)", value=f"#{all_time.rank}")
    embed.add_field(name="Points", value=f"{stats.points:,}")
    embed.add_field(name="Accuracy", value=f"{stats.accuracy:.0%}")
    embed.add_field(name="Answered", value=str(stats.answered))
    embed.add_field(name="Correct", value=str(stats.correct))
    embed.add_field(name="Best streak", value=str(stats.best_streak))
    embed.add_field(name="Rounds played", value=str(stats.rounds_played))
    if week is not None:
        accuracy = week.correct / week.answered if week.answered else 0.0
        this_week = f"#{week.rank} · {week.points:,} pts · {week.correct}/{week.answered} correct ({accuracy:.0%})"
    else:
        this_week = "no answers yet"
    embed.add_field(name="This week", value=this_week, inline=False)
    return embed
