"""Login and gateway: READY + GUILD_CREATE, token checks, intents, heartbeats, live world changes."""

from __future__ import annotations

import json

import aiohttp
import discord
import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .conftest import TOKEN
from .fake import FakeDiscord
from .harness import eventually, pointed_at, running, stop
from .permissions import Permission


async def test_bot_logs_in_and_receives_ready_and_guild_create(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    thread = guild.add_thread(guild.channel("general"), "spoilers")
    news = guild.add_announcement_channel("news")
    ready_events: list[str] = []
    bot = make_bot()

    @bot.event
    async def on_ready() -> None:
        ready_events.append("ready")

    async with running(bot, fake):
        assert ready_events == ["ready"]
        assert bot.user is not None and bot.user.id == fake.bot_user_id
        assert bot.application_id == fake.application_id
        cached = bot.get_guild(guild.id)
        assert cached is not None and cached.name == "Test Guild"
        assert cached.owner_id == guild.owner_id
        assert cached.me is not None and cached.me.id == fake.bot_user_id
        assert {c.name for c in cached.text_channels} == {"general", "news"}
        assert isinstance(cached.get_channel(news.id), discord.TextChannel) and cached.get_channel(news.id).is_news()
        assert cached.get_thread(thread.id) is not None
        assert cached.default_role.permissions.view_channel
        # Without the GUILD_PRESENCES intent Discord only sends the bot's own member.
        assert [m.id for m in cached.members] == [fake.bot_user_id]
        assert cached.get_channel(guild.channel("general").id).permissions_for(cached.me).send_messages
    assert fake.identify_count == 1
    assert fake.rejections == []
    assert [r.route for r in fake.requests][:2] == ["GET /users/@me", "GET /oauth2/applications/@me"]


async def test_wrong_token_fails_login_with_login_failure(fake: FakeDiscord, make_bot) -> None:
    bot = make_bot()
    async with pointed_at(fake):
        try:
            with pytest.raises(discord.LoginFailure):
                await bot.login("not-the-token")
        finally:
            await stop(bot)
    assert [(r.route, r.status, r.code) for r in fake.rejections] == [("GET /users/@me", 401, 0)]
    assert fake.identify_count == 0


async def test_rest_without_bot_prefix_is_unauthorized(fake: FakeDiscord) -> None:
    url, headers = f"{fake.rest_base}/users/@me", {"Authorization": TOKEN}
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        assert response.status == 401
        assert await response.json() == {"message": "401: Unauthorized", "code": 0}
        assert response.headers["Content-Type"] == "application/json"


async def _identify_raw(fake: FakeDiscord, token: str, intents: int = 513) -> tuple[dict, int | None]:
    """IDENTIFY over a raw websocket; returns (HELLO payload, close code)."""
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{fake.gateway_url}?v=10&encoding=json") as ws:
        hello = json.loads((await ws.receive()).data)
        await ws.send_str(json.dumps({"op": 2, "d": {"token": token, "intents": intents,
                                                     "properties": {"os": "linux", "browser": "t", "device": "t"}}}))
        while not ws.closed:
            message = await ws.receive(timeout=2)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                break
        return hello, ws.close_code


async def test_gateway_identify_with_wrong_token_closes_4004(fake: FakeDiscord) -> None:
    hello, code = await _identify_raw(fake, "wrong")
    assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] == 41_250
    assert code == 4004
    assert fake.rejections[-1].route == "GATEWAY IDENTIFY" and fake.rejections[-1].code == 4004


async def test_privileged_intents_not_enabled_fail_with_4014(fake: FakeDiscord, make_bot) -> None:
    intents = discord.Intents.default()
    intents.members = True
    bot = make_bot(intents=intents)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running(bot, fake, timeout=5):
            pass
    assert fake.rejections[-1].code == 4014


async def test_enabled_members_intent_is_accepted() -> None:
    async with FakeDiscord(token=TOKEN, enabled_privileged_intents=discord.Intents(members=True).value) as fake:
        fake.add_guild("G")
        intents = discord.Intents.default()
        intents.members = True
        bot = discord.Client(intents=intents, chunk_guilds_at_startup=False)
        async with running(bot, fake):
            assert bot.application_flags.gateway_guild_members_limited
    assert fake.rejections == []


async def test_heartbeats_are_acknowledged(make_bot) -> None:
    async with FakeDiscord(token=TOKEN, heartbeat_interval_ms=50) as fake:
        bot = make_bot()
        async with running(bot, fake):
            await eventually(lambda: fake.heartbeat_count >= 3, what="three heartbeats")
            await eventually(lambda: bot.latency != float("inf"), what="a heartbeat ACK")
            assert bot.latency < 1


async def test_live_world_changes_are_dispatched(fake: FakeDiscord, make_bot) -> None:
    joined: list[int] = []
    deleted: list[int] = []
    bot = make_bot()

    @bot.event
    async def on_guild_join(guild: discord.Guild) -> None:
        joined.append(guild.id)

    @bot.event
    async def on_guild_channel_delete(channel: discord.abc.GuildChannel) -> None:
        deleted.append(channel.id)

    async with running(bot, fake):
        second = fake.add_guild("Second Guild")
        quiz = second.add_text_channel("quiz", bot_permissions=Permission.VIEW_CHANNEL)
        await eventually(lambda: bot.get_channel(quiz.id) is not None, what="CHANNEL_CREATE")
        assert joined == [second.id]
        assert not bot.get_channel(quiz.id).permissions_for(bot.get_guild(second.id).me).send_messages
        await fake.delete_channel(quiz)
        await eventually(lambda: deleted == [quiz.id], what="CHANNEL_DELETE")
        assert bot.get_channel(quiz.id) is None


async def test_bot_close_disconnects(fake: FakeDiscord, make_bot) -> None:
    bot = make_bot()
    async with running(bot, fake):
        assert fake.connected
    await fake.gateway.changes.wait_for(lambda: not fake.gateway.connections, 2.0, "the socket to close")
    assert not fake.connected


async def test_pointed_at_restores_discord_py_configuration(fake: FakeDiscord) -> None:
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    with pytest.raises(RuntimeError):
        async with pointed_at(fake):
            assert fake.rest_base == Route.BASE
            assert str(DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
            raise RuntimeError("a failing test body")
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
