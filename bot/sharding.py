"""Which of Discord's gateway shards this process runs (SHARD_COUNT, SHARD_IDS).

Discord sends each server's events to one shard, `(guild_id >> 22) % shard_count`, and direct
messages to shard 0. A bot may run its shards in one process or spread them over several that
share one PostgreSQL database; each process runs the shards in its plan, and everything a server
keeps in memory (running rounds, fact decks, cooldowns) lives in the process of its shard.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["UNSHARDED", "ShardPlan", "parse_shard_plan", "shard_of"]

MAX_SHARDS = 4096  # far beyond any bot this serves; a typo like 20000 is caught


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a server's events (shard 0 for direct messages)."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """The shards this process runs, out of `count`."""

    count: int
    ids: tuple[int, ...]

    @property
    def is_whole(self) -> bool:
        """This process runs every shard (so it alone serves the bot)."""
        return len(self.ids) == self.count

    @property
    def runs_shard_zero(self) -> bool:
        """This process gets direct messages, and is the one that syncs the command tree."""
        return 0 in self.ids

    def owns(self, guild_id: int | None) -> bool:
        return shard_of(guild_id, self.count) in self.ids


UNSHARDED = ShardPlan(1, (0,))


def parse_shard_plan(count_raw: str, ids_raw: str) -> ShardPlan:
    """Read SHARD_COUNT and SHARD_IDS; ValueError names the setting and the problem."""
    count_text, ids_text = count_raw.strip(), ids_raw.strip()
    if not count_text:
        if ids_text:
            raise ValueError("SHARD_IDS: set SHARD_COUNT too (the total number of shards of the bot)")
        return UNSHARDED
    if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_SHARDS:
        raise ValueError(f"SHARD_COUNT: must be a whole number from 1 to {MAX_SHARDS}, not {count_text!r}")
    count = int(count_text)
    if not ids_text:
        return ShardPlan(count, tuple(range(count)))
    parts = [p.strip() for p in ids_text.split(",")]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"SHARD_IDS: must be shard numbers separated by commas, like 0,1, not {ids_text!r}")
    ids = [int(p) for p in parts]
    if any(i >= count for i in ids):
        raise ValueError(f"SHARD_IDS: shards are numbered 0 to {count - 1} when SHARD_COUNT is {count}")
    if len(set(ids)) != len(ids):
        raise ValueError("SHARD_IDS: a shard is listed twice")
    return ShardPlan(count, tuple(sorted(ids)))
