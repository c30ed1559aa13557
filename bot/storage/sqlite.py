"""SQLite (the default): one writer connection with explicit transactions, one reader.

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
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.storage.database import Conflict, Database, Row, StorageError

__all__ = ["SqliteDatabase"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
WAL_SWITCH_TRIES = 10
WAL_SWITCH_WAIT = 0.05  # seconds, times the attempt number
T = TypeVar("T")


async def _configure(conn: aiosqlite.Connection) -> None:
    conn.row_factory = aiosqlite.Row
    await _switch_to_wal(conn)
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # WAL + NORMAL survives an application crash; only an OS crash or power loss can drop the
    # last commits, the usual trade for a chat bot.
    await conn.execute("PRAGMA synchronous=NORMAL")


async def _switch_to_wal(conn: aiosqlite.Connection) -> None:
    """Put the file in WAL mode, waiting out another process that is switching or migrating it.

    The switch needs the file to itself, and when two processes open a new database at once
    SQLite may answer "database is locked" at once instead of waiting (it refuses a lock upgrade
    that could deadlock, without calling the busy handler): tried again a few times, briefly.
    """
    for attempt in range(1, WAL_SWITCH_TRIES + 1):
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == WAL_SWITCH_TRIES:
                raise
            await asyncio.sleep(WAL_SWITCH_WAIT * attempt)


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


async def _unique(operation: Awaitable[T]) -> T:
    """Await a write; a broken unique rule becomes the engine-independent `Conflict`."""
    try:
        return await operation
    except sqlite3.IntegrityError as error:
        if str(error).startswith("UNIQUE constraint failed"):
            raise Conflict(str(error)) from error
        raise


class _SqliteTransaction:
    """The statements of the writer's open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await _unique(self._conn.execute(sql, params))
        return cursor.rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await _unique(self._conn.executemany(sql, rows))

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await _unique(self._conn.execute_fetchall(sql, params)))

    async def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        names, marks = ", ".join(columns), ", ".join("?" * len(columns))
        await self.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 (constants)

    async def lock(self, key: int) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the one write lock of the whole file."""


class SqliteDatabase(Database):
    """Reads at any time; writes inside `transaction()` (or `execute`)."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, path: Path) -> None:
        self._writer = writer
        self._reader = reader
        self.path = path
        self.url = f"sqlite:///{path}"
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        """Open (creating its folder when needed) and configure the database at path."""
        try:
            return await cls._open(path)
        except (OSError, sqlite3.Error) as error:
            raise StorageError(f"cannot open the SQLite database at {path}: {error}") from error

    @classmethod
    async def _open(cls, path: Path) -> SqliteDatabase:
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
    async def transaction(self) -> AsyncIterator[_SqliteTransaction]:
        """Run the block as one transaction: all of it is written, or none."""
        async with self._write_lock:
            try:
                await _finish(self._writer.execute("BEGIN IMMEDIATE"))
                yield _SqliteTransaction(self._writer)
            except BaseException:
                if self._writer.in_transaction:
                    await _finish(self._writer.execute("ROLLBACK"))
                raise
            await _finish(self._writer.execute("COMMIT"))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement in its own transaction.

        SQLite runs a statement outside BEGIN as a transaction of its own (all of it or none), so
        this is one trip to the writer thread instead of three (BEGIN, the statement, COMMIT); the
        lock still keeps it out of another coroutine's open transaction.
        """
        async with self._write_lock:
            cursor = await _unique(_finish(self._writer.execute(sql, params)))
            return cursor.rowcount

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Return every row of a query over committed data.

        One trip to the reader's thread (execute and fetch together), not three (execute, fetch,
        close the cursor): a /leaderboard makes five queries.
        """
        return list(await self._reader.execute_fetchall(sql, params))

    async def table_names(self) -> set[str]:
        rows = await self.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {r["name"] for r in rows}

    async def after_bulk_copy(self, table: str) -> None:
        # AUTOINCREMENT continues after the highest id however it was inserted; only the query
        # planner's statistics need a refresh.
        await self.execute(f"ANALYZE {table}")

    async def stream(self, sql: str, batch: int) -> AsyncIterator[list[Row]]:
        async with self._reader.execute(sql) as cursor:
            while rows := list(await cursor.fetchmany(batch)):
                yield cast(list[Row], rows)  # sqlite3.Row is one (its __getitem__ is overloaded)
