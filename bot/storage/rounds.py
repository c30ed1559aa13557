"""Quiz rounds, the results of each question, and the questions a server has seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.periods import period_keys
from bot.quiz import QuestionResult
from bot.storage.database import Database

__all__ = ["RoundRecord", "RoundRepo"]


@dataclass(frozen=True, slots=True)
class RoundRecord:
    id: int
    guild_id: int
    channel_id: int
    status: str
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
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """INSERT INTO rounds (guild_id, channel_id, starter_id, topic, question_count, seconds,
                                       status, started_at)
                   VALUES (?, ?, ?, ?, ?, ?, 'running', ?)""",
                (guild_id, channel_id, starter_id, topic, question_count, seconds, started_at),
            )
            round_id = int(cursor.lastrowid or 0)
            await conn.executemany(
                "DELETE FROM asked_questions WHERE guild_id = ? AND topic = ? AND question_id = ?",
                [(guild_id, history_topic, qid) for qid in forget_ids],
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO asked_questions (guild_id, topic, question_id) VALUES (?, ?, ?)",
                [(guild_id, history_topic, qid) for qid in question_ids],
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

    async def finish(self, round_id: int, status: str, ended_at: float) -> None:
        await self._db.execute(
            "UPDATE rounds SET status = ?, ended_at = ? WHERE id = ? AND status = 'running'",
            (status, ended_at, round_id),
        )

    async def interrupt_running(self, ended_at: float) -> list[RoundRecord]:
        """Mark rounds a crash or restart left running as interrupted; return them."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT id, guild_id, channel_id, status, last_message_id FROM rounds WHERE status = 'running'"
            )
            rows = list(await cursor.fetchall())
            await conn.execute(
                "UPDATE rounds SET status = 'interrupted', ended_at = ? WHERE status = 'running'", (ended_at,)
            )
        return [RoundRecord(r["id"], r["guild_id"], r["channel_id"], "interrupted", r["last_message_id"]) for r in rows]

    async def status(self, round_id: int) -> str | None:
        row = await self._db.fetch_one("SELECT status FROM rounds WHERE id = ?", (round_id,))
        return None if row is None else str(row["status"])

    async def record_question(self, guild_id: int, result: QuestionResult, answered_at: float) -> None:
        """Write a closed question's answers and the totals they change, in one transaction.

        This is what "never lose a score" rests on: once this returns, a crash or restart keeps
        every point of this question; if it fails, none of it is half-written.
        """
        if not result.answers:
            return
        week, month = period_keys(datetime.fromtimestamp(answered_at, UTC))
        answers = result.answers
        async with self._db.transaction() as conn:
            await conn.executemany(
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
            await conn.executemany(
                """INSERT INTO player_totals (guild_id, user_id, display_name, points, correct, answered,
                                              best_streak, rounds_played, last_round_id)
                   VALUES (?, ?, ?, ?, ?, 1, ?, 1, ?)
                   ON CONFLICT (guild_id, user_id) DO UPDATE SET
                       display_name = excluded.display_name,
                       points = points + excluded.points,
                       correct = correct + excluded.correct,
                       answered = answered + 1,
                       best_streak = MAX(best_streak, excluded.best_streak),
                       rounds_played = rounds_played
                           + (last_round_id IS NULL OR last_round_id <> excluded.last_round_id),
                       last_round_id = excluded.last_round_id""",
                [
                    (guild_id, a.user_id, a.display_name, a.points, int(a.correct), a.streak, result.round_id)
                    for a in answers
                ],
            )
            await conn.executemany(
                """INSERT INTO period_totals (guild_id, period, user_id, points, correct, answered)
                   VALUES (?, ?, ?, ?, ?, 1)
                   ON CONFLICT (guild_id, period, user_id) DO UPDATE SET
                       points = points + excluded.points,
                       correct = correct + excluded.correct,
                       answered = answered + 1""",
                [(guild_id, period, a.user_id, a.points, int(a.correct)) for a in answers for period in (week, month)],
            )
