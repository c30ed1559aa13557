"""`python -m bot copy-database --from URL --to URL`: move every row to another database.

For a host who outgrows SQLite: stop the bot, copy its database to PostgreSQL, change
DATABASE_URL, start again, and every score is still there. Both databases are brought to the
current schema first. The target must be empty (nothing is ever merged or overwritten); the copy
is one transaction on the target, so a failure leaves it empty; and each table's row count is
checked on both sides at the end.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO

from bot.storage import Database, StorageError, open_database
from bot.storage.url import redacted

__all__ = ["TABLES", "CopyError", "copy_database"]

# Every table of the schema but the migrations ledger (each database keeps its own), parents
# before the tables that refer to them. tests/unit/storage/test_copy.py checks it is complete.
TABLES = (
    "meta",
    "guild_settings",
    "guild_notices",
    "fact_decks",
    "daily_fact_posts",
    "rounds",
    "answers",
    "player_totals",
    "period_totals",
    "asked_questions",
    "entry_reports",
    "server_packs",
    "disabled_packs",
    "hidden_entries",
)
LEDGER = "schema_migrations"
BATCH = 5000


class CopyError(Exception):
    """The copy cannot be made; the message says why, and nothing was written."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int


class Progress:
    """One line per table: a bar that fills on a terminal, the final count otherwise."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._live = out.isatty()

    def update(self, table: str, done: int, total: int) -> None:
        if self._live:
            filled = self.WIDTH * done // total if total else self.WIDTH
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self._out.write(f"\r{table:<16} [{bar}] {done:>11,}/{total:,}")
            self._out.flush()

    def finish(self, table: str, total: int) -> None:
        if self._live:
            self.update(table, total, total)
            self._out.write("\n")
        else:
            self._out.write(f"{table:<16} {total:>11,} rows\n")
        self._out.flush()


async def copy_database(source_url: str, target_url: str, progress_out: TextIO = sys.stderr) -> list[TableCopy]:
    """Copy every table from source to an empty target; return what was copied."""
    if source_url == target_url:
        raise CopyError("--from and --to name the same database")
    source = await open_database(source_url)
    try:
        target = await open_database(target_url)
        try:
            return await _copy(source, target, Progress(progress_out))
        finally:
            await target.close()
    finally:
        await source.close()


async def _copy(source: Database, target: Database, progress: Progress) -> list[TableCopy]:
    tables = await source.table_names() - {LEDGER}
    if tables != set(TABLES):
        # Only if a migration added a table and TABLES was not told: refuse rather than drop it.
        raise CopyError(f"the source's tables {sorted(tables)} are not the ones this copy knows {sorted(TABLES)}")
    for table in TABLES:
        if await _count(target, table):
            raise CopyError(
                f"the target already holds data (table {table} is not empty): copy-database only fills "
                "a new, empty database, so nothing there is ever overwritten"
            )
    counts = {table: await _count(source, table) for table in TABLES}
    async with target.transaction() as tx:
        for table in TABLES:
            done = 0
            progress.update(table, 0, counts[table])
            # Table names are the constants above; no value is ever put into the SQL text.
            async for rows in source.stream(f"SELECT * FROM {table}", BATCH):  # noqa: S608
                await tx.bulk_insert(table, list(rows[0].keys()), [tuple(r) for r in rows])
                done += len(rows)
                progress.update(table, min(done, counts[table]), counts[table])
            progress.finish(table, done)
    for table in TABLES:
        await target.after_bulk_copy(table)
        copied = await _count(target, table)
        if copied != counts[table]:
            raise CopyError(f"table {table}: {counts[table]} rows in the source but {copied} in the target")
    return [TableCopy(table, counts[table]) for table in TABLES]


async def _count(db: Database, table: str) -> int:
    row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a name from TABLES)
    return int(row[0]) if row else 0


async def run(source_url: str, target_url: str, out: TextIO, err: TextIO) -> int:
    """The command: copy, report, and return the exit status (0 copied, 1 refused or failed)."""
    started = time.perf_counter()
    try:
        copied = await copy_database(source_url, target_url, err)
    except (CopyError, StorageError) as error:
        err.write(f"error: copy-database: {error}\n")
        return 1
    rows = sum(c.rows for c in copied)
    out.write(
        f"copied {len(copied)} tables, {rows:,} rows, from {redacted(source_url)} to {redacted(target_url)} "
        f"in {time.perf_counter() - started:.1f} s; every table's row count matches\n"
    )
    return 0
