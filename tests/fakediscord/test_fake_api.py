"""The fake's bookkeeping and test controls: message state and history, DMs, request log,
rejections, injected faults and waiting helpers."""

from __future__ import annotations

import gc
import weakref

import discord
import pytest

from tests.fake_token import FAKE_TOKEN

from .fake import FakeDiscord
from .harness import running


async def test_channel_messages_keep_state_and_edit_history(fake: FakeDiscord, make_bot) -> None:
    general = fake.guilds[0].channel("general")
    bot = make_bot()
    async with running(bot, fake):
        sent = await bot.get_channel(general.id).send("draft", allowed_mentions=discord.AllowedMentions.none())
        await sent.edit(content="final", embed=discord.Embed(title="Scores"))
        fetched = await bot.get_channel(general.id).fetch_message(sent.id)
        doomed = await bot.get_channel(general.id).send("temporary")
        await doomed.delete()
        history = [m.content async for m in bot.get_channel(general.id).history(limit=10)]
    stored = fake.messages(general)
    assert [m.id for m in stored] == [sent.id]
    message = stored[0]
    assert fetched.content == "final" and fetched.embeds[0].title == "Scores"
    assert message.content == "final" and message.edit_count == 1
    assert message.history[0].content == "draft" and message.history[0].allowed_mentions == {"parse": []}
    assert history == ["final"]
    assert fake.rejections == []


async def test_direct_messages(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    stranger = fake.add_user("stranger")
    bot = make_bot()
    async with running(bot, fake):
        user = await bot.fetch_user(alice.id)
        await user.send("hi alice")
        with pytest.raises(discord.Forbidden) as caught:
            await (await bot.fetch_user(stranger.id)).send("hi stranger")
    assert [m.content for m in fake.messages(fake.dm_channel(alice))] == ["hi alice"]
    assert caught.value.code == 50007  # Discord refuses DMs to users sharing no guild with the bot


async def test_rate_limit_and_injected_failures(fake: FakeDiscord, make_bot) -> None:
    general = fake.guilds[0].channel("general")
    bot = make_bot()
    async with running(bot, fake):
        fake.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.01)
        await bot.get_channel(general.id).send("after a 429")
        fake.fail_next("POST", "/channels/{channel_id}/messages", status=503, message="upstream down")
        with pytest.raises(discord.DiscordServerError):
            await bot.get_channel(general.id).send("lost")
    statuses = [r.status for r in fake.requests if r.route == "POST /channels/{channel_id}/messages"]
    assert statuses == [429, 200, 503]
    assert [m.content for m in fake.messages(general)] == ["after a 429"]
    assert fake.requests[-1].body is None  # injected faults answer before the body is read


async def test_rejections_are_listed_for_assertions(fake: FakeDiscord, make_bot) -> None:
    general = fake.guilds[0].channel("general")
    bot = make_bot()
    async with running(bot, fake):
        with pytest.raises(discord.HTTPException):
            await bot.get_channel(general.id).send("x" * 2001)
    with pytest.raises(AssertionError, match=r"POST /channels/\{channel_id\}/messages -> 400 50035"):
        fake.assert_no_rejections()
    assert fake.requests[-1].body["content"] == "x" * 2001


async def test_wait_for_message_times_out_with_a_clear_error(fake: FakeDiscord) -> None:
    with pytest.raises(AssertionError, match=r"timed out after 0\.05s waiting for a matching message"):
        await fake.wait_for_message(fake.guilds[0].channel("general"), timeout=0.05)


async def test_invoking_without_a_connected_bot_is_an_error(fake: FakeDiscord) -> None:
    guild = fake.guilds[0]
    with pytest.raises(RuntimeError, match="no gateway session"):
        await fake.invoke(guild, guild.channel("general"), guild.owner, "anything")


async def test_a_closed_fake_is_freed_with_its_world_and_history(make_bot) -> None:
    # aiohttp caches middleware chains module-wide, keyed by our route handlers: a fake the cache
    # kept alive would keep every message of every earlier test in memory.
    async with FakeDiscord(token=FAKE_TOKEN) as server:
        channel = server.add_guild("Short-lived").add_text_channel("general")
        async with running(make_bot(), server) as bot:
            await bot.get_channel(channel.id).send("hello", allowed_mentions=discord.AllowedMentions.none())
        gone = weakref.ref(server)
    del server, bot, channel
    gc.collect()
    assert gone() is None, "something still holds the closed fake"
