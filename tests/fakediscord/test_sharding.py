"""Sharding as Discord does it: each shard's session gets its own servers; DMs go to shard 0."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
from discord.ext import commands

from .conftest import TOKEN
from .fake import FakeDiscord
from .gateway import CLOSE_INVALID_SHARD, CLOSE_SHARDING_REQUIRED, shard_of
from .harness import eventually, pointed_at, running, stop


def sharded_bot(shard_ids: list[int] | None, shard_count: int) -> commands.AutoShardedBot:
    return commands.AutoShardedBot(
        command_prefix=commands.when_mentioned, help_command=None, intents=discord.Intents.default(),
        shard_ids=shard_ids, shard_count=shard_count,
    )


def two_shard_world(fake: FakeDiscord):
    """Two servers on each of two shards (Test Guild, from the fixture, is on either)."""
    servers = [fake.add_guild(f"shard {s} server {n}", shard=(s, 2)) for s in (0, 1) for n in (1, 2)]
    for server in servers:
        server.add_text_channel("general")
    return servers


def test_guild_ids_map_to_shards_as_discord_says() -> None:
    assert shard_of(None, 4) == 0  # direct messages
    assert shard_of(41771983423143937, 2) == (41771983423143937 >> 22) % 2


async def test_gateway_bot_recommends_the_fakes_shard_count(fake: FakeDiscord) -> None:
    fake.recommended_shards = 3
    async with aiohttp.ClientSession() as http:
        response = await http.get(f"{fake.rest_base}/gateway/bot", headers={"Authorization": f"Bot {TOKEN}"})
        assert (await response.json())["shards"] == 3


async def test_one_process_with_every_shard_sees_every_server_on_its_shard(fake: FakeDiscord) -> None:
    servers = two_shard_world(fake)
    bot = sharded_bot(None, 2)
    async with running(bot, fake):
        for guild in [*servers, *fake.guilds]:
            assert bot.get_guild(guild.id).shard_id == shard_of(guild.id, 2)
        assert sorted(bot.shards) == [0, 1]
    assert fake.identify_count == 2 and fake.rejections == []


async def test_two_processes_each_get_only_their_shards_servers_and_events(fake: FakeDiscord) -> None:
    servers = two_shard_world(fake)
    bots = {0: sharded_bot([0], 2), 1: sharded_bot([1], 2)}
    answered_by: list[tuple[int, int | None]] = []
    for shard, bot in bots.items():
        @bot.tree.command(name="ping", description="Which process answers")
        async def ping(interaction: discord.Interaction, shard: int = shard) -> None:
            answered_by.append((shard, interaction.guild_id))
            await interaction.response.send_message(f"shard {shard}", ephemeral=True)
    async with running(bots[0], fake), running(bots[1], fake):
        await bots[0].tree.sync()  # one process syncs the commands for all
        for shard, bot in bots.items():
            assert {g.id for g in bot.guilds} == {g.id for g in fake.guilds if shard_of(g.id, 2) == shard}
        late = fake.add_guild("joined later", shard=(1, 2))
        await eventually(lambda: bots[1].get_guild(late.id), what="GUILD_CREATE on shard 1")
        channel = servers[2].add_text_channel("new")  # a live change in a shard-1 server
        await eventually(lambda: bots[1].get_channel(channel.id), what="CHANNEL_CREATE on shard 1")
        assert bots[0].get_guild(late.id) is None and bots[0].get_channel(channel.id) is None

        for server in (servers[0], servers[2]):
            member = server.add_member("alice")
            reply = await fake.invoke(server, server.channel("general"), member, "ping")
            await reply.response()
            assert reply.content == f"shard {shard_of(server.id, 2)}"
        user = fake.add_user("bob")
        reply = await fake.invoke(None, fake.dm_channel(user), user, "ping")
        await reply.response()
        assert reply.content == "shard 0"  # direct messages: shard 0
    assert answered_by == [(0, servers[0].id), (1, servers[2].id), (0, None)]


async def test_a_shard_array_discord_would_refuse_is_closed_with_4010(fake: FakeDiscord) -> None:
    bot = sharded_bot([2], 2)
    await _start_and_expect_close(fake, bot, CLOSE_INVALID_SHARD)


async def test_a_shard_count_other_than_the_live_sessions_is_closed_with_4010(fake: FakeDiscord) -> None:
    async with running(sharded_bot([0], 2), fake):
        await _start_and_expect_close(fake, sharded_bot([1], 3), CLOSE_INVALID_SHARD)


async def test_too_many_servers_for_one_shard_is_closed_with_4011(fake: FakeDiscord) -> None:
    fake.gateway.max_guilds_per_shard = 1
    fake.add_guild("a second server", shard=(0, 1))
    await _start_and_expect_close(fake, sharded_bot([0], 1), CLOSE_SHARDING_REQUIRED)


async def _start_and_expect_close(fake: FakeDiscord, bot: discord.Client, code: int) -> None:
    async with pointed_at(fake):
        task = asyncio.create_task(bot.start(fake.token))
        try:
            await fake.wait_until(lambda: any(r.code == code for r in fake.rejections), 5.0, f"close code {code}")
        finally:
            await stop(bot, task)
