"""Server packs, the packs each server switched off, and the entries each server hid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import WallClock, utc_now
from bot.content import EntryKind
from bot.storage.database import Database, Row

__all__ = ["GuildPackState", "PackRepo", "StoredPack", "StoredPackInfo"]



@dataclass(frozen=True, slots=True)
class StoredPackInfo:
    """What /pack list shows of a server pack, without its TOML."""

    pack_id: str
    title: str
    facts: int
    questions: int
    uploaded_by: int
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPack:
    """A server pack as uploaded."""

    info: StoredPackInfo
    toml: str


@dataclass(frozen=True, slots=True)
class GuildPackState:
    """Everything that shapes one server's content: its packs, the packs it switched off, what it hid."""

    packs: tuple[StoredPack, ...]
    disabled: frozenset[str]
    hidden: frozenset[tuple[EntryKind, str]]

    @property
    def is_default(self) -> bool:
        """Whether the server sees exactly the shipped content."""
        return not (self.packs or self.disabled or self.hidden)


def _info(row: Row) -> StoredPackInfo:
    return StoredPackInfo(
        pack_id=str(row["pack_id"]),
        title=str(row["title"]),
        facts=int(row["facts"]),
        questions=int(row["questions"]),
        uploaded_by=int(row["uploaded_by"]),
        uploaded_at=datetime.fromisoformat(str(row["uploaded_at"])),
    )


class PackRepo:
    """Read and change one server's packs, switches and hidden entries (every query by server)."""

    def __init__(self, db: Database, wall_clock: WallClock = utc_now) -> None:
        self._db = db
        self._wall_clock = wall_clock

    def _now(self) -> str:
        return self._wall_clock().isoformat(timespec="seconds")

    async def guild_state(self, guild_id: int) -> GuildPackState:
        """The server's packs (in id order), switched-off pack ids and hidden entries."""
        packs = await self._db.fetch_all(
            "SELECT pack_id, title, facts, questions, uploaded_by, uploaded_at, toml FROM server_packs "
            "WHERE guild_id = ? ORDER BY pack_id",
            (guild_id,),
        )
        disabled = await self._db.fetch_all("SELECT pack_id FROM disabled_packs WHERE guild_id = ?", (guild_id,))
        hidden = await self._db.fetch_all("SELECT kind, entry_id FROM hidden_entries WHERE guild_id = ?", (guild_id,))
        return GuildPackState(
            packs=tuple(StoredPack(_info(row), str(row["toml"])) for row in packs),
            disabled=frozenset(str(row["pack_id"]) for row in disabled),
            hidden=frozenset((EntryKind(row["kind"]), str(row["entry_id"])) for row in hidden),
        )

    async def pack_infos(self, guild_id: int) -> list[StoredPackInfo]:
        """The server's packs without their TOML, in id order."""
        rows = await self._db.fetch_all(
            "SELECT pack_id, title, facts, questions, uploaded_by, uploaded_at FROM server_packs "
            "WHERE guild_id = ? ORDER BY pack_id",
            (guild_id,),
        )
        return [_info(row) for row in rows]

    async def pack(self, guild_id: int, pack_id: str) -> StoredPack | None:
        """One server pack, or None."""
        row = await self._db.fetch_one(
            "SELECT pack_id, title, facts, questions, uploaded_by, uploaded_at, toml FROM server_packs "
            "WHERE guild_id = ? AND pack_id = ?",
            (guild_id, pack_id),
        )
        return None if row is None else StoredPack(_info(row), str(row["toml"]))

    async def save_pack(
        self, guild_id: int, pack_id: str, title: str, toml: str, facts: int, questions: int, uploaded_by: int
    ) -> StoredPackInfo:
        """Store a pack, replacing the server's pack of that id."""
        stamp = self._now()
        await self._db.execute(
            """INSERT INTO server_packs (guild_id, pack_id, title, toml, facts, questions, uploaded_by, uploaded_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (guild_id, pack_id) DO UPDATE SET
                   title = excluded.title, toml = excluded.toml, facts = excluded.facts,
                   questions = excluded.questions, uploaded_by = excluded.uploaded_by,
                   uploaded_at = excluded.uploaded_at""",
            (guild_id, pack_id, title, toml, facts, questions, uploaded_by, stamp),
        )
        return StoredPackInfo(pack_id, title, facts, questions, uploaded_by, datetime.fromisoformat(stamp))

    async def remove_pack(self, guild_id: int, pack_id: str) -> bool:
        """Delete a server pack (and its switch); return whether it existed."""
        async with self._db.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM server_packs WHERE guild_id = ? AND pack_id = ?", (guild_id, pack_id)
            )
            await tx.execute("DELETE FROM disabled_packs WHERE guild_id = ? AND pack_id = ?", (guild_id, pack_id))
        return removed > 0

    async def set_enabled(self, guild_id: int, pack_id: str, enabled: bool, changed_by: int) -> bool:
        """Switch a pack on or off for the server; return whether that changed anything."""
        if enabled:
            changed = await self._db.execute(
                "DELETE FROM disabled_packs WHERE guild_id = ? AND pack_id = ?", (guild_id, pack_id)
            )
        else:
            changed = await self._db.execute(
                """INSERT INTO disabled_packs (guild_id, pack_id, disabled_by, disabled_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (guild_id, pack_id) DO NOTHING""",
                (guild_id, pack_id, changed_by, self._now()),
            )
        return changed > 0

    async def set_hidden(self, guild_id: int, kind: EntryKind, entry_id: str, hidden: bool, changed_by: int) -> bool:
        """Hide or show one entry in the server; return whether that changed anything."""
        if hidden:
            changed = await self._db.execute(
                """INSERT INTO hidden_entries (guild_id, kind, entry_id, hidden_by, hidden_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (guild_id, kind, entry_id) DO NOTHING""",
                (guild_id, kind.value, entry_id, changed_by, self._now()),
            )
        else:
            changed = await self._db.execute(
                "DELETE FROM hidden_entries WHERE guild_id = ? AND kind = ? AND entry_id = ?",
                (guild_id, kind.value, entry_id),
            )
        return changed > 0
