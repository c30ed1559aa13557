"""A PostgreSQL server for the test run, and a fresh schema in it for each test.

The server is the one `TEST_DATABASE_URL` names, or else a throwaway one that the `pgserver`
package (PostgreSQL binaries on PyPI) starts in a temporary folder in about a second, so the
README's one test command needs nothing installed beside the package. A run that cannot start a
server fails: the PostgreSQL half of the suite is never skipped.

Each test gets its own schema (instant to create, unlike a database) through the URL's
`search_path`, which asyncpg passes to the server as a setting of every connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

__all__ = ["Outage", "fresh_schema", "postgres_server", "with_search_path"]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of a PostgreSQL server that lasts while the block runs."""
    configured = os.environ.get("TEST_DATABASE_URL", "").strip()
    if configured:
        yield configured
        return
    import pgserver

    folder = tempfile.mkdtemp(prefix="bot-tests-postgres-")
    server = pgserver.get_server(folder, cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def with_search_path(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}"


@contextlib.asynccontextmanager
async def fresh_schema(server_url: str) -> AsyncIterator[str]:
    """Yield a URL whose connections work in a new, empty schema; drop it afterwards."""
    async with new_schema(server_url) as schema:
        yield with_search_path(server_url, schema)


@contextlib.asynccontextmanager
async def new_schema(server_url: str) -> AsyncIterator[str]:
    """Yield the name of a new, empty schema on the server; drop it afterwards."""
    schema = f"test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield schema
        finally:
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        await admin.close()


def _target(server_url: str) -> tuple[str | None, int, str]:
    """(host or None, port, unix socket path or "") of the server a URL names."""
    parts = urlsplit(server_url)
    query = dict(parse_qsl(parts.query))
    host = query.get("host") or parts.hostname or "localhost"
    port = int(query.get("port") or parts.port or 5432)
    if host.startswith("/"):
        return None, port, f"{host}/.s.PGSQL.{port}"
    return host, port, ""


class Outage:
    """A TCP proxy in front of the test server that can drop every connection, as a failover does.

    `url(schema)` is a URL through the proxy; `cut()` closes every open connection and refuses new
    ones until `restore()`. `cut(server_too=False)` closes only the client's side, so the server
    keeps the old connections (and their locks) until something ends them, as after a network
    failure the server has not noticed.
    """

    def __init__(self, server_url: str) -> None:
        self._server_url = server_url
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()
        self._client_sides: set[asyncio.StreamWriter] = set()
        self._lingering: set[asyncio.StreamWriter] = set()  # server sides a half cut leaves open
        self._half_cut = False
        self.down = False

    async def __aenter__(self) -> Outage:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        self._drop()
        await self._server.wait_closed()

    def url(self, schema: str) -> str:
        parts = urlsplit(self._server_url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("host", "port")]
        query.append(("search_path", schema))
        user = parts.username or "postgres"
        password = f":{parts.password}" if parts.password else ""
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return urlunsplit(("postgresql", f"{user}{password}@127.0.0.1:{port}", parts.path, urlencode(query), ""))

    def cut(self, *, server_too: bool = True) -> None:
        self.down = True
        if server_too:
            self._drop()
            return
        self._half_cut = True
        for writer in list(self._client_sides):
            writer.transport.abort()

    def restore(self) -> None:
        self.down = False
        self._half_cut = False

    def _drop(self) -> None:
        for writer in list(self._pipes | self._lingering):
            writer.transport.abort()
        self._pipes.clear()
        self._lingering.clear()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.down:
            client_writer.transport.abort()
            return
        host, port, socket_path = _target(self._server_url)
        if socket_path:
            server_reader, server_writer = await asyncio.open_unix_connection(socket_path)
        else:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        self._pipes |= {client_writer, server_writer}
        self._client_sides.add(client_writer)
        await asyncio.gather(
            self._pump(client_reader, server_writer), self._pump(server_reader, client_writer), return_exceptions=True
        )

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            self._pipes.discard(writer)
            if self._half_cut and writer not in self._client_sides:
                self._lingering.add(writer)  # the server is not told: its side stays open
            else:
                self._client_sides.discard(writer)
                writer.transport.abort()
