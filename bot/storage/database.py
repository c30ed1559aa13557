"""The bot's SQLite database: one writer connection with explicit transactions, one reader.

aiosqlite runs every statement of a connection on that connection's own thread, in order. Two
coroutines that each BEGIN on one shared connection would interleave, and one's ROLLBACK would
undo the other's work; so every write goes through `transaction()`, which serialises writers
with a lock and takes SQLite's write lock up front (BEGIN IMMEDIATE). Reads use a second
connection: in WAL mode it sees only committed data, so a leaderboard read never shows half of
a question's results, and reads never wait behind a write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

__all__ = ["Database"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")


async def _configure(conn: aiosqlite.Connection) -> None:
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL + NORMAL survives an application crash; only an OS crash or power loss can drop the
    # last commits, the usual trade for a chat bot.
    await conn.execute("PRAGMA synchronous=NORMAL")


async def _finish(operation: Awaitable[T]) -> T:
    """Await an operation to its end even if we are cancelled meanwhile.

    aiosqlite runs a queued statement whether or not anyone still awaits it, so a cancelled
    BEGIN or COMMIT would otherwise leave us unsure whether a transaction is open.
    """
    task = asyncio.ensure_future(operation)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await task
        raise


class Database:
    """Reads at any time; writes inside `transaction()` (or `execute`)."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, path: Path) -> None:
        self._writer = writer
        self._reader = reader
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating its folder when needed) and configure the database at path."""
        await asyncio.to_thread(Path(path).parent.mkdir, parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; ours are explicit and visible.
        writer = await aiosqlite.connect(path, isolation_level=None)
        try:
            await _configure(writer)
            reader = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            await writer.close()
            raise
        try:
            await _configure(reader)
        except BaseException:
            await reader.close()
            await writer.close()
            raise
        return cls(writer, reader, Path(path))

    async def close(self) -> None:
        """Close both connections (aiosqlite ≥0.22 keeps its threads alive until we do)."""
        async with self._write_lock:
            await self._reader.close()
            await self._writer.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one transaction: all of it is written, or none."""
        async with self._write_lock:
            try:
                await _finish(self._writer.execute("BEGIN IMMEDIATE"))
                yield self._writer
            except BaseException:
                if self._writer.in_transaction:
                    await _finish(self._writer.execute("ROLLBACK"))
                raise
            await _finish(self._writer.execute("COMMIT"))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one write statement in its own transaction.

        SQLite runs a statement outside BEGIN as a transaction of its own (all of it or none), so
        this is one trip to the writer thread instead of three (BEGIN, the statement, COMMIT); the
        lock still keeps it out of another coroutine's open transaction.
        """
        async with self._write_lock:
            await _finish(self._writer.execute(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one write statement for many rows, in one transaction."""
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        """Return the first row of a query over committed data, or None (for queries of one row)."""
        rows = await self._reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """Return every row of a query over committed data.

        One trip to the reader's thread (execute and fetch together), not three (execute, fetch,
        close the cursor): a /leaderboard makes five queries.
        """
        return list(await self._reader.execute_fetchall(sql, params))
