"""Players' reports of facts and questions, per server (table `entry_reports`).

Every query is scoped by server and served by the partial unique index on (server, kind, entry,
reporter) over the open reports, which is also the rule "one open report per player per entry".
"""

from __future__ import annotations

from typing import Any

from bot.clock import WallClock, utc_now
from bot.content import EntryKind
from bot.reports import Reason, ReportedEntry, ReportSummary
from bot.storage.database import Database

__all__ = ["NOTES_SHOWN", "ReportRepo"]

NOTES_SHOWN = 3  # the latest notes an entry's summary carries

_OPEN = "guild_id = ? AND resolved_at IS NULL"


class ReportRepo:
    """File, list and dismiss a server's reports."""

    def __init__(self, db: Database, wall_clock: WallClock = utc_now) -> None:
        self._db = db
        self._wall_clock = wall_clock  # when a report was filed or dismissed

    async def file(
        self, guild_id: int, entry: ReportedEntry, reporter_id: int, reason: Reason, note: str | None
    ) -> bool:
        """Store a player's report of an entry; True if new, False if it replaced their open one."""
        now = self._wall_clock().timestamp()
        key = (guild_id, entry.kind.value, entry.entry_id, reporter_id)
        async with self._db.transaction() as tx:
            before = await tx.fetch_all(
                f"SELECT id FROM entry_reports WHERE {_OPEN} "  # noqa: S608
                "AND entry_kind = ? AND entry_id = ? AND reporter_id = ?",
                key,
            )
            # Two submissions at once from one player both land here: the upsert keeps one row.
            await tx.execute(
                """INSERT INTO entry_reports
                       (guild_id, entry_kind, entry_id, reporter_id, pack_id, reason, note, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id, entry_kind, entry_id, reporter_id) WHERE resolved_at IS NULL
                   DO UPDATE SET pack_id = excluded.pack_id, reason = excluded.reason, note = excluded.note,
                                 created_at = excluded.created_at""",
                (*key, entry.pack_id, reason.value, note, now),
            )
        return not before

    async def count_entries(self, guild_id: int) -> int:
        """How many entries have open reports in the server."""
        row = await self._db.fetch_one(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM entry_reports WHERE {_OPEN} "  # noqa: S608
            "GROUP BY entry_kind, entry_id) AS reported",
            (guild_id,),
        )
        return int(row[0]) if row else 0

    async def page(self, guild_id: int, *, offset: int, limit: int) -> list[ReportSummary]:
        """One page of the server's reported entries, the most recently reported first."""
        entries = await self._db.fetch_all(
            f"""SELECT entry_kind, entry_id, MAX(pack_id) AS pack_id, MAX(created_at) AS newest_at
                FROM entry_reports WHERE {_OPEN}
                GROUP BY entry_kind, entry_id
                ORDER BY newest_at DESC, entry_kind, entry_id LIMIT ? OFFSET ?""",  # noqa: S608
            (guild_id, limit, offset),
        )
        if not entries:
            return []
        keys = [(row["entry_kind"], row["entry_id"]) for row in entries]
        # One (kind = ? AND id = ?) per entry of the page: a handful, every value bound.
        among = " OR ".join(["(entry_kind = ? AND entry_id = ?)"] * len(keys))
        params: list[Any] = [guild_id, *(value for key in keys for value in key)]
        reason_rows = await self._db.fetch_all(
            f"""SELECT entry_kind, entry_id, reason, COUNT(*) AS n FROM entry_reports
                WHERE {_OPEN} AND ({among}) GROUP BY entry_kind, entry_id, reason""",  # noqa: S608
            params,
        )
        note_rows = await self._db.fetch_all(
            f"""SELECT entry_kind, entry_id, note FROM (
                    SELECT entry_kind, entry_id, note, ROW_NUMBER() OVER (
                        PARTITION BY entry_kind, entry_id ORDER BY created_at DESC, id DESC) AS place
                    FROM entry_reports WHERE {_OPEN} AND note IS NOT NULL AND ({among})
                ) AS latest WHERE place <= ? ORDER BY entry_kind, entry_id, place""",  # noqa: S608
            [*params, NOTES_SHOWN],
        )
        reasons: dict[tuple[str, str], dict[Reason, int]] = {key: {} for key in keys}
        for row in reason_rows:
            reasons[(row["entry_kind"], row["entry_id"])][Reason(row["reason"])] = int(row["n"])
        notes: dict[tuple[str, str], list[str]] = {key: [] for key in keys}
        for row in note_rows:
            notes[(row["entry_kind"], row["entry_id"])].append(row["note"])
        return [
            ReportSummary(
                kind=EntryKind(row["entry_kind"]),
                entry_id=row["entry_id"],
                pack_id=row["pack_id"],
                reasons={r: reasons[key][r] for r in Reason if r in reasons[key]},
                newest_at=float(row["newest_at"]),
                notes=tuple(notes[key]),
            )
            for row, key in zip(entries, keys, strict=True)
        ]

    async def dismiss(self, guild_id: int, kind: EntryKind, entry_id: str, moderator_id: int) -> int:
        """Close every open report of an entry in the server; return how many were closed."""
        return await self._db.execute(
            f"""UPDATE entry_reports SET resolved_at = ?, resolved_by = ?
                WHERE {_OPEN} AND entry_kind = ? AND entry_id = ?""",  # noqa: S608
            (self._wall_clock().timestamp(), moderator_id, guild_id, kind.value, entry_id),
        )
