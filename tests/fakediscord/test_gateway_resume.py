"""Dropped connections: RESUME with replay of missed dispatches, invalidated sessions, opcode 7."""

from __future__ import annotations

import discord

from .fake import FakeDiscord
from .harness import eventually, running


async def test_dropped_connection_is_resumed_and_missed_dispatch_delivered(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    resumed: list[bool] = []
    bot = make_bot()

    @bot.event
    async def on_resumed() -> None:
        resumed.append(True)

    async with running(bot, fake):
        seq_before = fake.gateway.current.seq
        await fake.drop_connection(code=4000)
        # Created while the socket is down: buffered in the session, replayed on RESUME.
        missed = guild.add_text_channel("created-while-offline")
        await fake.wait_until_connected()
        await eventually(lambda: bot.get_channel(missed.id) is not None, what="the replayed CHANNEL_CREATE")
        await eventually(lambda: resumed, what="on_resumed")
        assert fake.identify_count == 1
        assert fake.resume_count == 1
        assert fake.gateway.replays == [[seq_before + 1]]
        # discord.py reconnected to the resume_gateway_url from READY.
        assert [c.path for c in fake.gateway.connections] == ["/resume"]
    assert fake.rejections == []


async def test_invalidated_session_makes_the_bot_identify_again(fake: FakeDiscord, make_bot) -> None:
    bot = make_bot()
    async with running(bot, fake, skip_reidentify_delay=True):
        first_session = fake.gateway.current.id
        await fake.drop_connection(invalidate=True)
        await eventually(lambda: fake.identify_count == 2, what="a second IDENTIFY")
        await fake.wait_until_connected()
        assert fake.gateway.current.id != first_session
        assert fake.resume_count == 0
        await eventually(lambda: bot.get_guild(fake.guilds[0].id) is not None, what="guilds after re-identify")


async def test_reconnect_opcode_leads_to_resume(fake: FakeDiscord, make_bot) -> None:
    bot = make_bot()
    async with running(bot, fake):
        await fake.request_reconnect()
        await eventually(lambda: fake.resume_count == 1, what="RESUME after opcode 7")
        await fake.wait_until_connected()
        assert fake.identify_count == 1


async def test_interaction_sent_during_outage_is_replayed(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    bot = make_bot()

    @bot.tree.command(description="Replies pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    async with running(bot, fake):
        await bot.tree.sync()
        await fake.drop_connection()
        record = await fake.invoke(guild, guild.channel("general"), guild.member(guild.owner_id), "ping")
        response = await record.response(timeout=3)
        assert response.data["content"] == "pong"
        assert fake.resume_count == 1
