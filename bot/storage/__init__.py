"""Persistence: SQLite or PostgreSQL, versioned migrations, one small repository per table group."""

from bot.storage.database import Conflict, Database, DatabaseUnavailable, StorageError
from bot.storage.meta import MetaRepo
from bot.storage.migrations import MIGRATIONS, apply_migrations
from bot.storage.url import is_postgres, sqlite_path

__all__ = [
    "MIGRATIONS",
    "Conflict",
    "Database",
    "DatabaseUnavailable",
    "MetaRepo",
    "StorageError",
    "apply_migrations",
    "connect",
    "open_database",
]


async def connect(url: str) -> Database:
    """Connect to the database a DATABASE_URL names (see `bot.storage.url`), without migrating it."""
    if is_postgres(url):
        from bot.storage.postgres import PostgresDatabase  # asyncpg only for those who use it

        return await PostgresDatabase.open(url)
    from bot.storage.sqlite import SqliteDatabase

    return await SqliteDatabase.open(sqlite_path(url))


async def open_database(url: str) -> Database:
    """Connect to the database and bring its schema up to date."""
    db = await connect(url)
    try:
        await apply_migrations(db)
    except BaseException:
        await db.close()
        raise
    return db
