"""Shard leases: one process per shard, a standby that waits and takes over, all or nothing."""

from __future__ import annotations

import asyncio
import logging
import sys

import asyncpg
import pytest

from bot.sharding import ShardPlan
from bot.storage.leases import LEASE_KEYSPACE, ShardLeases, hold_leases
from tests.postgres import Outage

RETRY = 0.05


async def acquire(url: str, *shards: int, count: int = 4) -> ShardLeases:
    return await ShardLeases.acquire(url, ShardPlan(count, shards), retry=RETRY)


async def still_waiting(task: asyncio.Task) -> bool:
    await asyncio.sleep(0.3)
    return not task.done()


async def test_a_second_process_for_a_leased_shard_waits_says_so_once_and_takes_over(
    postgres_server_url: str, caplog
) -> None:
    first = await acquire(postgres_server_url, 0, 1)
    standby = asyncio.create_task(acquire(postgres_server_url, 1))
    try:
        assert await still_waiting(standby)
        waiting = [r for r in caplog.records if "served by another process" in r.getMessage()]
        assert len(waiting) == 1 and waiting[0].levelno == logging.WARNING
        await first.release()
        second = await asyncio.wait_for(standby, 5)
        await second.release()
    finally:
        standby.cancel()
        await first.release()


HOLDER = """
import asyncio, sys
from bot.sharding import ShardPlan
from bot.storage.leases import ShardLeases

async def main():
    await ShardLeases.acquire(sys.argv[1], ShardPlan(4, (2,)))
    print("holding", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_a_process_that_is_killed_frees_its_shards(postgres_server_url: str) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, postgres_server_url, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert await asyncio.wait_for(holder.stdout.readline(), 20) == b"holding\n"
        standby = asyncio.create_task(acquire(postgres_server_url, 2))
        assert await still_waiting(standby)
        holder.kill()  # no goodbye: the server sees the connection drop
        second = await asyncio.wait_for(standby, 5)
        await second.release()
    finally:
        if holder.returncode is None:
            holder.kill()
        await holder.wait()


async def test_a_holder_whose_shard_was_taken_while_the_database_was_away_is_told_to_stop(
    postgres_server_url: str,
) -> None:
    first = await acquire(postgres_server_url, 2)
    lost: list[str] = []
    first.on_lost = lost.append
    other = await asyncpg.connect(postgres_server_url)
    try:
        # The first's connection is cut, and another process takes the shard before it is back.
        await other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 2 AND granted"
        )
        await other.execute("SELECT pg_advisory_lock($1, 2)", LEASE_KEYSPACE)
        await asyncio.wait_for(_until(lambda: lost), 5)
        assert "another process took over" in lost[0]
    finally:
        await other.close()
        await first.release()


async def test_leases_are_all_or_nothing(postgres_server_url: str) -> None:
    holder = await acquire(postgres_server_url, 0)
    wants_both = asyncio.create_task(acquire(postgres_server_url, 0, 3))
    try:
        assert await still_waiting(wants_both)
        other = await asyncio.wait_for(acquire(postgres_server_url, 3), 2)  # shard 3 was not kept meanwhile
        await other.release()
    finally:
        wants_both.cancel()
        await asyncio.gather(wants_both, return_exceptions=True)
        await holder.release()


async def test_sqlite_needs_no_lease(tmp_path) -> None:
    assert await hold_leases(f"sqlite:///{tmp_path / 'bot.db'}", ShardPlan(1, (0,))) is None


async def _until(predicate) -> None:
    while not predicate():
        await asyncio.sleep(0.01)


@pytest.fixture(autouse=True)
def _lease_logs(caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.storage.leases")


async def test_a_lease_still_held_by_its_own_lost_connection_is_taken_back(postgres_server_url: str) -> None:
    async with Outage(postgres_server_url) as outage:
        leases = await acquire(outage.url("public"), 3)
        lost: list[str] = []
        leases.on_lost = lost.append
        try:
            old_pid = leases._pid
            # The network fails: the bot sees its connection end, the server does not (yet).
            outage.cut(server_too=False)
            await asyncio.sleep(0.2)
            outage.restore()
            await asyncio.wait_for(_until(lambda: leases._pid != old_pid), 5)
            assert lost == []  # its own old connection was ended; nobody else serves the shard
            with_other = asyncio.create_task(acquire(postgres_server_url, 3))
            assert await still_waiting(with_other)  # and it holds the lease again
            with_other.cancel()
            await asyncio.gather(with_other, return_exceptions=True)
        finally:
            await leases.release()
