"""Run an unmodified discord.py client against a FakeDiscord: point it there, start it, stop it.

discord.py is redirected purely by configuration: `discord.http.Route.BASE` (REST, webhooks and
interaction callbacks all build URLs from it) and `DiscordWebSocket.DEFAULT_GATEWAY`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .fake import FakeDiscord
from .gateway import shard_of

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.asynccontextmanager
async def pointed_at(fake: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """Point discord.py's REST base and gateway URL at `fake`; restore the originals afterwards."""
    original_base = Route.BASE
    original_gateway = DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.rest_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        Route.BASE = original_base
        DiscordWebSocket.DEFAULT_GATEWAY = original_gateway


async def eventually(predicate: Callable[[], Any], timeout: float = 2.0, interval: float = 0.01,
                     what: str = "the condition") -> Any:
    """Poll `predicate` until truthy (for state on the bot's side, which the fake cannot observe)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if loop.time() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


async def wait_until_ready(
    client: discord.Client,
    fake: FakeDiscord | None = None,
    *,
    task: asyncio.Task[Any] | None = None,
    timeout: float = 10.0,
    require_on_ready: bool = True,
) -> None:
    """Wait until READY is parsed and every guild of `fake` is cached, and (by default) on_ready fired.

    If `task` (the bot.start() task) ends first, its exception (e.g. LoginFailure) is raised.
    """

    def ready() -> bool:
        if task is not None and task.done():
            task.result()  # re-raises LoginFailure, ConnectionClosed, ...
            raise AssertionError("bot.start() returned before the bot was ready")
        if require_on_ready and not client.is_ready():
            return False
        if client.user is None:
            return False
        if fake is None:
            return True
        count, shards = _shards_of(client)
        if not all(fake.gateway.is_live(shard) for shard in shards):
            return False
        return all(client.get_guild(g.id) is not None for g in fake.guilds if shard_of(g.id, count) in shards)

    await eventually(ready, timeout, what="the bot to become ready")


def _shards_of(client: discord.Client) -> tuple[int, list[int]]:
    """(shard count, the shards this client runs): an AutoShardedClient's, or (1, [0])."""
    count = getattr(client, "shard_count", None) or 1
    ids = getattr(client, "shard_ids", None)
    return count, list(ids) if ids is not None else list(range(count))


async def stop(client: discord.Client, task: asyncio.Task[Any] | None = None, timeout: float = 5.0) -> None:
    """Close the client and wait for its start() task to finish (errors from it are not re-raised)."""
    if not client.is_closed():
        await client.close()
    if task is not None:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)


async def _identify_without_delay(shard_id: int | None, *, initial: bool = False) -> None:
    """A before_identify_hook that does not sleep (the fake does not rate-limit IDENTIFY)."""


@contextlib.asynccontextmanager
async def running(
    client: ClientT,
    fake: FakeDiscord,
    *,
    timeout: float = 10.0,
    guild_ready_timeout: float | None = 0.02,
    require_on_ready: bool = True,
    skip_reidentify_delay: bool = False,
) -> AsyncIterator[ClientT]:
    """Start `client` against `fake`, wait until ready, yield it, then shut it down cleanly.

    discord.py fires on_ready only after `guild_ready_timeout` (2 s by default) passes without a
    new GUILD_CREATE; the fake sends them all at once, so a short wait keeps tests fast. Pass None
    to keep the client's own setting. Its default before_identify_hook sleeps 5 s before every
    IDENTIFY after the first (e.g. after an invalidated session); `skip_reidentify_delay` replaces
    that hook on this client instance with one that does not wait.
    """
    async with pointed_at(fake):
        if guild_ready_timeout is not None:
            client._connection.guild_ready_timeout = guild_ready_timeout
        if skip_reidentify_delay:
            client.before_identify_hook = _identify_without_delay  # type: ignore[method-assign]
        task = asyncio.create_task(client.start(fake.token), name="fakediscord-bot")
        try:
            await wait_until_ready(client, fake, task=task, timeout=timeout, require_on_ready=require_on_ready)
            yield client
        finally:
            await stop(client, task)
