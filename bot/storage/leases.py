"""A lease per shard in PostgreSQL, so two processes never serve the same shard.

Discord accepts two sessions for one shard and would deliver its events twice; so a process
takes a PostgreSQL advisory lock per shard it runs before it connects, and holds it for its
whole life on a connection of its own (a session lock ends with its connection: a process that
dies, however it dies, frees its shards). A second process started for a leased shard waits,
says so in one line, and takes over when the first stops: a standby.

All or nothing: a process that gets only some of its shards lets them go and tries again, so two
processes with overlapping shard lists can never each hold half and wait for ever.

If the lease connection drops (the database restarted, the network failed), the holder takes
its locks again on a new connection. A lock still held by its own old connection (the server has
not noticed yet that it is gone) is freed by ending that connection; a lock held by another
process means that one now serves the shard, and the holder is told to stop (`on_lost`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg

from bot.sharding import ShardPlan
from bot.storage.database import DatabaseUnavailable
from bot.storage.postgres import CONNECT_TIMEOUT, is_gone
from bot.storage.url import is_postgres

__all__ = ["LEASE_KEYSPACE", "ShardLeases", "hold_leases"]

log = logging.getLogger(__name__)

# The first key of the two-key advisory locks (a key space apart from the one-key locks that
# migrations and servers use); the second key is the shard id.
LEASE_KEYSPACE = 0x5155495A
RETRY_SECONDS = 1.0


async def hold_leases(url: str, plan: ShardPlan) -> ShardLeases | None:
    """Wait for the leases of this process's shards; None on SQLite (one process, nothing to share)."""
    return await ShardLeases.acquire(url, plan) if is_postgres(url) else None


class ShardLeases:
    """The leases of this process's shards, held until `release()`."""

    def __init__(self, url: str, plan: ShardPlan, conn: asyncpg.Connection, pid: int, retry: float) -> None:
        self._url = url
        self._plan = plan
        self._conn = conn
        self._pid = pid  # the server process of the lease connection
        self._retry = retry
        self._released = False
        self._watch: asyncio.Task[None] | None = None
        self.on_lost: Callable[[str], None] = lambda reason: log.warning("lost the shard leases: %s", reason)
        conn.add_termination_listener(self._connection_ended)

    @classmethod
    async def acquire(cls, url: str, plan: ShardPlan, *, retry: float = RETRY_SECONDS) -> ShardLeases:
        """Wait until this process holds the lease of every shard of its plan."""
        conn = await _connect(url)
        try:
            said = False
            while not await _try_all(conn, plan):
                if not said:
                    log.warning(
                        "shard %s is served by another process; waiting for its lease (this process takes over "
                        "when that one stops)",
                        ", ".join(map(str, plan.ids)),
                    )
                    said = True
                await asyncio.sleep(retry)
        except BaseException:
            await conn.close()
            raise
        log.info("holding the lease of shard %s of %d", ", ".join(map(str, plan.ids)), plan.count)
        return cls(url, plan, conn, conn.get_server_pid(), retry)

    async def release(self) -> None:
        """Free the shards (closing the connection ends its locks)."""
        self._released = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if not self._conn.is_closed():
            await self._conn.close()

    def _connection_ended(self, conn: asyncpg.Connection) -> None:
        if not self._released:
            log.warning("lost the connection that holds the shard leases; taking them again")
            self._watch = asyncio.get_running_loop().create_task(self._take_back())

    async def _take_back(self) -> None:
        while not self._released:
            try:
                conn = await _connect(self._url)
            except DatabaseUnavailable:
                await asyncio.sleep(self._retry)
                continue
            try:
                held = await _try_all(conn, self._plan)
                holders = set() if held else await _holders(conn, self._plan)
                if holders == {self._pid}:
                    # Our old connection, which the server still thinks alive: end it, try again.
                    await conn.execute("SELECT pg_terminate_backend($1)", self._pid)
            except Exception as error:
                await conn.close()
                if not is_gone(error):
                    raise
                await asyncio.sleep(self._retry)
                continue
            if held:
                self._conn, self._pid = conn, conn.get_server_pid()
                conn.add_termination_listener(self._connection_ended)
                log.info("holding the shard leases again")
                return
            await conn.close()
            if holders != {self._pid}:
                self.on_lost("another process took over the shards while the database was away")
                return
            await asyncio.sleep(self._retry)


async def _connect(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    except Exception as error:
        if is_gone(error):
            raise DatabaseUnavailable(f"cannot reach PostgreSQL for the shard leases: {error}") from error
        raise


async def _holders(conn: asyncpg.Connection, plan: ShardPlan) -> set[int]:
    """The server processes that hold the leases of the plan's shards."""
    rows = await conn.fetch(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2 "
        "AND objid = ANY($2::int[]) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        LEASE_KEYSPACE, list(plan.ids),
    )
    return {r["pid"] for r in rows}


async def _try_all(conn: asyncpg.Connection, plan: ShardPlan) -> bool:
    """Take every shard's lock, or none of them; return whether they are all held."""
    held: list[int] = []
    for shard in plan.ids:
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LEASE_KEYSPACE, shard):
            for taken in held:
                await conn.execute("SELECT pg_advisory_unlock($1, $2)", LEASE_KEYSPACE, taken)
            return False
        held.append(shard)
    return True
