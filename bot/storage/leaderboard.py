"""Reading the per-server rankings: pages, one player's position and stats, and resets.

Every query is scoped by server and served by an index on (server, points, correct): the
all-time view reads `player_totals`, the weekly and monthly views read `period_totals`.
Ranking: more points first, then more correct answers; equal on both shares a rank
(competition ranking: 1, 2, 2, 4), listed by user id: the order of bot.quiz.tie_order.
"""

from __future__ import annotations

from datetime import datetime

from bot.periods import Period, period_key
from bot.quiz import PlayerStats, Standing
from bot.storage.database import Database

__all__ = ["LeaderboardRepo"]


class LeaderboardRepo:
    """Ranked reads over the totals tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _source(self, period: Period, now: datetime, *, names: bool = True) -> tuple[str, tuple[object, ...]]:
        """Return the FROM/WHERE clause and its parameters for a period's totals.

        The clause is one of three constants chosen here; every value is a bound parameter.
        `names=False` is for counting: every period row has its all-time row (both are written in
        one transaction and an all-time reset clears both), so counts need no join, which would
        cost a lookup per counted row (25 ms for a 50,000-player week, see bench/RESULTS.md).
        """
        if period is Period.ALL_TIME:
            return "player_totals AS t WHERE t.guild_id = ?", ()
        if not names:
            return "period_totals AS t WHERE t.guild_id = ? AND t.period = ?", (period_key(period, now),)
        # Period rows carry no name: take the last known one from the all-time totals.
        return (
            "period_totals AS t JOIN player_totals AS n ON n.guild_id = t.guild_id AND n.user_id = t.user_id "
            "WHERE t.guild_id = ? AND t.period = ?",
            (period_key(period, now),),
        )

    async def count(self, guild_id: int, period: Period, now: datetime) -> int:
        """Return how many players have a score in the period."""
        source, extra = self._source(period, now, names=False)
        row = await self._db.fetch_one(f"SELECT COUNT(*) FROM {source}", (guild_id, *extra))  # noqa: S608
        return int(row[0]) if row else 0

    async def page(self, guild_id: int, period: Period, now: datetime, *, offset: int, limit: int) -> list[Standing]:
        """Return one page of the ranking, with shared ranks for ties."""
        source, extra = self._source(period, now)
        name = "t.display_name" if period is Period.ALL_TIME else "n.display_name"
        rows = await self._db.fetch_all(
            f"SELECT t.user_id, {name} AS display_name, t.points, t.correct, t.answered FROM {source} "  # noqa: S608
            "ORDER BY t.points DESC, t.correct DESC, t.user_id LIMIT ? OFFSET ?",
            (guild_id, *extra, limit, offset),
        )
        ranked: list[Standing] = []
        for i, r in enumerate(rows):
            if ranked and (ranked[-1].points, ranked[-1].correct) == (r["points"], r["correct"]):
                rank = ranked[-1].rank
            elif i == 0:
                rank = await self._rank_of(guild_id, period, now, r["points"], r["correct"])
            else:
                rank = offset + i + 1
            ranked.append(Standing(rank, r["user_id"], r["display_name"], r["points"], r["correct"], r["answered"]))
        return ranked

    async def position(self, guild_id: int, period: Period, now: datetime, user_id: int) -> Standing | None:
        """Return a player's rank and totals in the period, or None if they have none."""
        source, extra = self._source(period, now)
        name = "t.display_name" if period is Period.ALL_TIME else "n.display_name"
        row = await self._db.fetch_one(
            f"SELECT t.user_id, {name} AS display_name, t.points, t.correct, t.answered FROM {source} "  # noqa: S608
            "AND t.user_id = ?",
            (guild_id, *extra, user_id),
        )
        if row is None:
            return None
        rank = await self._rank_of(guild_id, period, now, row["points"], row["correct"])
        return Standing(rank, row["user_id"], row["display_name"], row["points"], row["correct"], row["answered"])

    async def _rank_of(self, guild_id: int, period: Period, now: datetime, points: int, correct: int) -> int:
        source, extra = self._source(period, now, names=False)
        # Two range counts rather than one OR, so each is a plain scan of the ranking index.
        ahead = await self._db.fetch_one(
            f"SELECT (SELECT COUNT(*) FROM {source} AND t.points > ?) "  # noqa: S608
            f"+ (SELECT COUNT(*) FROM {source} AND t.points = ? AND t.correct > ?)",
            (guild_id, *extra, points, guild_id, *extra, points, correct),
        )
        return 1 + (int(ahead[0]) if ahead else 0)

    async def stats(self, guild_id: int, user_id: int) -> PlayerStats | None:
        """Return a player's all-time totals in the server, or None if they never answered."""
        row = await self._db.fetch_one(
            """SELECT display_name, points, correct, answered, best_streak, rounds_played
               FROM player_totals WHERE guild_id = ? AND user_id = ?""",
            (guild_id, user_id),
        )
        if row is None:
            return None
        return PlayerStats(
            row["display_name"],
            row["points"],
            row["correct"],
            row["answered"],
            row["best_streak"],
            row["rounds_played"],
        )

    async def has_rounds(self, guild_id: int) -> bool:
        row = await self._db.fetch_one("SELECT 1 FROM rounds WHERE guild_id = ? LIMIT 1", (guild_id,))
        return row is not None

    async def reset(self, guild_id: int, period: Period, now: datetime) -> int:
        """Clear the server's standings for all time (everything) or the current week or month.

        Answers stay as the record of what was played; only the standings start over.
        Returns how many players' standings were cleared.
        """
        async with self._db.transaction() as tx:
            # Atomic against a question's totals written meanwhile (by this process or another):
            # without the lock, PostgreSQL's second DELETE could see rows the first did not.
            await tx.lock(guild_id)
            if period is Period.ALL_TIME:
                cleared = await tx.execute("DELETE FROM player_totals WHERE guild_id = ?", (guild_id,))
                await tx.execute("DELETE FROM period_totals WHERE guild_id = ?", (guild_id,))
            else:
                cleared = await tx.execute(
                    "DELETE FROM period_totals WHERE guild_id = ? AND period = ?",
                    (guild_id, period_key(period, now)),
                )
            return cleared
