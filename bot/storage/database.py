"""What every repository may ask of a database, whichever engine keeps it.

Repositories write SQL once, in the common subset of SQLite and PostgreSQL, with `?` for every
parameter; each engine's module (`sqlite.py`, `postgres.py`) runs it. What differs between the
two (placeholders, column types in migrations, locks) is translated there and nowhere else.

Reads run at any time and see only committed data. Writes run inside `transaction()` (or as one
statement through `execute`), all of a transaction or none of it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

__all__ = ["Conflict", "Database", "DatabaseUnavailable", "Row", "StorageError", "Transaction"]


class Row(Protocol):
    """A result row: by column name or by position (aiosqlite.Row and asyncpg.Record both are)."""

    def __getitem__(self, key: str | int) -> Any: ...

    def keys(self) -> Any: ...  # the column names, in order

    def __iter__(self) -> Any: ...  # the values, in column order


class StorageError(Exception):
    """The database cannot be opened or used; the message says which and why."""


class DatabaseUnavailable(StorageError):
    """The database server cannot be reached right now (restart, failover, network); try again soon."""


class Conflict(StorageError):
    """A write broke a unique rule of the schema (for example a second running round in a channel)."""


class Transaction(Protocol):
    """The statements of one open transaction."""

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return how many rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run a query (or a statement with RETURNING) and return its rows."""
        ...

    async def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows the fastest way the engine has (copy-database); names are the caller's constants."""
        ...

    async def lock(self, key: int) -> None:
        """Hold `key` until this transaction ends: transactions that lock the same key run one at a time.

        Needed where one transaction makes several statements that must agree (a leaderboard
        reset and a question's totals): on PostgreSQL each statement of a transaction sees what
        other transactions committed meanwhile.
        """
        ...


class Database(ABC):
    """A connection (or pool) to the bot's database."""

    url: str  # as given, for messages; `redacted_url` for logs

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Run the block as one transaction: all of it is written, or none."""

    @abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement in its own transaction; return how many rows it changed."""

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one write statement for many rows, in one transaction."""
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @abstractmethod
    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Return every row of a query over committed data."""

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """Return the first row of a query over committed data, or None (for queries of one row)."""
        return next(iter(await self.fetch_all(sql, params)), None)

    @abstractmethod
    async def table_names(self) -> set[str]:
        """Return the names of the bot's tables."""

    @abstractmethod
    async def after_bulk_copy(self, table: str) -> None:
        """After copy-database filled the table: move its id generator past the copied ids, refresh statistics."""

    @abstractmethod
    def stream(self, sql: str, batch: int) -> AsyncIterator[list[Row]]:
        """Yield the rows of a large query in batches, without holding them all in memory."""
