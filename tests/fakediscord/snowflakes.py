"""Snowflake ids shaped like Discord's, so discord.py's snowflake_time() gives sane datetimes."""

from __future__ import annotations

import time

# Discord's epoch (2015-01-01T00:00:00Z) in milliseconds; snowflakes store ms since it in bits 22+.
DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeFactory:
    """Hands out strictly increasing snowflakes based on the wall clock."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """A new unique snowflake."""
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A new snowflake whose server would be on that shard ((id >> 22) % count), a millisecond or so on."""
        candidate = self.next()
        stamp = candidate >> 22
        while stamp % shard_count != shard_id:
            stamp += 1
        self._last = max(candidate, stamp << 22)
        return self._last
