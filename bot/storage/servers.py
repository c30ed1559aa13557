"""Per-server settings and notices, with a write-through cache (settings are read on every command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import WallClock, utc_now
from bot.guild_settings import ChangeRecord, GuildSettings, Setting
from bot.storage.database import Database

__all__ = ["Notice", "ServerRepo", "SettingChange"]

SettingValue = int | str | None


@dataclass(frozen=True, slots=True)
class SettingChange:
    setting: Setting
    old: SettingValue
    new: SettingValue


@dataclass(frozen=True, slots=True)
class Notice:
    subject: str
    message: str
    noticed_at: datetime


class ServerRepo:
    """Read and change one server's settings; every change records who made it and when."""

    def __init__(self, db: Database, wall_clock: WallClock = utc_now) -> None:
        self._db = db
        self._wall_clock = wall_clock  # when a change or a notice happened
        self._cache: dict[int, GuildSettings] = {}
        # Bumped by every change: a read that started before a change is not cached after it.
        self._generation: dict[int, int] = {}

    def _now(self) -> str:
        return self._wall_clock().isoformat(timespec="seconds")

    async def load(self, guild_id: int) -> GuildSettings:
        """Return the server's settings (defaults for those never set)."""
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        generation = self._generation.get(guild_id, 0)
        rows = await self._db.fetch_all("SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,))
        settings = GuildSettings.from_stored({row["key"]: row["value"] for row in rows})
        if self._generation.get(guild_id, 0) == generation:  # else a change came meanwhile
            self._cache[guild_id] = settings
        return settings

    def _forget(self, guild_id: int) -> None:
        self._cache.pop(guild_id, None)
        self._generation[guild_id] = self._generation.get(guild_id, 0) + 1

    async def change_records(self, guild_id: int) -> dict[Setting, ChangeRecord | None]:
        """Return who last changed each stored setting (None: the bot itself)."""
        rows = await self._db.fetch_all(
            "SELECT key, changed_by, changed_at FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        records: dict[Setting, ChangeRecord | None] = {}
        for row in rows:
            try:
                setting = Setting(row["key"])
            except ValueError:
                continue
            changed_at = datetime.fromisoformat(row["changed_at"])
            records[setting] = None if row["changed_by"] is None else ChangeRecord(row["changed_by"], changed_at)
        return records

    async def change(
        self, guild_id: int, values: dict[Setting, SettingValue], changed_by: int | None
    ) -> list[SettingChange]:
        """Set several settings in one transaction; return what actually changed."""
        before = await self.load(guild_id)
        changes = [SettingChange(s, before.get(s), v) for s, v in values.items() if before.get(s) != v]
        if not changes:
            return []
        stamp = self._now()
        async with self._db.transaction() as tx:
            await tx.executemany(
                """INSERT INTO guild_settings (guild_id, key, value, changed_by, changed_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id, key) DO UPDATE SET
                       value = excluded.value,
                       changed_by = excluded.changed_by,
                       changed_at = excluded.changed_at""",
                [
                    (guild_id, c.setting.value, None if c.new is None else str(c.new), changed_by, stamp)
                    for c in sorted(changes, key=lambda c: c.setting.value)  # one lock order
                ],
            )
        self._forget(guild_id)
        return changes

    async def reset(self, guild_id: int, changed_by: int | None) -> list[SettingChange]:
        """Return every setting to its default, recording who did it; return what changed."""
        before = await self.load(guild_id)
        defaults = GuildSettings()
        changes = [
            SettingChange(s, before.get(s), defaults.get(s)) for s in Setting if before.get(s) != defaults.get(s)
        ]
        stamp = self._now()
        async with self._db.transaction() as tx:
            # NULL means "the default"; the row keeps who reset it and when, for /config show.
            await tx.executemany(
                """INSERT INTO guild_settings (guild_id, key, value, changed_by, changed_at)
                   VALUES (?, ?, NULL, ?, ?)
                   ON CONFLICT (guild_id, key) DO UPDATE SET
                       value = NULL, changed_by = excluded.changed_by, changed_at = excluded.changed_at""",
                [(guild_id, s, changed_by, stamp) for s in sorted(c.setting.value for c in changes)],
            )
            await tx.execute("DELETE FROM guild_notices WHERE guild_id = ?", (guild_id,))
        self._forget(guild_id)
        return changes

    async def clear_channel(self, guild_id: int, channel_id: int) -> list[SettingChange]:
        """Clear every setting that points at a channel (it was deleted); return what changed."""
        settings = await self.load(guild_id)
        cleared: dict[Setting, SettingValue] = {
            s: None for s, channel in settings.channels().items() if channel == channel_id
        }
        if Setting.DAILY_FACT_CHANNEL in cleared:
            cleared[Setting.DAILY_FACT_HOUR] = None  # a daily fact with no channel is simply off
        return await self.change(guild_id, cleared, changed_by=None)

    async def add_notice(self, guild_id: int, subject: str, message: str) -> None:
        """Record a problem for /config show (replacing an older one on the same subject)."""
        await self._db.execute(
            """INSERT INTO guild_notices (guild_id, subject, message, noticed_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (guild_id, subject) DO UPDATE SET
                   message = excluded.message, noticed_at = excluded.noticed_at""",
            (guild_id, subject, message, self._now()),
        )

    async def clear_notice(self, guild_id: int, subject: str) -> None:
        await self._db.execute("DELETE FROM guild_notices WHERE guild_id = ? AND subject = ?", (guild_id, subject))

    async def clear_notices(self, guild_id: int, *, prefix: str) -> None:
        """Forget every notice whose subject starts with prefix (the problem was dealt with)."""
        await self._db.execute(
            "DELETE FROM guild_notices WHERE guild_id = ? AND substr(subject, 1, length(CAST(? AS TEXT))) = ?",
            (guild_id, prefix, prefix),
        )

    async def notices(self, guild_id: int) -> list[Notice]:
        rows = await self._db.fetch_all(
            "SELECT subject, message, noticed_at FROM guild_notices WHERE guild_id = ? ORDER BY noticed_at",
            (guild_id,),
        )
        return [Notice(r["subject"], r["message"], datetime.fromisoformat(r["noticed_at"])) for r in rows]
