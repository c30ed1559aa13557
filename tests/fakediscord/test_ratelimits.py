"""The fake limits what Discord limits: the global 50 requests a second (interaction endpoints
outside it), message creates and edits per channel, an interaction's webhook, and the ban after
too many invalid requests; with Discord's 429 bodies and headers, which discord.py obeys.

Most tests run on a frozen clock, so a window never ends before the test says so, however slow
the machine; discord.py's own reaction runs on shrunk limits in real time, where being slow can
only make a window end sooner, never produce a 429.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest

from .clock import Clock
from .conftest import TOKEN
from .fake import FakeDiscord
from .harness import running
from .ratelimits import Limit, RateLimiter, RateLimits

AUTH = {"Authorization": f"Bot {TOKEN}"}


@pytest.fixture
async def frozen() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(token=TOKEN, clock=Clock(frozen=True)) as server:
        guild = server.add_guild("Test Guild")
        guild.add_text_channel("general")
        guild.add_text_channel("other")
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, fake: FakeDiscord, method: str, path: str, body: dict | None = None,
               headers: dict | None = None) -> tuple[int, dict, object]:
    sent = AUTH if headers is None else headers
    async with http.request(method, fake.rest_base + path, json=body, headers=sent) as r:
        data = await r.json() if r.content_type == "application/json" else await r.text()
        return r.status, dict(r.headers), data


async def test_the_global_limit_is_50_requests_a_second(frozen: FakeDiscord, http) -> None:
    general = frozen.guilds[0].channel("general")
    for _ in range(50):
        status, _, _ = await call(http, frozen, "GET", f"/channels/{general.id}")
        assert status == 200
    status, headers, body = await call(http, frozen, "GET", f"/channels/{general.id}")
    assert status == 429
    assert body == {"message": "You are being rate limited.", "retry_after": 1.0, "global": True, "code": 0}
    assert headers["X-RateLimit-Global"] == "true" and headers["X-RateLimit-Scope"] == "global"
    assert headers["Retry-After"] == "1" and headers["Via"]  # discord.py trusts a 429 only with Via
    assert [r.reason for r in frozen.rate_limited] == ["global limit: more than 50 requests in 1 s"]
    frozen.clock.advance(1.0)
    assert (await call(http, frozen, "GET", f"/channels/{general.id}"))[0] == 200


async def test_interaction_endpoints_are_outside_the_global_limit(frozen: FakeDiscord, http) -> None:
    general = frozen.guilds[0].channel("general")
    for _ in range(51):
        await call(http, frozen, "GET", f"/channels/{general.id}")
    # Unknown interactions, but answered as such: not refused by the global limit.
    callback = await call(http, frozen, "POST", "/interactions/1/not-a-token/callback", {"type": 1}, headers={})
    webhook = await call(http, frozen, "GET", f"/webhooks/{frozen.application_id}/not-a-token/messages/@original",
                         headers={})
    assert (callback[0], webhook[0]) == (404, 404)
    assert len(frozen.rate_limited) == 1


async def test_five_message_creates_per_channel_in_five_seconds(frozen: FakeDiscord, http) -> None:
    general, other = frozen.guilds[0].channel("general"), frozen.guilds[0].channel("other")
    remaining, buckets = [], set()
    for n in range(5):
        status, headers, _ = await call(http, frozen, "POST", f"/channels/{general.id}/messages", {"content": f"{n}"})
        assert status == 200 and headers["X-RateLimit-Limit"] == "5"
        remaining.append(headers["X-RateLimit-Remaining"])
        buckets.add(headers["X-RateLimit-Bucket"])
        assert float(headers["X-RateLimit-Reset-After"]) == 5.0 and float(headers["X-RateLimit-Reset"]) > 0
    assert remaining == ["4", "3", "2", "1", "0"] and len(buckets) == 1
    status, headers, body = await call(http, frozen, "POST", f"/channels/{general.id}/messages", {"content": "6"})
    assert status == 429 and body["global"] is False and body["retry_after"] == 5.0
    assert headers["X-RateLimit-Scope"] == "user" and headers["Retry-After"] == "5"
    assert headers["X-RateLimit-Remaining"] == "0" and headers["X-RateLimit-Bucket"] in buckets
    assert [m.content for m in frozen.messages(general)] == ["0", "1", "2", "3", "4"]
    assert (await call(http, frozen, "POST", f"/channels/{other.id}/messages", {"content": "x"}))[0] == 200
    frozen.clock.advance(5.0)
    assert (await call(http, frozen, "POST", f"/channels/{general.id}/messages", {"content": "7"}))[0] == 200


async def test_five_message_edits_per_channel_in_five_seconds(frozen: FakeDiscord, http) -> None:
    general = frozen.guilds[0].channel("general")
    _, _, message = await call(http, frozen, "POST", f"/channels/{general.id}/messages", {"content": "v0"})
    path = f"/channels/{general.id}/messages/{message['id']}"
    for n in range(5):
        status, headers, _ = await call(http, frozen, "PATCH", path, {"content": f"v{n + 1}"})
        assert status == 200 and headers["X-RateLimit-Remaining"] == str(4 - n)
    status, _, body = await call(http, frozen, "PATCH", path, {"content": "too many"})
    assert status == 429 and not body["global"]
    assert frozen.messages(general)[0].content == "v5"
    frozen.clock.advance(5.0)
    unknown = await call(http, frozen, "PATCH", f"/channels/{general.id}/messages/1", {"content": "x"})
    assert unknown[0] == 404 and unknown[1]["X-RateLimit-Remaining"] == "4", "an error counts, with headers"
    assert (await call(http, frozen, "PATCH", path, {"content": "later"}))[0] == 200


def test_an_interactions_webhook_allows_five_requests_in_two_seconds() -> None:
    clock = Clock(frozen=True)
    limiter = RateLimiter(clock, RateLimits())
    route = "/webhooks/{application_id}/{webhook_token}/messages/{message_id}"

    def send(token: str) -> bool:
        verdict = limiter.check("PATCH", route, {"webhook_token": token}, bot_authorized=False)
        return verdict.refusal is None

    assert [send("a") for _ in range(6)] == [True] * 5 + [False]
    assert send("b"), "another interaction has its own bucket"
    clock.advance(2.0)
    assert send("a")


async def test_too_many_invalid_requests_get_the_ip_banned(http) -> None:
    limits = RateLimits(invalid_requests=Limit(3, 600.0))
    async with FakeDiscord(token=TOKEN, clock=Clock(frozen=True), rate_limits=limits) as fake:
        for _ in range(3):
            assert (await call(http, fake, "GET", "/users/@me", headers={"Authorization": "Bot wrong"}))[0] == 401
        assert fake.invalid_request_count == 3
        assert (await call(http, fake, "GET", "/users/@me"))[0] == 200  # not yet: three are allowed
        await call(http, fake, "GET", "/users/@me", headers={"Authorization": "Bot wrong"})
        status, headers, body = await call(http, fake, "GET", "/users/@me")
        assert status == 429 and body == "error code: 1015" and "Via" not in headers
        fake.clock.advance(limits.ban_seconds)
        assert (await call(http, fake, "GET", "/users/@me"))[0] == 200


async def test_discord_py_paces_itself_by_the_bucket_headers(make_bot) -> None:
    limits = RateLimits(message_create=Limit(2, 0.3))
    async with FakeDiscord(token=TOKEN, rate_limits=limits) as fake:
        general = fake.add_guild("Test Guild").add_text_channel("general")
        bot = make_bot()
        async with running(bot, fake):
            channel = bot.get_channel(general.id)
            await asyncio.gather(*(channel.send(f"{n}") for n in range(5)))
        assert sorted(m.content for m in fake.messages(general)) == ["0", "1", "2", "3", "4"]
        assert fake.rate_limited == [], "the headers told discord.py when to wait"


async def test_discord_py_waits_out_a_global_429_and_retries(make_bot) -> None:
    limits = RateLimits(global_=Limit(3, 0.2))
    async with FakeDiscord(token=TOKEN, clock=Clock(frozen=True), rate_limits=limits) as fake:
        guild = fake.add_guild("Test Guild")
        channels = [guild.add_text_channel(f"c{n}") for n in range(6)]
        bot = make_bot()
        fake.clock.advance(1.0)  # a fresh window after the login's own requests
        async with running(bot, fake):
            fake.clock.advance(1.0)

            async def open_new_windows() -> None:
                seen = 0
                while True:  # each refusal ends the window, as time would after retry_after
                    if len(fake.rate_limited) > seen:
                        seen = len(fake.rate_limited)
                        fake.clock.advance(limits.global_.window)
                    await asyncio.sleep(0.005)

            mover = asyncio.create_task(open_new_windows())
            try:
                fetched = await asyncio.gather(*(bot.fetch_channel(c.id) for c in channels))
            finally:
                mover.cancel()
        assert [c.id for c in fetched] == [c.id for c in channels]
        assert fake.rate_limited and all("global limit" in r.reason for r in fake.rate_limited)
        assert isinstance(fetched[0], discord.TextChannel)
