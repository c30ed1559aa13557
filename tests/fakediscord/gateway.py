"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, sequence numbers and RESUME replay.

Sharding as Discord does it: an IDENTIFY may carry `shard: [shard_id, shard_count]`; a session
then gets only the servers of its shard, `(guild_id >> 22) % shard_count` (READY, GUILD_CREATE,
every event and interaction of those servers), and direct messages go to shard 0. A shard array
that is malformed, or whose count differs from the count the bot's live sessions use, is closed
with 4010 (Invalid shard); a shard that would hold more than MAX_GUILDS_PER_SHARD servers with
4011 (Sharding required). Each shard has its own session, resumed on its own.

Opcodes and close codes: https://discord.com/developers/docs/topics/opcodes-and-status-codes
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import WSMsgType, web

from .waiting import ChangeNotifier
from .world import INTENT_GUILD_MEMBERS, INTENT_GUILD_PRESENCES, INTENT_MESSAGE_CONTENT, Payload

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_VOICE_STATE_UPDATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11
OP_REQUEST_SOUNDBOARD_SOUNDS = 31
CLIENT_OPS = frozenset({OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE_UPDATE, OP_VOICE_STATE_UPDATE, OP_RESUME,
                        OP_REQUEST_GUILD_MEMBERS, OP_REQUEST_SOUNDBOARD_SOUNDS})

CLOSE_UNKNOWN_ERROR = 4000
CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_SHARDING_REQUIRED = 4011
CLOSE_INVALID_API_VERSION = 4012
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014

PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT
ALL_INTENTS = (1 << 26) - 1
SUPPORTED_API_VERSIONS = ("9", "10")
MAX_GUILDS_PER_SHARD = 2500  # Discord requires sharding from 2,500 servers per session
# Events about a server that carry its id as "id" rather than "guild_id".
_GUILD_ID_IN_ID = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a server's events (direct messages, no server: shard 0)."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


def _guild_id(event: str, data: dict[str, Any]) -> int | None:
    raw = data.get("guild_id") or (data.get("id") if event in _GUILD_ID_IN_ID else None)
    return int(raw) if raw is not None else None


class GatewayHost(Protocol):
    """What the gateway needs from the fake."""

    token: str
    heartbeat_interval_ms: int
    enabled_privileged_intents: int

    def guild_ids(self) -> list[int]: ...

    def ready_payload(self, session_id: str, resume_url: str, shard: tuple[int, int]) -> dict[str, Any]: ...

    def guild_create_payloads(self, intents: int, shard: tuple[int, int]) -> list[dict[str, Any]]: ...

    def record_gateway_rejection(self, op: str, close_code: int, reason: str) -> None: ...


@dataclass(eq=False)
class Session:
    """A gateway session: survives dropped connections until invalidated, so it can be resumed."""

    id: str
    intents: int
    shard: tuple[int, int] = (0, 1)  # (shard id, shard count)
    seq: int = 0
    # Every dispatch sent in this session, so a RESUME can replay what the client missed.
    buffer: list[tuple[int, str]] = field(default_factory=list)
    connection: Connection | None = None
    invalidated: bool = False
    live: bool = False

    def frame(self, event: str, data: dict[str, Any]) -> tuple[int, str]:
        """Assign the next sequence number and remember the frame for replay."""
        self.seq += 1
        text = json.dumps({"op": OP_DISPATCH, "s": self.seq, "t": event, "d": data})
        self.buffer.append((self.seq, text))
        return self.seq, text


class Connection:
    """One websocket; frames go out in order through a queue drained by a writer task."""

    def __init__(self, ws: web.WebSocketResponse, path: str) -> None:
        self.ws = ws
        self.path = path
        self.session: Session | None = None
        self._queue: asyncio.Queue[tuple[str, asyncio.Future[bool]]] = asyncio.Queue()
        self._writer = asyncio.create_task(self._drain())
        self._last: asyncio.Future[bool] | None = None
        self.closed = False

    def enqueue(self, text: str) -> asyncio.Future[bool]:
        """Queue a frame; the future says whether it was written."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self.closed:
            future.set_result(False)
        else:
            self._queue.put_nowait((text, future))
            self._last = future
        return future

    def send_op(self, op: int, data: Any) -> asyncio.Future[bool]:
        """Queue a non-dispatch frame."""
        return self.enqueue(json.dumps({"op": op, "s": None, "t": None, "d": data}))

    async def _drain(self) -> None:
        while True:
            text, future = await self._queue.get()
            try:
                await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                future.set_result(False)
            else:
                future.set_result(True)

    async def flush(self, timeout: float) -> None:
        """Wait for the last queued frame to be written."""
        if self._last is not None and not self._last.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._last), timeout)

    async def close(self, code: int, message: str = "") -> None:
        """Flush what is queued (so e.g. INVALID_SESSION arrives), then close with `code`."""
        if self.closed:
            return
        self.closed = True
        await self.flush(1.0)
        await self._stop_writer()
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, message=message.encode())

    async def _stop_writer(self) -> None:
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        while not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_result(False)

    async def abandon(self) -> None:
        """Stop writing after the peer went away."""
        self.closed = True
        await self._stop_writer()


class Gateway:
    """Serves gateway websockets and keeps the session of each shard."""

    def __init__(self, host: GatewayHost, resume_url: Callable[[], str]) -> None:
        self._host = host
        self._resume_url = resume_url
        self.sessions: dict[str, Session] = {}
        self.by_shard: dict[int, Session] = {}  # the current (resumable) session of each shard id
        self.max_guilds_per_shard = MAX_GUILDS_PER_SHARD
        self.connections: list[Connection] = []
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.dispatched: list[tuple[int, str]] = []
        # Sequence numbers replayed by each successful RESUME, oldest resume first.
        self.replays: list[list[int]] = []
        self.changes = ChangeNotifier()
        self._closing: set[asyncio.Task[None]] = set()
        # Gateway down (network.py): handshakes are answered 503 and counted.
        self.refusing = False
        self.refused_handshakes = 0

    @property
    def current(self) -> Session | None:
        """Shard 0's session (the only one of an unsharded bot)."""
        return self.by_shard.get(0)

    @property
    def shard_count(self) -> int:
        """The shard count the bot's sessions use (1 before any IDENTIFY)."""
        live = [s.shard[1] for s in self.by_shard.values() if not s.invalidated]
        return live[0] if live else 1

    def session_for(self, guild_id: int | None) -> Session | None:
        """The session that receives a server's events (shard 0's for direct messages)."""
        return self.by_shard.get(shard_of(guild_id, self.shard_count))

    def is_live(self, shard_id: int = 0) -> bool:
        """The shard's session is live on an open connection (READY or RESUMED sent)."""
        session = self.by_shard.get(shard_id)
        return bool(session and session.live and session.connection and not session.connection.closed)

    @property
    def connected(self) -> bool:
        """Shard 0's session is live on an open connection (READY or RESUMED sent)."""
        return self.is_live(0)

    # -- dispatching ---------------------------------------------------------------------------

    def dispatch_nowait(self, event: str, payload: Payload, intent: int = 0, *,
                        guild_id: int | None = None) -> asyncio.Future[bool] | None:
        """Send a dispatch in the session of the event's shard (buffered for resume if the socket is down).

        The server is `guild_id`, or read from the payload; a payload given as a function (rendered
        per session) names its server with `guild_id`. Returns None when that shard has no
        session or the session's intents exclude the event.
        """
        if guild_id is None and not callable(payload):
            guild_id = _guild_id(event, payload)
        session = self.session_for(guild_id)
        if session is None or session.invalidated:
            return None
        if intent and not session.intents & intent:
            return None
        data = payload(session.intents) if callable(payload) else payload
        seq, text = session.frame(event, data)
        self.dispatched.append((seq, event))
        connection = session.connection
        if connection is None or connection.closed:
            future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            future.set_result(False)
            return future
        return connection.enqueue(text)

    async def dispatch(self, event: str, payload: Payload, intent: int = 0, *, guild_id: int | None = None) -> bool:
        """Dispatch and wait until the frame is written; False if it was only buffered/dropped."""
        future = self.dispatch_nowait(event, payload, intent, guild_id=guild_id)
        return bool(future and await future)

    # -- test controls ------------------------------------------------------------------------

    async def drop(self, code: int = CLOSE_UNKNOWN_ERROR, *, invalidate: bool = False, shard_id: int = 0) -> None:
        """Kill the live connection; the session stays resumable unless `invalidate`.

        Returns without yielding to the event loop: the session is detached at once, so anything
        dispatched right after this call is guaranteed to be missed by the client (and replayed on
        RESUME); the socket itself closes in the background.
        """
        session = self.by_shard.get(shard_id)
        if session is None or session.connection is None:
            raise RuntimeError("no gateway connection to drop")
        connection = session.connection
        session.connection = None
        session.live = False
        self.changes.notify()
        if invalidate:
            # Opcode 9 with d=false: the session cannot be resumed; the client must IDENTIFY again.
            session.invalidated = True
            connection.send_op(OP_INVALID_SESSION, False)
            closing = connection.close(CLOSE_UNKNOWN_ERROR, "session invalidated")
        else:
            closing = connection.close(code, "dropped by test")
        task = asyncio.create_task(closing)
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def request_reconnect(self) -> None:
        """Send opcode 7 RECONNECT: the client closes and resumes."""
        session = self.current
        if session is None or session.connection is None:
            raise RuntimeError("no gateway connection")
        await session.connection.send_op(OP_RECONNECT, None)

    async def flush(self, timeout: float = 2.0) -> None:
        """Wait until frames queued on every shard's live connection are written."""
        for session in list(self.by_shard.values()):
            if session.connection is not None:
                await session.connection.flush(timeout)

    async def wait_until_connected(self, timeout: float, shard_id: int = 0) -> None:
        """Wait for a live session of the shard on an open socket."""
        what = f"a live gateway session (shard {shard_id})"
        await self.changes.wait_for(lambda: self.is_live(shard_id), timeout, what)

    async def close_all(self) -> None:
        """Close every socket (server shutdown: 1001 going away)."""
        for connection in list(self.connections):
            await connection.close(1001, "server shutting down")
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    # -- websocket handler -------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """aiohttp handler for ws://host/ (and the resume URL)."""
        if self.refusing:
            # What Discord's edge answers while the gateway is out: no upgrade, a 503.
            self.refused_handshakes += 1
            self.changes.notify()
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse(timeout=2.0, max_msg_size=0)
        await ws.prepare(request)
        connection = Connection(ws, request.path)
        self.connections.append(connection)
        try:
            version = request.query.get("v", "10")
            encoding = request.query.get("encoding", "json")
            if version not in SUPPORTED_API_VERSIONS:
                await self._reject(connection, "CONNECT", CLOSE_INVALID_API_VERSION, f"API version {version}")
                return ws
            if encoding != "json":
                await self._reject(connection, "CONNECT", CLOSE_DECODE_ERROR, f"encoding {encoding} unsupported")
                return ws
            connection.send_op(OP_HELLO, {"heartbeat_interval": self._host.heartbeat_interval_ms,
                                          "_trace": ["fakediscord-gateway"]})
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self._on_text(connection, message.data)
                elif message.type == WSMsgType.BINARY:
                    # discord.py sends JSON text frames; ETF/binary would be a client bug here.
                    await self._reject(connection, "FRAME", CLOSE_DECODE_ERROR, "binary frame")
                if connection.closed:
                    break
        finally:
            await self._on_disconnect(connection, ws.close_code)
        return ws

    async def _on_disconnect(self, connection: Connection, client_code: int | None) -> None:
        await connection.abandon()
        if connection in self.connections:
            self.connections.remove(connection)
        session = connection.session
        if session is not None and session.connection is connection:
            session.connection = None
            session.live = False
            # Discord ends the session when the client closes with 1000/1001 (a clean logout).
            if client_code in (1000, 1001):
                session.invalidated = True
        self.changes.notify()

    async def _reject(self, connection: Connection, op: str, code: int, reason: str) -> None:
        self._host.record_gateway_rejection(op, code, reason)
        await connection.close(code, reason)

    async def _on_text(self, connection: Connection, text: str) -> None:
        try:
            frame = json.loads(text)
            op = frame["op"]
        except (ValueError, KeyError, TypeError):
            await self._reject(connection, "FRAME", CLOSE_DECODE_ERROR, "undecodable payload")
            return
        data = frame.get("d")
        if op not in CLIENT_OPS:
            await self._reject(connection, f"OP {op}", CLOSE_UNKNOWN_OPCODE, f"unknown opcode {op}")
        elif op == OP_HEARTBEAT:
            self.heartbeat_count += 1
            connection.send_op(OP_HEARTBEAT_ACK, None)
        elif op == OP_IDENTIFY:
            await self._identify(connection, data or {})
        elif op == OP_RESUME:
            await self._resume(connection, data or {})
        elif connection.session is None:
            await self._reject(connection, f"OP {op}", CLOSE_NOT_AUTHENTICATED,
                               "payload sent before IDENTIFY/RESUME")
        # Presence, voice state and member/soundboard requests are accepted and ignored.

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if connection.session is not None:
            await self._reject(connection, "IDENTIFY", CLOSE_ALREADY_AUTHENTICATED, "identified twice")
            return
        if data.get("token") != self._host.token:
            await self._reject(connection, "IDENTIFY", CLOSE_AUTHENTICATION_FAILED, "wrong token")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents & ~ALL_INTENTS or intents < 0:
            # Gateway v10 requires intents on IDENTIFY.
            await self._reject(connection, "IDENTIFY", CLOSE_INVALID_INTENTS, f"invalid intents {intents!r}")
            return
        missing = intents & PRIVILEGED_INTENTS & ~self._host.enabled_privileged_intents
        if missing:
            await self._reject(connection, "IDENTIFY", CLOSE_DISALLOWED_INTENTS,
                               f"privileged intents not enabled for this app: {missing}")
            return
        shard = self._check_shard(data.get("shard", [0, 1]))
        if isinstance(shard, str):
            await self._reject(connection, "IDENTIFY", CLOSE_INVALID_SHARD, shard)
            return
        servers = sum(shard_of(g, shard[1]) == shard[0] for g in self._host.guild_ids())
        if servers > self.max_guilds_per_shard:
            limit = self.max_guilds_per_shard
            await self._reject(connection, "IDENTIFY", CLOSE_SHARDING_REQUIRED,
                               f"shard {list(shard)} would hold {servers} servers (at most {limit})")
            return
        previous = self.by_shard.get(shard[0])
        if previous is not None:
            previous.invalidated = True
        session = Session(id=secrets.token_hex(16), intents=intents, shard=shard)
        self.sessions[session.id] = session
        self.by_shard[shard[0]] = session
        session.connection = connection
        connection.session = session
        self.identify_count += 1
        ready = self._host.ready_payload(session.id, self._resume_url(), shard)
        self._send_in_session(session, "READY", ready)
        for guild in self._host.guild_create_payloads(intents, shard):
            self._send_in_session(session, "GUILD_CREATE", guild)
        session.live = True
        self.changes.notify()

    def _check_shard(self, raw: Any) -> tuple[int, int] | str:
        """The (id, count) of an IDENTIFY's shard array, or why Discord would refuse it."""
        valid = (isinstance(raw, list) and len(raw) == 2
                 and all(isinstance(n, int) and not isinstance(n, bool) for n in raw)
                 and raw[1] >= 1 and 0 <= raw[0] < raw[1])
        if not valid:
            return f"invalid shard {raw!r}"
        others = {s.shard[1] for i, s in self.by_shard.items() if i != raw[0] and not s.invalidated}
        if others and others != {raw[1]}:
            return f"shard {raw!r}: the bot's other sessions use {sorted(others)[0]} shards"
        return raw[0], raw[1]

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self._host.token:
            await self._reject(connection, "RESUME", CLOSE_AUTHENTICATION_FAILED, "wrong token")
            return
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq") or 0
        if (session is None or session.invalidated or self.by_shard.get(session.shard[0]) is not session
                or seq > session.seq):
            # Not resumable: opcode 9 d=false tells the client to IDENTIFY from scratch.
            self._host.record_gateway_rejection("RESUME", 0, "session not resumable -> INVALID_SESSION")
            connection.send_op(OP_INVALID_SESSION, False)
            return
        previous = session.connection
        if previous is not None and previous is not connection:
            await previous.close(CLOSE_UNKNOWN_ERROR, "superseded by resume")
        session.connection = connection
        connection.session = session
        missed = [(s, text) for s, text in session.buffer if s > seq]
        for _, text in missed:
            connection.enqueue(text)
        self.replays.append([s for s, _ in missed])
        self.resume_count += 1
        self._send_in_session(session, "RESUMED", {"_trace": ["fakediscord-gateway"]})
        session.live = True
        self.changes.notify()

    def _send_in_session(self, session: Session, event: str, data: dict[str, Any]) -> None:
        seq, text = session.frame(event, data)
        self.dispatched.append((seq, event))
        assert session.connection is not None
        session.connection.enqueue(text)
