"""How reachable the fake is: its listening socket, and the outages tests switch on.

Three failure modes, each one a bot meets in production:

- **Network down** (`Listener.cut`): new connections are refused at the TCP level and every open
  one is reset, as when the host's network goes away or Discord cannot be reached at all. The
  port stays bound (to a socket that does not listen), so the kernel refuses connections to it
  and nobody else can take it before the network comes back on the same address.
- **Gateway down** (`Gateway.refusing`, in gateway.py): the websocket handshake is answered
  503, as Discord's edge answers while the gateway is out; REST still works.
- **REST not answering** (`RestStall`): requests are read and then held without an answer, as
  behind a stalled connection; the bot sees nothing until its own timeout.
"""

from __future__ import annotations

import asyncio
import socket

from aiohttp import web

from .waiting import ChangeNotifier


def _bound_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Reset connections leave nothing in TIME_WAIT, but a cleanly closed one may: rebinding the
    # same port after an outage must not depend on how the last connection ended.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


class Listener:
    """The fake's TCP socket: listening, or bound and refusing (network down)."""

    def __init__(self, runner: web.AppRunner, host: str) -> None:
        self._runner = runner
        self._host = host
        self._site: web.SockSite | None = None
        self._refusing: socket.socket | None = None
        self.port = 0

    @property
    def down(self) -> bool:
        """Whether connections are being refused."""
        return self._refusing is not None

    async def start(self) -> None:
        """Listen on a free port."""
        await self._listen(_bound_socket(self._host, 0))

    async def _listen(self, sock: socket.socket) -> None:
        self.port = sock.getsockname()[1]
        self._site = web.SockSite(self._runner, sock)
        await self._site.start()

    async def cut(self) -> None:
        """Refuse new connections and reset every open one (REST keep-alives and the gateway)."""
        if self._site is None:
            return
        site, self._site = self._site, None
        await site.stop()  # closes the listening socket
        self._refusing = _bound_socket(self._host, self.port)  # bound, not listening: refused
        server = self._runner.server
        for handler in server.connections if server is not None else []:
            transport = handler.transport
            if transport is not None:
                transport.abort()

    async def restore(self) -> None:
        """Accept connections again, on the same port."""
        if self._refusing is None:
            return
        sock, self._refusing = self._refusing, None
        await self._listen(sock)

    def close(self) -> None:
        """Release a refusing socket (the runner's cleanup stops a listening one)."""
        if self._refusing is not None:
            self._refusing.close()
            self._refusing = None


class RestStall:
    """Holds REST requests unanswered while on; lets them through when switched off."""

    def __init__(self, notifier: ChangeNotifier) -> None:
        self._notifier = notifier
        self._answering = asyncio.Event()
        self._answering.set()
        self.held: list[str] = []  # "METHOD /route" of each request waiting for an answer now

    @property
    def on(self) -> bool:
        """Whether requests are being held."""
        return not self._answering.is_set()

    def start(self) -> None:
        """Hold every REST request from now on."""
        self._answering.clear()

    def stop(self) -> None:
        """Answer the held requests and every later one."""
        self._answering.set()

    async def hold(self, key: str) -> None:
        """Wait while the stall is on (called by the server for each REST request)."""
        if self._answering.is_set():
            return
        self.held.append(key)
        self._notifier.notify()
        try:
            await self._answering.wait()
        finally:
            self.held.remove(key)
