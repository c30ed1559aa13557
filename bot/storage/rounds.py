"""Quiz rounds, the results of each question, and the questions a server has seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.periods import period_keys
from bot.quiz import QuestionResult, RoundStatus
from bot.sharding import UNSHARDED, ShardPlan
from bot.storage.database import Database

__all__ = ["RoundRecord", "RoundRepo"]


@dataclass(frozen=True, slots=True)
class RoundRecord:
    id: int
    guild_id: int
    channel_id: int
    status: RoundStatus
    last_message_id: int | None


class RoundRepo:
    """Writes a round's life: its start, each closed question (with totals), and its end."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        topic: str | None,
        question_count: int,
        seconds: int,
        started_at: float,
        question_ids: Iterable[str],
        history_topic: str,
        forget_ids: Iterable[str] = (),
    ) -> int:
        """Record a new running round and mark its questions as asked; return the round id.

        `forget_ids` (a used-up pool) lose their asked mark first, so their next cycle starts here.
        """
        async with self._db.transaction() as tx:
            # The database refuses a second running round in one channel (Conflict), whichever
            # process tries to start it.
            rows = await tx.fetch_all(
                """INSERT INTO rounds (guild_id, channel_id, starter_id, topic, question_count, seconds,
                                       status, started_at)
                   VALUES (?, ?, ?, ?, ?, ?, 'running', ?) RETURNING id""",
                (guild_id, channel_id, starter_id, topic, question_count, seconds, started_at),
            )
            round_id = int(rows[0]["id"])
            await tx.executemany(
                "DELETE FROM asked_questions WHERE guild_id = ? AND topic = ? AND question_id = ?",
                [(guild_id, history_topic, qid) for qid in sorted(set(forget_ids))],
            )
            await tx.executemany(
                """INSERT INTO asked_questions (guild_id, topic, question_id) VALUES (?, ?, ?)
                   ON CONFLICT DO NOTHING""",
                [(guild_id, history_topic, qid) for qid in sorted(set(question_ids))],
            )
        return round_id

    async def asked(self, guild_id: int, history_topic: str) -> set[str]:
        rows = await self._db.fetch_all(
            "SELECT question_id FROM asked_questions WHERE guild_id = ? AND topic = ?",
            (guild_id, history_topic),
        )
        return {r["question_id"] for r in rows}

    async def set_message(self, round_id: int, message_id: int) -> None:
        await self._db.execute("UPDATE rounds SET last_message_id = ? WHERE id = ?", (message_id, round_id))

    async def finish(self, round_id: int, status: RoundStatus, ended_at: float) -> None:
        await self._db.execute(
            "UPDATE rounds SET status = ?, ended_at = ? WHERE id = ? AND status = 'running'",
            (status.value, ended_at, round_id),
        )

    async def interrupt_running(self, ended_at: float, shards: ShardPlan = UNSHARDED) -> list[RoundRecord]:
        """Mark rounds a crash or restart left running as interrupted; return them.

        Only in the servers of `shards`: the rounds of other shards are running in other processes.
        """
        where, params = "", tuple[int, ...]()
        if not shards.is_whole:
            marks = ", ".join("?" * len(shards.ids))
            where, params = f" AND ((guild_id >> 22) % ?) IN ({marks})", (shards.count, *shards.ids)
        async with self._db.transaction() as tx:
            rows = await tx.fetch_all(
                "UPDATE rounds SET status = 'interrupted', ended_at = ? WHERE status = 'running'"  # noqa: S608
                f"{where} RETURNING id, guild_id, channel_id, status, last_message_id",
                (ended_at, *params),
            )
        rows.sort(key=lambda r: r["id"])
        interrupted = RoundStatus.INTERRUPTED
        return [RoundRecord(r["id"], r["guild_id"], r["channel_id"], interrupted, r["last_message_id"]) for r in rows]

    async def interrupt_in_channel(self, channel_id: int, ended_at: float) -> int:
        """Mark a round left running in the channel as interrupted (its end could not be written).

        For the process that owns the channel, which knows it runs no round there; returns how
        many rows it changed.
        """
        return await self._db.execute(
            "UPDATE rounds SET status = 'interrupted', ended_at = ? WHERE channel_id = ? AND status = 'running'",
            (ended_at, channel_id),
        )

    async def status(self, round_id: int) -> RoundStatus | None:
        row = await self._db.fetch_one("SELECT status FROM rounds WHERE id = ?", (round_id,))
        return None if row is None else RoundStatus(row["status"])

    async def record_question(self, guild_id: int, result: QuestionResult, answered_at: float) -> None:
        """Write a closed question's answers and the totals they change, in one transaction.

        This is what "never lose a score" rests on: once this returns, a crash or restart keeps
        every point of this question; if it fails, none of it is half-written.
        """
        if not result.answers:
            return
        week, month = period_keys(datetime.fromtimestamp(answered_at, UTC))
        # In one order, so that two transactions never wait on each other's rows.
        answers = sorted(result.answers, key=lambda a: a.user_id)
        async with self._db.transaction() as tx:
            # A leaderboard reset of this server waits for this question's totals, or they for it.
            await tx.lock(guild_id)
            await tx.executemany(
                """INSERT INTO answers (round_id, question_index, question_id, guild_id, user_id, choice,
                                        correct, points, seconds_taken, answered_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        result.round_id,
                        result.question_index,
                        result.question.question_id,
                        guild_id,
                        a.user_id,
                        a.option_index,
                        int(a.correct),
                        a.points,
                        a.time_taken,
                        answered_at,
                    )
                    for a in answers
                ],
            )
            await tx.executemany(
                """INSERT INTO player_totals (guild_id, user_id, display_name, points, correct, answered,
                                              best_streak, rounds_played, last_round_id)
                   VALUES (?, ?, ?, ?, ?, 1, ?, 1, ?)
                   ON CONFLICT (guild_id, user_id) DO UPDATE SET
                       display_name = excluded.display_name,
                       points = player_totals.points + excluded.points,
                       correct = player_totals.correct + excluded.correct,
                       answered = player_totals.answered + 1,
                       best_streak = CASE WHEN excluded.best_streak > player_totals.best_streak
                                          THEN excluded.best_streak ELSE player_totals.best_streak END,
                       rounds_played = player_totals.rounds_played
                           + CASE WHEN player_totals.last_round_id IS NULL
                                    OR player_totals.last_round_id <> excluded.last_round_id
                                  THEN 1 ELSE 0 END,
                       last_round_id = excluded.last_round_id""",
                [
                    (guild_id, a.user_id, a.display_name, a.points, int(a.correct), a.streak, result.round_id)
                    for a in answers
                ],
            )
            await tx.executemany(
                """INSERT INTO period_totals (guild_id, period, user_id, points, correct, answered)
                   VALUES (?, ?, ?, ?, ?, 1)
                   ON CONFLICT (guild_id, period, user_id) DO UPDATE SET
                       points = period_totals.points + excluded.points,
                       correct = period_totals.correct + excluded.correct,
                       answered = period_totals.answered + 1""",
                [(guild_id, period, a.user_id, a.points, int(a.correct)) for a in answers for period in (week, month)],
            )
