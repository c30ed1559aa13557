"""Outages: the network down (connections refused and reset), the gateway down, REST not answering."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from .conftest import TOKEN
from .fake import FakeDiscord

AUTH = {"Authorization": f"Bot {TOKEN}"}


async def _live_socket(session: aiohttp.ClientSession, fake: FakeDiscord) -> aiohttp.ClientWebSocketResponse:
    """A gateway connection that has IDENTIFYed (so the fake has a live session on it)."""
    ws = await session.ws_connect(f"{fake.gateway_url}?v=10&encoding=json")
    await ws.receive()  # HELLO
    await ws.send_str(json.dumps({"op": 2, "d": {"token": TOKEN, "intents": 1,
                                                 "properties": {"os": "linux", "browser": "t", "device": "t"}}}))
    await fake.wait_until_connected()
    return ws


async def _until_closed(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMsgType:
    """Read past the frames still queued (READY, GUILD_CREATEs); return how the socket ended."""
    while (message := await ws.receive(timeout=2)).type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
        pass
    return message.type


async def test_a_cut_network_refuses_connections_and_resets_open_ones(fake: FakeDiscord) -> None:
    port = fake.port
    async with aiohttp.ClientSession() as session:
        ws = await _live_socket(session, fake)
        async with session.get(f"{fake.rest_base}/users/@me", headers=AUTH) as response:
            assert response.status == 200  # and the connection stays open for the next request
        await fake.cut_network()
        assert fake.network_down
        # The open gateway socket is reset, without a close frame.
        assert await _until_closed(ws) in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
        await fake.gateway.changes.wait_for(lambda: not fake.connected, 2.0, "the session to go down")
        # New connections are refused by the kernel: no HTTP answer of any kind.
        with pytest.raises(aiohttp.ClientConnectorError):
            async with session.get(f"{fake.rest_base}/users/@me", headers=AUTH):
                pass
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.ws_connect(fake.gateway_url)
    async with aiohttp.ClientSession() as fresh:
        with pytest.raises(aiohttp.ClientConnectorError):
            async with fresh.get(f"{fake.rest_base}/gateway"):
                pass
        await fake.restore_network()
        assert not fake.network_down and fake.port == port
        async with fresh.get(f"{fake.rest_base}/users/@me", headers=AUTH) as response:
            assert response.status == 200
        ws = await _live_socket(fresh, fake)
        await ws.close()
    assert fake.rejections == []


async def test_a_keep_alive_connection_is_reset_by_the_cut(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{fake.rest_base}/users/@me", headers=AUTH) as response:
            assert response.status == 200
        await fake.cut_network()
        with pytest.raises(aiohttp.ClientError):
            async with session.get(f"{fake.rest_base}/users/@me", headers=AUTH):
                pass


async def test_a_refusing_gateway_answers_503_while_rest_works(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await _live_socket(session, fake)
        await fake.refuse_gateway()
        assert await _until_closed(ws) is aiohttp.WSMsgType.CLOSE  # a close frame: the server is up
        assert not fake.connected
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"{fake.gateway_url}?v=10&encoding=json")
        assert refused.value.status == 503
        assert fake.gateway.refused_handshakes == 1
        async with session.get(f"{fake.rest_base}/gateway/bot", headers=AUTH) as response:
            assert response.status == 200
        fake.accept_gateway()
        ws = await _live_socket(session, fake)
        await ws.close()
    assert fake.rejections == []


async def test_a_stalled_rest_api_holds_requests_until_it_answers_again(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        fake.stall_rest()

        async def get_me() -> int:
            async with session.get(f"{fake.rest_base}/users/@me", headers=AUTH) as response:
                return response.status

        request = asyncio.create_task(get_me())
        await fake.wait_until(lambda: fake.held_requests == ["GET /users/@me"], what="the request to be held")
        for _ in range(20):  # it stays unanswered however long the client keeps waiting
            await asyncio.sleep(0)
        assert not request.done()
        assert fake.requests == []
        fake.answer_rest()
        assert await request == 200
        assert fake.held_requests == []
        assert [r.route for r in fake.requests] == ["GET /users/@me"]


async def test_closing_the_fake_lets_held_requests_go() -> None:
    async with aiohttp.ClientSession() as session:
        fake = FakeDiscord(token=TOKEN)
        await fake.start()
        fake.stall_rest()
        request = asyncio.create_task(session.get(f"{fake.rest_base}/users/@me", headers=AUTH))
        await fake.wait_until(lambda: fake.held_requests, what="the request to be held")
        await asyncio.wait_for(fake.close(), 5)
        response = await request
        response.release()
