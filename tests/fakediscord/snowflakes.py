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
