"""One aiosqlite connection for the process, with explicit transactions.

aiosqlite runs every statement of a connection on one worker thread, in order, so coroutines
can share it for reads. Transactions are another matter: two coroutines that each BEGIN on the
same connection interleave, and one's ROLLBACK undoes the other's work. Every write therefore
goes through `transaction()`, which serialises writers with a lock and takes the write lock in
SQLite up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

__all__ = ["Database"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class Database:
    """The bot's SQLite database: reads at any time, writes inside `transaction()`."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating its folder when needed) and configure the database at path."""
        if str(path) != ":memory:":
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; ours are explicit and visible.
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # WAL + NORMAL is durable across application crashes; only an OS crash or power
            # loss can drop the last commits, which is the usual trade for a chat bot.
            await conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            await conn.close()
            raise
        return cls(conn, path)

    async def close(self) -> None:
        """Close the connection (aiosqlite ≥0.22 keeps its thread alive until we do)."""
        async with self._write_lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one transaction: all of it is written, or none."""
        async with self._write_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one write statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one write statement for many rows, in one transaction."""
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        """Return the first row of a query, or None."""
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """Return every row of a query."""
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script under the write lock (used by migrations)."""
        async with self._write_lock:
            try:
                await self._conn.executescript(script)
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise
