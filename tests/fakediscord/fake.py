"""FakeDiscord: the loopback Discord (REST + gateway) that end-to-end tests point discord.py at."""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web
from aiohttp import web_app as _aiohttp_web_app

from .attachments import AttachedFile, AttachmentCdn
from .clock import Clock
from .commands import CommandRegistry, SyncCall
from .gateway import PRIVILEGED_INTENTS, Gateway, shard_of
from .interactions import InteractionRecord
from .invoking import InteractionSender
from .messages import StoredMessage
from .network import Listener, RestStall
from .posting import MessageService
from .ratelimits import RateLimiter, RateLimits
from .server import InjectedFault, Rejection, RequestRecord, build_app
from .snowflakes import SnowflakeFactory
from .waiting import ChangeNotifier
from .world import INTENT_GUILD_PRESENCES, Channel, Guild, Member, User, World

# Application flags for privileged intents enabled in the portal (the "_LIMITED" variants that
# apps in fewer than 100 guilds get): presences 1<<13, members 1<<15, message content 1<<19.
_INTENT_APP_FLAGS = {1 << 8: 1 << 13, 1 << 1: 1 << 15, 1 << 15: 1 << 19}


def _forget_cached_handlers() -> None:
    """Drop aiohttp's module-wide cache of middleware chains (up to 1,024 of them).

    Its keys are our bound route handlers, so without this every closed fake, with its whole world
    and history, stays alive until a thousand newer chains push it out: a test suite or a
    benchmark that starts many fakes grows, and its garbage collections slow down with it.
    The cache is private to aiohttp; if a version drops it, there is nothing to clear.
    """
    cached = getattr(_aiohttp_web_app, "_cached_build_middleware", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


class FakeDiscord:
    """A strict, in-process fake of Discord's REST API and gateway on 127.0.0.1."""

    def __init__(
        self,
        token: str = "fake-bot-token",
        *,
        bot_name: str = "FakeBot",
        application_name: str | None = None,
        heartbeat_interval_ms: int = 41_250,
        interaction_deadline: float = 3.0,
        token_lifetime: float = 15 * 60.0,
        enabled_privileged_intents: int = 0,
        clock: Clock | None = None,
        rate_limits: RateLimits | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # Discord: the initial response must come within 3 s; tests may shorten this.
        self.interaction_deadline = interaction_deadline
        # Discord: interaction tokens (followups, edits) stay valid for 15 minutes.
        self.token_lifetime = token_lifetime
        self.enabled_privileged_intents = enabled_privileged_intents & PRIVILEGED_INTENTS
        self.clock = clock or Clock()
        # Discord's global, per-route and invalid-request limits, always on (tests of the fake
        # itself may shrink them to prove a rule).
        self.limiter = RateLimiter(self.clock, rate_limits or RateLimits())
        self.host = host
        self.ids = SnowflakeFactory()
        self.bot_user = User(self.ids.next(), bot_name, bot=True)
        self.application_name = application_name or bot_name
        self._application_id = self.bot_user.id  # like modern apps: application id == bot user id
        self.owner_user = User(self.ids.next(), f"{bot_name.lower()}-developer")
        self._verify_key = secrets.token_hex(32)
        self._notifier = ChangeNotifier()
        self.gateway = Gateway(self, lambda: self.resume_gateway_url)
        # What GET /gateway/bot recommends; Discord's is about one shard per 1,000 servers.
        self.recommended_shards = 1
        self.world = World(self.ids, self.bot_user, self.gateway.dispatch_nowait)
        self.world.users[self.owner_user.id] = self.owner_user
        self.commands = CommandRegistry(self.ids, self._application_id)
        self.posting = MessageService(ids=self.ids, world=self.world, gateway=self.gateway, notifier=self._notifier)
        self._sender = InteractionSender(ids=self.ids, application_id=self._application_id, world=self.world,
                                         commands=self.commands, gateway=self.gateway, clock=self.clock,
                                         notifier=self._notifier)
        # Files users attach to commands, served at signed CDN links (no token needed, like Discord's CDN).
        self.cdn = AttachmentCdn(self.ids, time.time)
        self.sync_calls: list[SyncCall] = []
        self.requests: list[RequestRecord] = []
        self.rejections: list[Rejection] = []
        self._faults: list[InjectedFault] = []
        self.rest_stall = RestStall(self._notifier)
        self._runner: web.AppRunner | None = None
        self._listener: Listener | None = None
        self._port: int | None = None

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of `host`."""
        if self._runner is not None:
            raise RuntimeError("already started")
        runner = web.AppRunner(build_app(self), access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        listener = Listener(runner, self.host)
        await listener.start()
        self._port = listener.port
        self._runner, self._listener = runner, listener

    async def close(self) -> None:
        """Close gateway sockets and stop the server."""
        if self._runner is None:
            return
        self.rest_stall.stop()  # held requests are answered, so the server's shutdown need not wait
        await self.gateway.close_all()
        with contextlib.suppress(Exception):
            await self._runner.cleanup()
        if self._listener is not None:
            self._listener.close()
        self._runner = self._listener = None
        _forget_cached_handlers()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    # -- addresses and identities ------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port (after start())."""
        if self._port is None:
            raise RuntimeError("call start() first")
        return self._port

    @property
    def rest_base(self) -> str:
        """Value for discord.http.Route.BASE."""
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for DiscordWebSocket.DEFAULT_GATEWAY."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        """The resume_gateway_url sent in READY (a distinct path, so tests can see it was used)."""
        return f"ws://{self.host}:{self.port}/resume"

    @property
    def application_id(self) -> int:
        """The application's id."""
        return self._application_id

    @property
    def bot_user_id(self) -> int:
        """The bot user's id."""
        return self.bot_user.id

    @property
    def identify_count(self) -> int:
        """Successful IDENTIFYs."""
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        """Successful RESUMEs."""
        return self.gateway.resume_count

    @property
    def heartbeat_count(self) -> int:
        """Heartbeats received."""
        return self.gateway.heartbeat_count

    @property
    def connected(self) -> bool:
        """The bot has a live gateway session."""
        return self.gateway.connected

    def notify(self) -> None:
        """Wake waiters: something observable changed."""
        self._notifier.notify()

    # -- world -------------------------------------------------------------------------------

    @property
    def guilds(self) -> list[Guild]:
        """Guilds the bot is in."""
        return list(self.world.guilds.values())

    def add_guild(self, name: str, *, owner: User | None = None, bot_permissions: Any = None,
                  locale: str = "en-US", shard: tuple[int, int] | None = None) -> Guild:
        """A guild with the bot in it (GUILD_CREATE is dispatched if the bot is connected).

        `shard` (shard id, shard count) gives it an id on that shard.
        """
        return self.world.add_guild(name, owner=owner, bot_permissions=bot_permissions, locale=locale, shard=shard)

    def add_user(self, name: str, *, global_name: str | None = None, locale: str = "en-US") -> User:
        """A user in no guild (for DMs)."""
        return self.world.add_user(name, global_name=global_name, locale=locale)

    def dm_channel(self, user: User | Member) -> Channel:
        """The bot's DM channel with `user`."""
        return self.world.dm_channel(user)

    async def delete_channel(self, channel: Channel) -> None:
        """Delete a channel; dispatches CHANNEL_DELETE (THREAD_DELETE for threads)."""
        self.world.remove_channel(channel)
        self.notify()
        await self.flush()

    def messages(self, channel: Channel, *, include_ephemeral: bool = True) -> list[StoredMessage]:
        """Messages in a channel, oldest first, current state."""
        return [m for m in channel.messages if include_ephemeral or not m.ephemeral]

    async def wait_for_message(self, channel: Channel, predicate: Callable[[StoredMessage], Any] | None = None,
                               timeout: float = 2.0) -> StoredMessage:
        """The oldest message in `channel` matching predicate (checked again after every change)."""

        def check() -> StoredMessage | None:
            return next((m for m in channel.messages if predicate is None or predicate(m)), None)

        return await self._notifier.wait_for(check, timeout, f"a matching message in {channel!r}")

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 2.0, what: str = "the condition") -> None:
        """Wait until predicate() is truthy, re-checked whenever the fake's state changes."""
        await self._notifier.wait_for(lambda: bool(predicate()) or None, timeout, what)

    # -- gateway controls --------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any], intent: int = 0) -> bool:
        """Send a raw dispatch event to the bot."""
        return await self.gateway.dispatch(event, data, intent)

    async def flush(self) -> None:
        """Wait until queued gateway frames are written to the socket."""
        await self.gateway.flush()

    async def drop_connection(self, code: int = 4000, *, invalidate: bool = False) -> None:
        """Close the bot's gateway socket (it resumes), or invalidate the session (it re-identifies)."""
        await self.gateway.drop(code, invalidate=invalidate)

    async def request_reconnect(self) -> None:
        """Send opcode 7 RECONNECT."""
        await self.gateway.request_reconnect()

    async def wait_until_connected(self, timeout: float = 5.0) -> None:
        """Wait for a live gateway session (after READY or RESUMED)."""
        await self.gateway.wait_until_connected(timeout)

    # -- outages (see network.py) ------------------------------------------------------------

    async def cut_network(self) -> None:
        """Network down: refuse new connections at the TCP level and reset every open one."""
        if self._listener is None:
            raise RuntimeError("call start() first")
        await self._listener.cut()
        self.notify()

    async def restore_network(self) -> None:
        """Network back: accept connections again on the same address."""
        if self._listener is None:
            raise RuntimeError("call start() first")
        await self._listener.restore()
        self.notify()

    @property
    def network_down(self) -> bool:
        """Whether connections are being refused."""
        return self._listener is not None and self._listener.down

    async def refuse_gateway(self) -> None:
        """Gateway down, REST up: drop the live gateway connection and answer new handshakes 503."""
        self.gateway.refusing = True
        if self.gateway.current is not None and self.gateway.current.connection is not None:
            await self.gateway.drop()

    def accept_gateway(self) -> None:
        """Gateway back: handshakes are accepted again."""
        self.gateway.refusing = False

    def stall_rest(self) -> None:
        """REST stops answering: every request from now on is held without a response."""
        self.rest_stall.start()

    def answer_rest(self) -> None:
        """REST answers again, the held requests first."""
        self.rest_stall.stop()

    @property
    def held_requests(self) -> list[str]:
        """The REST requests held unanswered right now ("GET /users/@me", ...)."""
        return list(self.rest_stall.held)

    # -- REST fault injection ----------------------------------------------------------------

    def fail_next(self, method: str, route: str, *, status: int = 500, code: int = 0,
                  message: str = "500: Internal Server Error", count: int = 1) -> None:
        """Answer the next `count` requests to `route` (e.g. "/channels/{channel_id}/messages") with an error."""
        self._faults.append(InjectedFault(method.upper(), route, status, {"message": message, "code": code},
                                          remaining=count))

    def rate_limit_next(self, method: str, route: str, *, retry_after: float = 0.05, count: int = 1) -> None:
        """Answer with 429 like Discord (discord.py needs the Via header to trust it and retries)."""
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False, "code": 0}
        headers = {"Retry-After": str(retry_after), "X-RateLimit-Scope": "user", "Via": "1.1 google"}
        self._faults.append(InjectedFault(method.upper(), route, 429, body, headers, remaining=count))

    def take_fault(self, method: str, route: str) -> InjectedFault | None:
        """Consume a matching injected fault (used by the server)."""
        for fault in self._faults:
            if fault.matches(method, route):
                fault.remaining -= 1
                return fault
        return None

    @property
    def rate_limited(self) -> list[Rejection]:
        """Requests the rate limits refused with a 429 (injected faults are not listed)."""
        return [r for r in self.rejections if r.status == 429]

    @property
    def invalid_request_count(self) -> int:
        """Requests that count toward Discord's invalid-request limit (401, 403, 429)."""
        return self.limiter.invalid_count

    def assert_no_rejections(self) -> None:
        """Fail listing every refused request (for the end of e2e tests)."""
        if self.rejections:
            listing = "\n  ".join(str(r) for r in self.rejections)
            raise AssertionError(f"the fake refused {len(self.rejections)} request(s):\n  {listing}")

    # -- commands -----------------------------------------------------------------------------

    def registered_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """Commands registered globally (or for `guild`)."""
        return self.commands.commands(guild.id if guild is not None else None)

    def command(self, name: str, guild: Guild | None = None) -> dict[str, Any]:
        """A registered command as a user in `guild` (None: DMs) would find it."""
        found = self.commands.find(name, guild_id=guild.id if guild is not None else None)
        if found is None:
            raise KeyError(name)
        return found

    # -- interactions (see invoking.py) -----------------------------------------------------

    @property
    def interactions(self) -> list[InteractionRecord]:
        """Every interaction sent, oldest first."""
        return self._sender.records

    @property
    def interactions_by_id(self) -> dict[str, InteractionRecord]:
        """Interactions by id (as a string, like the callback URL carries it)."""
        return self._sender.by_id

    @property
    def interactions_by_token(self) -> dict[str, InteractionRecord]:
        """Interactions by token (the interaction webhook's token)."""
        return self._sender.by_token

    def grant_command(self, guild: Guild, command: str, member: Member) -> None:
        """Let `member` see a command despite its default_member_permissions, as a server admin can
        in Server Settings → Integrations (so the bot's own permission check is what stops them)."""
        self._sender.command_overrides.add((guild.id, command, member.user.id))

    def sent_file(self, attachment: dict[str, Any]) -> bytes:
        """The bytes of a file the bot sent, by its attachment object in a message."""
        return self.posting.file_data[str(attachment["id"])]

    def attach(self, channel: Channel, filename: str, data: bytes, *, content_type: str | None = None) -> AttachedFile:
        """A file a user attaches to a command in `channel` (pass it as the attachment option's value);
        the CDN serves it at its `url` from now on. content_type defaults to a guess from the name."""
        return self.cdn.upload(f"http://{self.host}:{self.port}", channel.id, filename, data, content_type)

    async def invoke(self, guild: Guild | None, channel: Channel | None, user: Member | User, command: str,
                     /, **options: Any) -> InteractionRecord:
        """Run a slash command by full name ("quiz start"), option values as keyword arguments."""
        return await self._sender.invoke(guild, channel, user, command, **options)

    async def autocomplete(self, guild: Guild | None, channel: Channel | None, user: Member | User, command: str,
                           /, *, option: str, value: Any, **options: Any) -> InteractionRecord:
        """Send an autocomplete interaction with `option` focused and `value` typed so far."""
        return await self._sender.autocomplete(guild, channel, user, command, option=option, value=value,
                                               **options)

    async def invoke_unchecked(self, guild: Guild | None, channel: Channel | None, user: Member | User,
                               command: str, /, options: list[dict[str, Any]], *,
                               resolved: dict[str, Any] | None = None,
                               autocomplete: bool = False) -> InteractionRecord:
        """Send options exactly as given, as a stale or hostile client can (see InteractionSender)."""
        return await self._sender.invoke_unchecked(guild, channel, user, command, options, resolved=resolved,
                                                   autocomplete=autocomplete)

    async def click(self, message: StoredMessage, custom_id: str, user: Member | User, *,
                    stale: bool = False) -> InteractionRecord:
        """Click a button on a message the bot sent (stale=True: as the message was first sent)."""
        return await self._sender.click(message, custom_id, user, stale=stale)

    async def select(self, message: StoredMessage, custom_id: str, user: Member | User,
                     values: list[Any]) -> InteractionRecord:
        """Pick values (strings, or Users/Members/Roles/Channels for those selects) in a select menu."""
        return await self._sender.select(message, custom_id, user, values)

    async def submit_modal(self, opened_by: InteractionRecord, values: Mapping[str, str | list[str]],
                           user: Member | User | None = None, *, unchecked: bool = False) -> InteractionRecord:
        """Submit the modal the bot opened in answer to `opened_by` ({custom_id: text, or a string
        select's values}); the client's checks apply unless `unchecked` (a stale or hostile client)."""
        return await self._sender.submit_modal(opened_by, values, user, unchecked=unchecked)

    # -- GatewayHost -------------------------------------------------------------------------

    def bot_user_payload(self) -> dict[str, Any]:
        """The bot's own user object (GET /users/@me, READY.user)."""
        return {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None,
                "locale": "en-US", "premium_type": 0}

    def application_flags(self) -> int:
        """Application flags reflecting the privileged intents enabled for the app."""
        flags = 0
        for intent, flag in _INTENT_APP_FLAGS.items():
            if self.enabled_privileged_intents & intent:
                flags |= flag
        return flags

    def application_payload(self) -> dict[str, Any]:
        """GET /oauth2/applications/@me."""
        return {
            "id": str(self.application_id),
            "name": self.application_name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self._verify_key,
            "flags": self.application_flags(),
            "owner": self.owner_user.payload(),
            "team": None,
            "bot": self.bot_user.payload(),
            "guild_id": None,
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "approximate_guild_count": len(self.world.guilds),
            "approximate_user_install_count": 0,
            "integration_types_config": {"0": {}},
            "install_params": {"scopes": ["bot", "applications.commands"],
                               "permissions": "0"},
            "rpc_origins": [],
        }

    def guild_ids(self) -> list[int]:
        return list(self.world.guilds)

    def _shard_guilds(self, shard: tuple[int, int]) -> list[Guild]:
        return [g for g in self.world.guilds.values() if shard_of(g.id, shard[1]) == shard[0]]

    def ready_payload(self, session_id: str, resume_url: str, shard: tuple[int, int] = (0, 1)) -> dict[str, Any]:
        """READY: the shard's guilds as unavailable stubs, then one GUILD_CREATE each."""
        sharded = {"shard": list(shard)} if shard[1] > 1 else {}
        return {
            **sharded,
            "v": 10,
            "user_settings": {},
            "user": self.bot_user_payload(),
            "session_type": "normal",
            "session_id": session_id,
            "resume_gateway_url": resume_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self._shard_guilds(shard)],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake-local"],
            "auth": {},
            "application": {"id": str(self.application_id), "flags": self.application_flags()},
            "_trace": ["fakediscord-gateway"],
        }

    def guild_create_payloads(self, intents: int, shard: tuple[int, int] = (0, 1)) -> list[dict[str, Any]]:
        """GUILD_CREATE for every guild of the shard, shaped by the session's intents."""
        return [g.create_payload(all_members=bool(intents & INTENT_GUILD_PRESENCES), initial=True)
                for g in self._shard_guilds(shard)]

    def record_gateway_rejection(self, op: str, close_code: int, reason: str) -> None:
        """Gateway refusals land in `rejections` too (status 0, code = close code)."""
        self.rejections.append(Rejection("GATEWAY", op, f"GATEWAY {op}", 0, close_code, "gateway closed", reason))
        self.notify()

