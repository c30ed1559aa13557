"""Log in, stay connected, stop in time: the bot's life between `python -m bot` and its exit.

discord.py's `Client.start` does this too, but not well enough for a host nobody watches: a
network failure at login raises (a host that boots before its network is up would just exit);
its reconnect back-off is fixed, sleeps up to 1,024 s and logs a traceback per attempt; and
`close()` does not end that sleep, so a SIGTERM waits for it. Here login and reconnects share
one back-off whose timing is injected, each attempt is one log line naming the cause, and a
shutdown cancels whatever is waiting on the network before it closes the bot.

The gateway loop is discord.py's `Client.connect` (2.x) with those changes; it drives the same
`DiscordWebSocket`, so sessions resume, heartbeat and dispatch exactly as under `connect`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import aiohttp
import discord
from discord.gateway import DiscordWebSocket, ReconnectWebSocket
from discord.utils import MISSING

from bot.backoff import Backoff

__all__ = ["Connection", "LifecycleTiming", "State", "describe_failure", "serve"]

log = logging.getLogger(__name__)

CLOSE_AUTHENTICATION_FAILED = 4004  # gateway close code: the token was refused
CLOSE_DISALLOWED_INTENTS = 4014

# What a network that is down, slow or flaky raises, at login and on the gateway. Anything else
# (a 403, a bug) is not retried: retrying would only hide it.
LOGIN_FAILURES = (OSError, aiohttp.ClientError, TimeoutError, discord.GatewayNotFound, discord.DiscordServerError)
GATEWAY_FAILURES = (*LOGIN_FAILURES, discord.HTTPException, discord.ConnectionClosed)
_DNS_ERROR = getattr(aiohttp, "ClientConnectorDNSError", ())  # aiohttp >= 3.10; before, a connector error


@dataclass(frozen=True)
class LifecycleTiming:
    """How long to wait for Discord, between tries, and for a shutdown; tests pass their own."""

    backoff: Backoff = field(default_factory=Backoff)
    # Waits out one back-off delay, and bounds one attempt (like asyncio.timeout). Tests pass
    # ones that wait for the test, never for the wall clock.
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    deadline: Callable[[float], contextlib.AbstractAsyncContextManager[Any]] = asyncio.timeout
    login_timeout: float = 30.0  # one login: the bot user, the application, a command sync
    connect_timeout: float = 60.0  # one gateway connection until IDENTIFY/RESUME is sent (as discord.py)
    # From SIGTERM to a closed bot; the database closes after that, and all of it within 10 s.
    shutdown_grace: float = 9.0


class State(enum.Enum):
    """Where the connection is; a shutdown treats waiting on the network and being connected differently."""

    LOGGING_IN = "logging in"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    WAITING = "waiting to retry"


def describe_failure(error: BaseException) -> str:
    """One line naming why Discord could not be reached (never the token: no headers, no bodies)."""
    if isinstance(error, _DNS_ERROR):
        return f"cannot resolve {error.host} (no DNS: is the network up?)"
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error  # asyncio's message repeats the address; the errno's name says why
        reason = os.strerror(cause.errno) if cause.errno and cause.errno > 0 else (cause.strerror or str(cause))
        return f"cannot connect to {error.host}:{error.port} ({reason})"
    if isinstance(error, aiohttp.WSServerHandshakeError):
        return f"the gateway answered {error.status} {_phrase(error.status)}".rstrip()
    if isinstance(error, discord.HTTPException):
        return f"Discord answered {error.status} {error.response.reason or ''}".rstrip()
    if isinstance(error, discord.ConnectionClosed):
        return f"the gateway closed the connection (code {error.code})"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "the connection was closed before Discord answered"
    if isinstance(error, TimeoutError):
        return "Discord did not answer in time"
    if isinstance(error, OSError) and error.strerror:
        return f"network error: {error.strerror}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class Connection:
    """Logs `bot` in and keeps it on the gateway, retrying network failures with back-off."""

    def __init__(self, bot: discord.Client, token: str, timing: LifecycleTiming) -> None:
        self._bot = bot
        self._token = token
        self._timing = timing
        self.state = State.LOGGING_IN

    async def run(self) -> None:
        """Return when the bot is closed; raise LoginFailure or PrivilegedIntentsRequired."""
        await self._log_in()
        await self._stay_connected()

    async def _log_in(self) -> None:
        retries = self._timing.backoff.delays()
        attempt = 0
        while True:
            attempt += 1
            self.state = State.LOGGING_IN
            try:
                async with self._timing.deadline(self._timing.login_timeout):
                    await self._bot.login(self._token)
                return
            except TimeoutError:
                cause = f"Discord did not answer within {self._timing.login_timeout:g} s"
            except LOGIN_FAILURES as error:
                cause = describe_failure(error)
            await self._fresh_http_session()
            delay = next(retries)
            log.warning("cannot log in to Discord: %s; trying again in %.1f s (attempt %d)", cause, delay, attempt)
            await self._wait(delay)

    async def _fresh_http_session(self) -> None:
        # login() makes a new HTTP session each time, on the client's connector: close the old
        # one (and with it the connector, which it owns) and let the next login make both anew.
        await self._bot.http.close()
        self._bot.http.connector = MISSING

    async def _wait(self, delay: float) -> None:
        self.state = State.WAITING
        await self._timing.sleep(delay)

    async def _stay_connected(self) -> None:
        bot = self._bot
        retries = self._timing.backoff.delays()
        attempt = 0
        params: dict[str, Any] = {"initial": True, "shard_id": bot.shard_id}
        while not bot.is_closed():
            try:
                self.state = State.CONNECTING
                async with self._timing.deadline(self._timing.connect_timeout):
                    bot.ws = await DiscordWebSocket.from_client(bot, **params)
                params["initial"] = False
                self.state = State.CONNECTED
                retries, attempt = self._timing.backoff.delays(), 0  # the next outage starts short again
                while True:
                    await bot.ws.poll_event()
            except ReconnectWebSocket as request:
                # Discord asked for a reconnect (or the socket dropped resumably): at once, no back-off.
                bot.dispatch("disconnect")
                params.update(sequence=bot.ws.sequence, resume=request.resume, session=bot.ws.session_id)
                if request.resume:
                    params["gateway"] = bot.ws.gateway
                continue
            except GATEWAY_FAILURES as error:
                bot.dispatch("disconnect")
                if bot.is_closed():
                    return
                self._raise_if_fatal(error)
                attempt += 1
                delay = next(retries)
                log.warning(
                    "no connection to Discord's gateway: %s; trying again in %.1f s (attempt %d)",
                    describe_failure(error), delay, attempt,
                )
                await self._wait(delay)
                if bot.ws is not None:  # always try to RESUME; Discord invalidates what it cannot resume
                    params.update(sequence=bot.ws.sequence, gateway=bot.ws.gateway, resume=True,
                                  session=bot.ws.session_id)

    @staticmethod
    def _raise_if_fatal(error: BaseException) -> None:
        """Close codes that no retry can fix (discord.py's rules, plus a refused token)."""
        if not isinstance(error, discord.ConnectionClosed) or error.code == 1000:
            return  # Discord sometimes closes with 1000 for no reason: reconnect
        if error.code == CLOSE_DISALLOWED_INTENTS:
            raise discord.PrivilegedIntentsRequired(error.shard_id) from None
        if error.code == CLOSE_AUTHENTICATION_FAILED:
            raise discord.LoginFailure("the gateway refused the token") from None
        raise error


async def serve(
    bot: discord.Client, token: str, timing: LifecycleTiming | None = None, *, stop: asyncio.Event | None = None
) -> None:
    """Run `bot` until SIGTERM, Ctrl-C or `stop` is set, then close it within the grace; return when closed.

    Raises LoginFailure or PrivilegedIntentsRequired (the bot already closed) for the caller to
    explain; a network failure is never raised, only retried.
    """
    timing = timing or LifecycleTiming()
    stop = stop or asyncio.Event()
    connection = Connection(bot, token, timing)
    with _signals_set(stop):
        running = asyncio.create_task(connection.run(), name="discord-connection")
        stopping = asyncio.create_task(stop.wait(), name="shutdown-signal")
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():
                await _shut_down(bot, connection, running, timing.shutdown_grace)
                return
            running.result()  # a refused token, a disallowed intent (or a bug) is raised
        finally:
            stopping.cancel()
            if not running.done():  # serve itself was cancelled
                await _cancel(running)
            if not stop.is_set() and not bot.is_closed():
                await bot.close()


async def _shut_down(bot: discord.Client, connection: Connection, running: asyncio.Task[None], grace: float) -> None:
    """Close the bot, rounds first, within `grace` seconds, however unreachable Discord is."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    if connection.state is not State.CONNECTED:
        # Logging in, or waiting on the network: nothing to keep, and discord.py's close() would
        # wait for the attempt. Rounds still post their notices through REST where it answers.
        await _cancel(running)
    try:
        await asyncio.wait_for(bot.close(), max(0.0, deadline - loop.time()))
    except TimeoutError:
        log.warning("Discord did not let go within %g s of the shutdown; closing without it", grace)
        await bot.http.close()
    await _cancel(running)


async def _cancel(task: asyncio.Task[None]) -> None:
    """Cancel the connection and wait for it; what it raised meanwhile is logged, not lost."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # we are being cancelled ourselves, not only the connection
    except Exception:
        log.exception("the connection to Discord failed while the bot was shutting down")


@contextlib.contextmanager
def _signals_set(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM and Ctrl-C set `stop` while the bot runs (discord.py installs no handler with start())."""
    loop = asyncio.get_running_loop()

    def received(signame: str) -> None:
        if not stop.is_set():
            log.info("%s received: shutting down", signame)
        stop.set()

    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        # On Windows there are no loop signal handlers; Ctrl-C still raises KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, received, sig.name)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
