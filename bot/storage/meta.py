"""The `meta` table: small named values the bot keeps between runs (e.g. the command-sync hash)."""

from __future__ import annotations

from bot.storage.database import Database

__all__ = ["MetaRepo"]


class MetaRepo:
    """Read and write named values."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
