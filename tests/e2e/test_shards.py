"""Two bot processes, shards 0 and 1 of 2, against one fake Discord and one PostgreSQL database.

Each "process" here is a bot of its own (its own settings, database pool, shard leases and
gateway sessions) in the test's event loop, started as `python -m bot` starts one; the one that
is killed is a real process (tests/shard_process.py).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import BotControl, embed_text
from tests.e2e.quizkit import answer, is_question, is_standings, option_ids, start_round
from tests.e2e.test_facts import FACT_TEXTS
from tests.postgres import fresh_schema

ROOT = Path(__file__).resolve().parents[2]  # tests.shard_process runs from the repository root
SHARDS = 2


@dataclass
class Server:
    guild: object
    channel: object
    players: list


@pytest.fixture
async def url(postgres_server_url: str):
    async with fresh_schema(postgres_server_url) as schema_url:
        yield schema_url


@pytest.fixture
def servers(fake) -> dict[int, Server]:
    """One server on each shard, with a channel and two players."""
    made = {}
    for shard in range(SHARDS):
        guild = fake.add_guild(f"Server on shard {shard}", shard=(shard, SHARDS))
        channel = guild.add_text_channel("quiz")
        made[shard] = Server(guild, channel, [guild.add_member(f"s{shard}-{name}") for name in ("ann", "bob")])
    return made


@pytest.fixture
async def processes(fake, url, servers):
    controls = {shard: BotControl(fake, url) for shard in range(SHARDS)}
    for shard, control in controls.items():
        control.env |= {"SHARD_COUNT": str(SHARDS), "SHARD_IDS": str(shard)}
        await control.start()
    yield controls
    for control in controls.values():
        await control.stop()


async def play_round(fake, server: Server) -> None:
    await start_round(fake, server.guild, server.channel, server.players[0], questions=1, seconds=5)
    question = await fake.wait_for_message(server.channel, lambda m: is_question(m, 1))
    right, _ = option_ids(question)
    for player in server.players:
        await answer(fake, question, right, player)
    await fake.wait_for_message(server.channel, is_standings, timeout=10)


async def test_each_process_serves_its_own_servers(fake, servers, processes) -> None:
    for shard, control in processes.items():
        assert {g.id for g in control.bot.guilds} == {servers[shard].guild.id}
    syncs = [r for r in fake.requests if r.route.startswith("PUT /applications/")]
    assert len(syncs) == 1  # the process that runs shard 0 syncs the tree; the other does not

    # Rounds at once in servers of both shards, each run by the process of its shard.
    await asyncio.gather(*(play_round(fake, server) for server in servers.values()))
    for server in servers.values():
        board = await fake.invoke(server.guild, server.channel, server.players[1], "leaderboard")
        await board.response()
        text = embed_text(board.embeds[0])
        assert all(p.display_name in text for p in server.players)
        assert not any(p.display_name in text for s in servers.values() if s is not server for p in s.players)
    rows = await processes[0].db.fetch_all("SELECT guild_id, status FROM rounds ORDER BY guild_id")
    assert [r["status"] for r in rows] == ["finished", "finished"]
    fake.assert_no_rejections()


async def test_fact_decks_do_not_repeat_across_a_restart_of_one_process(fake, servers, processes) -> None:
    server = servers[1]
    for control in processes.values():
        control.bot.get_cog("Facts").cooldown.rate = 10_000

    async def facts(count: int) -> list[str]:
        shown = []
        for _ in range(count):
            rec = await fake.invoke(server.guild, server.channel, server.players[0], "fact")
            await rec.response()
            shown.append(FACT_TEXTS[rec.embeds[0]["description"]].id)
        return shown

    half = len(FACT_TEXTS) // 2
    before = await facts(half)
    await processes[1].restart()  # shard 0 keeps serving meanwhile
    other = await fake.invoke(servers[0].guild, servers[0].channel, servers[0].players[0], "fact")
    await other.response()
    processes[1].bot.get_cog("Facts").cooldown.rate = 10_000
    after = await facts(len(FACT_TEXTS) - half)
    assert len(set(before + after)) == len(FACT_TEXTS)  # the whole deck, none twice


async def test_a_second_process_for_a_leased_shard_waits_and_takes_over_when_the_first_is_killed(
    fake, url, servers
) -> None:
    shard_zero = BotControl(fake, url)
    shard_zero.env |= {"SHARD_COUNT": str(SHARDS), "SHARD_IDS": "0"}
    await shard_zero.start()
    # The first process for shard 1 is a real one (python -m tests.shard_process), so it can be killed.
    first = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.shard_process", fake.rest_base, fake.gateway_url, url, str(SHARDS), "1",
        stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )
    standby = BotControl(fake, url)
    standby.env |= {"SHARD_COUNT": str(SHARDS), "SHARD_IDS": "1"}
    starting: asyncio.Task | None = None
    try:
        assert await asyncio.wait_for(first.stdout.readline(), 30) == b"ready\n"
        starting = asyncio.create_task(standby.start())
        await asyncio.sleep(0.5)
        assert not starting.done()  # shard 1 is leased: the standby waits and does not connect
        first.kill()  # no goodbye: its lease ends with its connection, its gateway socket with it
        bot = await asyncio.wait_for(starting, 15)
        assert {g.id for g in bot.guilds} == {servers[1].guild.id}
        rec = await fake.invoke(servers[1].guild, servers[1].channel, servers[1].players[0], "fact")
        await rec.response()
        assert rec.embeds and not rec.ephemeral  # answered by the standby
        rec = await fake.invoke(servers[0].guild, servers[0].channel, servers[0].players[0], "fact")
        await rec.response()
        assert rec.embeds  # shard 0's process served on throughout
    finally:
        if first.returncode is None:
            first.kill()
        await first.wait()
        if starting is not None:
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
        await standby.stop()
        await shard_zero.stop()


async def test_each_process_posts_the_fact_of_the_day_for_its_own_servers(fake, servers, processes) -> None:
    nine = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    for control in processes.values():
        control.wall_clock.set(nine)  # the bot was built with this clock: it moves with it
    for shard, server in servers.items():
        mod = server.guild.add_member(f"s{shard}-mod", permissions=["manage_guild"])
        rec = await fake.invoke(server.guild, server.channel, mod, "config daily-fact", channel=server.channel, hour=9)
        await rec.final()
    # Each process posts for the one server it has (its daily loop, woken by the change, may be first).
    for control in processes.values():
        await control.bot.get_cog("Facts").post_due_daily_facts()

    def daily_posts(server: Server) -> list:
        return [m for m in fake.messages(server.channel) if m.embeds and m.embeds[0]["title"] == "Fact of the day"]

    await fake.wait_until(lambda: all(daily_posts(s) for s in servers.values()), 5, "a daily fact in each server")
    for control in processes.values():
        assert await control.bot.get_cog("Facts").post_due_daily_facts() == 0
    assert [len(daily_posts(s)) for s in servers.values()] == [1, 1]
