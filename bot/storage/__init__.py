"""Persistence: one aiosqlite connection, versioned migrations, one small repository per table group."""

from bot.storage.database import Database
from bot.storage.meta import MetaRepo
from bot.storage.migrations import MIGRATIONS, apply_migrations

__all__ = ["MIGRATIONS", "Database", "MetaRepo", "apply_migrations", "open_database"]


async def open_database(path) -> Database:
    """Open the database and bring its schema up to date."""
    db = await Database.open(path)
    try:
        await apply_migrations(db)
    except BaseException:
        await db.close()
        raise
    return db
