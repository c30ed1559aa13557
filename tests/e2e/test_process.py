"""The real `python -m bot` process against the fake: SIGTERM ends it within 10 s, status 0, and
a failed attempt to reach Discord is one line of its stderr, never a traceback.

The process runs on production timing, so these tests signal it while it waits to retry and
never wait for a retry themselves (the retries are tested in-process, on injected timing).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
import time
from pathlib import Path

from bot.host_config import DEFAULT_CONTENT_PATH
from tests.e2e.conftest import TOKEN
from tests.fakediscord import eventually

# discord.py pointed at the fake by configuration, as tests/fakediscord/harness.py does in-process.
BOOT = textwrap.dedent("""
    import sys, yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route
    Route.BASE = sys.argv[1] + "/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
    from bot.__main__ import main
    sys.exit(main([]))
""")
REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """`python -m bot` in a child process, its stderr read line by line as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append(line.decode().rstrip("\n"))

    def matching(self, text: str) -> list[str]:
        return [line for line in self.lines if text in line]

    async def wait_for_line(self, text: str, count: int = 1) -> None:
        await eventually(lambda: len(self.matching(text)) >= count, 20, what=f"{count} line(s) with {text!r}")

    async def terminate(self) -> tuple[int, float]:
        """SIGTERM; return the exit status and the seconds it took to exit."""
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(self.process.wait(), 10)
        took = time.monotonic() - began
        await self._reader
        return status, took


async def _start(fake, tmp_path) -> BotProcess:
    # Only what the bot needs: nothing of the developer's environment (or .env: cwd is tmp_path).
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "DISCORD_TOKEN": TOKEN,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "CONTENT_PATH": str(REPO / DEFAULT_CONTENT_PATH),
           "LOG_LEVEL": "INFO"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BOOT, f"http://{fake.host}:{fake.port}", fake.gateway_url,
        cwd=tmp_path, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    return BotProcess(process)


async def test_sigterm_while_waiting_to_retry_a_login_ends_the_process_in_time(fake, world, tmp_path):
    await fake.cut_network()  # the host booted before its network
    bot = await _start(fake, tmp_path)
    await bot.wait_for_line("cannot log in to Discord")
    status, took = await bot.terminate()
    assert (status, took < 10) == (0, True)
    [attempt] = bot.matching("cannot log in to Discord")
    assert f"cannot connect to 127.0.0.1:{fake.port} (Connection refused); trying again in" in attempt
    assert attempt.endswith("s (attempt 1)")
    assert not bot.matching("Traceback") and not bot.matching("ERROR")
    assert bot.matching("stopped cleanly")


async def test_sigterm_during_the_reconnect_back_off_ends_the_process_in_time(fake, world, tmp_path):
    bot = await _start(fake, tmp_path)
    await eventually(lambda: fake.connected, 20, what="the bot to connect")
    await fake.cut_network()
    await bot.wait_for_line("no connection to Discord's gateway")
    status, took = await bot.terminate()
    assert (status, took < 10) == (0, True)
    assert not bot.matching("Traceback") and not bot.matching("ERROR")
