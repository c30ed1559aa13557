"""A bot process against a fake Discord in another process: `python -m tests.shard_process REST GATEWAY URL COUNT IDS`.

Run from the repository root, by the end-to-end test that kills a process and by the shards
benchmark: the real bot, built and started as `python -m bot` builds it (settings, database,
shard leases, build_bot), with discord.py pointed at the fake's REST base and gateway URL.
Prints "ready" once every shard is connected and its servers are cached; stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from types import SimpleNamespace

from bot.client import build_bot
from bot.clock import Timing
from bot.content import ContentStore
from bot.host_config import DEFAULT_CONTENT_PATH, HostConfig
from bot.storage import open_database
from bot.storage.leases import hold_leases
from tests.fake_token import FAKE_TOKEN as TOKEN
from tests.fakediscord.harness import pointed_at

REVEAL_PAUSE = 1.0  # as in the one-process benchmark


async def main(rest_base: str, gateway_url: str, url: str, count: str, ids: str) -> int:
    env = {"DISCORD_TOKEN": TOKEN, "DATABASE_URL": url, "SHARD_COUNT": count, "SHARD_IDS": ids}
    settings = HostConfig.from_env(env)
    db = await open_database(url)
    leases = await hold_leases(url, settings.shards)
    try:
        async with pointed_at(SimpleNamespace(rest_base=rest_base, gateway_url=gateway_url)):  # type: ignore[arg-type]
            timing = Timing(reveal_pause=REVEAL_PAUSE)
            bot = build_bot(settings, db, ContentStore.load(DEFAULT_CONTENT_PATH), timing=timing)
            bot._connection.guild_ready_timeout = 0.02  # the fake sends every GUILD_CREATE at once
            stop = asyncio.Event()
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
            async with bot:
                task = asyncio.create_task(bot.start(TOKEN))
                await bot.wait_until_ready()
                print("ready", flush=True)
                await stop.wait()
                await bot.close()
                await task
    finally:
        if leases is not None:
            await leases.release()
        await db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(*sys.argv[1:6])))
