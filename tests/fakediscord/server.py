"""The aiohttp application: routing, bot-token auth, error bodies, request log and injected faults."""

from __future__ import annotations

import json
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError, method_not_allowed, route_not_found, unauthorized
from .interactions import InteractionRecord
from .ratelimits import RATE_LIMITED

if TYPE_CHECKING:
    from .fake import FakeDiscord

API_PREFIX = "/api/v10"
# Routes Discord serves without a bot token: interaction callbacks and webhooks authenticate with
# the token in the path; GET /gateway is public.
PUBLIC_ROUTE_PREFIXES = ("/interactions/", "/webhooks/")
PUBLIC_ROUTES = frozenset({"GET /gateway"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Per-request storage: the parsed body (for the request log) and the interaction a route resolved
# (so a rejection is also listed on that interaction's record).
BODY_KEY = web.RequestKey("body", object)
INTERACTION_KEY: web.RequestKey[InteractionRecord] = web.RequestKey("interaction", InteractionRecord)


@dataclass(frozen=True)
class RequestRecord:
    """One REST request the fake served."""

    method: str
    path: str
    route: str
    status: int
    body: Any
    query: dict[str, str]


@dataclass(frozen=True)
class Rejection:
    """A request the fake refused, with Discord's status/code and the fake's reason."""

    method: str
    path: str
    route: str
    status: int
    code: int
    message: str
    reason: str
    errors: dict[str, Any] | None = None

    def __str__(self) -> str:
        detail = f" errors={json.dumps(self.errors)}" if self.errors else ""
        return f"{self.route} -> {self.status} {self.code} {self.message}: {self.reason}{detail}"


@dataclass
class InjectedFault:
    """A canned response for the next `remaining` requests matching method and route."""

    method: str
    route: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    remaining: int = 1

    def matches(self, method: str, route: str) -> bool:
        """Same method and route template (e.g. /channels/{channel_id}/messages)."""
        return self.remaining > 0 and self.method == method and self.route == route


def discord_json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with Content-Type exactly "application/json", as Discord sends it.

    discord.py compares the header verbatim; aiohttp's json_response would add "; charset=utf-8"
    and discord.py would then treat the body as plain text.
    """
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


def route_template(request: web.Request) -> str:
    """The matched route without the API prefix, e.g. /channels/{channel_id}/messages."""
    info = request.match_info
    route = info.route
    resource = route.resource if route is not None else None
    canonical = resource.canonical if resource is not None else request.path
    return canonical[len(API_PREFIX):] if canonical.startswith(API_PREFIX) else canonical


def build_app(fake: FakeDiscord) -> web.Application:
    """The application with every route registered."""
    from .routes_channels import ChannelRoutes
    from .routes_commands import CommandRoutes
    from .routes_core import CoreRoutes
    from .routes_interactions import InteractionRoutes

    app = web.Application(middlewares=[_discord_middleware(fake)], client_max_size=64 * 1024 * 1024)
    app.router.add_get("/", fake.gateway.handle)
    app.router.add_get("/resume", fake.gateway.handle)
    for routes in (CoreRoutes(fake), ChannelRoutes(fake), CommandRoutes(fake), InteractionRoutes(fake)):
        routes.register(app.router, API_PREFIX)
    fake.cdn.register(app.router)  # outside the API: the CDN takes no token
    return app


def _discord_middleware(fake: FakeDiscord) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        route = route_template(request)
        key = f"{request.method} {route}"
        verdict = None
        await fake.rest_stall.hold(key)
        try:
            failure = request.match_info.http_exception
            if isinstance(failure, web.HTTPMethodNotAllowed):
                raise method_not_allowed(f"{request.method} is not served on {route}")
            if failure is not None:
                raise route_not_found(f"the fake serves no {request.method} {request.path}")
            if fake.limiter.banned:
                return _cloudflare_ban(fake, request, key)
            bot_authorized = request.headers.get("Authorization") == f"Bot {fake.token}"
            if not route.startswith(PUBLIC_ROUTE_PREFIXES) and key not in PUBLIC_ROUTES and not bot_authorized:
                raise unauthorized()
            # An injected fault stands for Discord's answer, so it uses up no rate limit.
            fault = fake.take_fault(request.method, route)
            verdict = None if fault else fake.limiter.check(request.method, route, request.match_info,
                                                            bot_authorized=bot_authorized)
            if fault is not None:
                response: web.StreamResponse = discord_json(fault.body, fault.status, fault.headers)
            elif verdict is not None and verdict.refusal is not None:
                refusal = verdict.refusal
                response = discord_json(refusal.body, 429, refusal.headers)
                _reject(fake, request, key, ApiError(429, 0, RATE_LIMITED, reason=refusal.reason))
            else:
                response = await handler(request)
        except ApiError as error:
            response = discord_json(error.body(), error.status)
            _reject(fake, request, key, error)
        except Exception as crash:
            # A bug in the fake: answer 503 (discord.py raises at once instead of retrying like on a
            # 500) and list it with the rejections so the test fails loudly.
            error = ApiError(503, 0, "fake internal error", reason="".join(traceback.format_exception(crash)))
            response = discord_json(error.body(), error.status)
            _reject(fake, request, key, error)
        if verdict is not None and verdict.refusal is None:
            response.headers.update(verdict.headers)  # a bucket's headers come with errors too
        response.headers.setdefault("Via", "1.1 google")  # Discord is behind Google's front end
        fake.limiter.count_response(response.status, response.headers)
        fake.requests.append(RequestRecord(request.method, request.path, key, response.status,
                                           request.get(BODY_KEY), dict(request.query)))
        return response

    return middleware


def _cloudflare_ban(fake: FakeDiscord, request: web.Request, key: str) -> web.Response:
    """Past the invalid-request limit Cloudflare answers, not Discord: plain text, no Via header
    (discord.py raises at once instead of retrying)."""
    _reject(fake, request, key, ApiError(429, 0, "error code: 1015", reason="the IP is banned: too many "
                                         "invalid requests (401, 403, 429) in 10 minutes"))
    fake.requests.append(RequestRecord(request.method, request.path, key, 429, None, dict(request.query)))
    return web.Response(status=429, text="error code: 1015")


def _reject(fake: FakeDiscord, request: web.Request, key: str, error: ApiError) -> None:
    """Record a refused request globally and on the interaction it concerned."""
    rejection = Rejection(request.method, request.path, key, error.status, error.code, error.message,
                          error.reason, error.errors)
    fake.rejections.append(rejection)
    record = request.get(INTERACTION_KEY)
    if record is not None:
        record.rejections.append(rejection)
    fake.notify()
