"""The database wrappers and the migrations, on a temporary SQLite file and a PostgreSQL schema."""

import asyncio
import logging
from pathlib import Path

import pytest

from bot.storage import MetaRepo, connect, open_database
from bot.storage.database import Database
from bot.storage.migrations import MIGRATIONS, Migration, apply_migrations, schema_version
from bot.storage.sqlite import SqliteDatabase


@pytest.fixture
async def db(database_url: str):
    """Connected but not migrated: these tests make their own tables."""
    database = await connect(database_url)
    yield database
    await database.close()


async def test_sqlite_open_creates_the_folder_and_sets_pragmas(tmp_path: Path) -> None:
    db = await SqliteDatabase.open(tmp_path / "nested" / "bot.db")
    try:
        assert db.path.parent.is_dir()
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA busy_timeout"))[0] == 5000
    finally:
        await db.close()


async def test_migrations_are_applied_once_and_recorded(db: Database) -> None:
    applied = await apply_migrations(db)
    assert applied == [m.version for m in MIGRATIONS]
    assert await apply_migrations(db) == []
    rows = await db.fetch_all("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [(r["version"], r["name"]) for r in rows] == [(m.version, m.name) for m in MIGRATIONS]


async def test_a_failing_migration_leaves_nothing_half_applied(db: Database) -> None:
    good = Migration(1, "one table", ("CREATE TABLE a (x INTEGER)",))
    bad = Migration(2, "broken", ("CREATE TABLE b (x INTEGER)", "INSERT INTO missing VALUES (1)"))
    with pytest.raises(Exception, match=r'no such table: missing|relation "missing" does not exist'):
        await apply_migrations(db, (good, bad))
    assert await schema_version(db) == 1
    tables = await db.table_names()
    assert "a" in tables and "b" not in tables


async def test_migrations_must_be_numbered_in_order(db: Database) -> None:
    with pytest.raises(ValueError, match=r"1\.\.n in order"):
        await apply_migrations(db, (Migration(2, "skips one", ()),))


async def test_a_transaction_rolls_back_on_error(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
    assert await db.fetch_all("SELECT x FROM t") == []


async def test_concurrent_transactions_do_not_interleave(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")

    async def writer(value: int, fail: bool) -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (?)", (value,))
            await asyncio.sleep(0)  # give the other writer every chance to interleave
            if fail:
                raise RuntimeError("roll me back")

    results = await asyncio.gather(*(writer(i, fail=i % 2 == 1) for i in range(20)), return_exceptions=True)
    assert sum(isinstance(r, RuntimeError) for r in results) == 10
    rows = await db.fetch_all("SELECT x FROM t ORDER BY x")
    assert [r["x"] for r in rows] == list(range(0, 20, 2))


async def test_meta_values_survive_reopening(database_url: str) -> None:
    first = await open_database(database_url)
    await MetaRepo(first).set("k", "v1")
    await MetaRepo(first).set("k", "v2")
    await first.close()
    second = await open_database(database_url)
    try:
        assert await MetaRepo(second).get("k") == "v2"
        assert await MetaRepo(second).get("missing") is None
    finally:
        await second.close()


async def test_reads_see_only_committed_data(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO t VALUES (1)")
        assert await db.fetch_all("SELECT x FROM t") == []  # half a transaction is never visible
    assert [r["x"] for r in await db.fetch_all("SELECT x FROM t")] == [1]


async def test_a_transaction_cancelled_at_any_point_leaves_the_connection_usable(db: Database, caplog) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")

    async def write() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (1)")
            await asyncio.sleep(10)

    for delay in (0, 0.0005, 0.002, 0.01):
        task = asyncio.create_task(write())
        await asyncio.sleep(delay)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await db.execute("INSERT INTO t VALUES (2)")  # would fail if a transaction were left open
    assert {r["x"] for r in await db.fetch_all("SELECT x FROM t")} == {2}
    # Nothing handed back half-done: asyncpg would log resetting a connection mid-transaction.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
