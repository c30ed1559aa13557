"""Reading an attachment: the whole file when within the limit, never past it whatever its headers say."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.user_errors import UserError
from cogs.packs.download import download_attachment

LIMIT = 1024


@pytest.fixture
async def server() -> AsyncIterator[str]:
    async def sized(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * int(request.match_info["n"]))

    async def chunked(request: web.Request) -> web.StreamResponse:
        # No Content-Length: only counting while reading can stop it.
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(int(request.match_info["n"]) // 256):
            await response.write(b"x" * 256)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/sized/{n}", sized)
    app.router.add_get("/chunked/{n}", chunked)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_file_within_the_limit_is_read_whole(server: str) -> None:
    async with aiohttp.ClientSession() as session:
        assert await download_attachment(session, f"{server}/sized/{LIMIT}", LIMIT) == b"x" * LIMIT
        assert await download_attachment(session, f"{server}/chunked/{LIMIT}", LIMIT) == b"x" * LIMIT


async def test_a_file_over_the_limit_is_refused_by_its_length_or_while_reading(server: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(UserError, match=r"That file is 1\.2 KiB; a pack is at most 1 KiB"):
            await download_attachment(session, f"{server}/sized/{LIMIT + 256}", LIMIT)
        with pytest.raises(UserError, match="That file is over 1 KiB"):
            await download_attachment(session, f"{server}/chunked/{LIMIT * 64}", LIMIT)


async def test_a_missing_file_says_to_attach_it_again(server: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(UserError, match=r"answered 404\); attach it again"):
            await download_attachment(session, f"{server}/nothing", LIMIT)
