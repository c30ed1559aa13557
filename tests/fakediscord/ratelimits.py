"""Discord's rate limits: the global limit, per-route buckets, and the invalid-request ban.

https://discord.com/developers/docs/topics/rate-limits:
- A bot may make 50 requests a second across every route (the global limit). Interaction
  endpoints (callbacks, and the follow-ups and edits made with an interaction's token) are not
  bound to it.
- Routes have per-resource buckets. Message creates and message edits in one channel allow about
  5 per 5 s each; the follow-up webhook of an interaction allows 5 per 2 s per interaction
  (discord-api-docs#2701: "identical to webhook rate limits", keyed by the interaction).
- Every 401, 403 and 429 (except a 429 of scope "shared") counts as an invalid request; 10,000
  in 10 minutes and the IP is banned for a while, answered by Cloudflare without Discord's body.

Windows here are fixed: a bucket's window starts at its first request and resets `window` seconds
later, on the fake's clock (loopback-real time, which tests can freeze and advance).
A success on a bucketed route carries X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket, as
Discord's do, so discord.py can pace itself; a 429 carries Discord's body and headers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from .clock import Clock

RATE_LIMITED = "You are being rate limited."


@dataclass(frozen=True)
class Limit:
    """`count` requests per `window` seconds."""

    count: int
    window: float


@dataclass(frozen=True)
class RateLimits:
    """Discord's limits (the defaults); a test of the fake may shrink them to prove a rule."""

    global_: Limit = Limit(50, 1.0)
    message_create: Limit = Limit(5, 5.0)  # per channel
    message_edit: Limit = Limit(5, 5.0)  # per channel
    interaction_webhook: Limit = Limit(5, 2.0)  # per interaction token
    invalid_requests: Limit = Limit(10_000, 600.0)  # then the IP is banned
    ban_seconds: float = 3600.0


# Bucket hashes as Discord sends them: opaque, one per kind of bucket (the channel or the
# interaction is the "major parameter" that splits a kind into buckets).
_BUCKET_HASHES = {
    "message_create": "80c17d2f203122d936070c88c8d10f33",
    "message_edit": "1cd9f9ba01b4e6b6e95da1ec2c3d5a27",
    "interaction_webhook": "9d1c6a3a39b9a7bc8c6d2f3f1b0c7e41",
}


class _Window:
    """A fixed window: opens at its first request, allows `limit.count` until it resets."""

    __slots__ = ("limit", "opened", "used")

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.opened = -math.inf
        self.used = 0

    def reset_after(self, now: float) -> float:
        return max(0.0, self.opened + self.limit.window - now)

    def take(self, now: float) -> bool:
        """Count a request; False (and nothing counted) when the window is full."""
        if now >= self.opened + self.limit.window:
            self.opened, self.used = now, 0
        if self.used >= self.limit.count:
            return False
        self.used += 1
        return True

    @property
    def remaining(self) -> int:
        return max(0, self.limit.count - self.used)


@dataclass(frozen=True)
class Refusal:
    """A 429 to send: its body, headers, and the reason listed with the fake's rejections."""

    body: dict[str, Any]
    headers: dict[str, str]
    reason: str


@dataclass(frozen=True)
class Verdict:
    """What the limiter decided for one request: headers for a success, or a refusal."""

    headers: dict[str, str]
    refusal: Refusal | None = None


_NO_HEADERS = Verdict({})


def bucket_of(method: str, route: str, match_info: Any) -> tuple[str, str] | None:
    """The (kind, major parameter) of the bucket a request falls in, or None for global-only routes."""
    if route == "/channels/{channel_id}/messages" and method == "POST":
        return "message_create", match_info["channel_id"]
    if route == "/channels/{channel_id}/messages/{message_id}" and method == "PATCH":
        return "message_edit", match_info["channel_id"]
    if route.startswith("/webhooks/{application_id}/{webhook_token}"):
        return "interaction_webhook", match_info["webhook_token"]
    return None


def is_interaction_endpoint(route: str) -> bool:
    """Callbacks and the interaction webhook: outside the global limit."""
    return route.startswith(("/interactions/", "/webhooks/{application_id}/{webhook_token}"))


class RateLimiter:
    """Counts every request against Discord's limits on the fake's clock."""

    def __init__(self, clock: Clock, limits: RateLimits) -> None:
        self.clock = clock
        self.limits = limits
        self._global = _Window(limits.global_)
        self._buckets: dict[tuple[str, str], _Window] = {}
        self._invalid = _Window(Limit(limits.invalid_requests.count, limits.invalid_requests.window))
        self.invalid_count = 0  # invalid requests ever answered (401, 403, 429 but "shared")
        self.banned_until = -math.inf

    @property
    def banned(self) -> bool:
        return self.clock.monotonic() < self.banned_until

    def check(self, method: str, route: str, match_info: Any, *, bot_authorized: bool) -> Verdict:
        """Count one request; the verdict says whether it may be served and with which headers."""
        now = self.clock.monotonic()
        if bot_authorized and not is_interaction_endpoint(route) and not self._global.take(now):
            retry = self._global.reset_after(now)
            headers = {"Retry-After": str(math.ceil(retry)), "X-RateLimit-Global": "true",
                       "X-RateLimit-Scope": "global"}
            reason = (f"global limit: more than {self.limits.global_.count} requests in "
                      f"{self.limits.global_.window:g} s")
            return Verdict({}, Refusal(_body(retry, is_global=True), headers, reason))
        found = bucket_of(method, route, match_info)
        if found is None:
            return _NO_HEADERS
        kind, major = found
        window = self._buckets.get(found)
        if window is None:
            limit: Limit = getattr(self.limits, kind)
            window = self._buckets[found] = _Window(limit)
        allowed = window.take(now)
        retry = window.reset_after(now)
        headers = {
            "X-RateLimit-Limit": str(window.limit.count),
            "X-RateLimit-Remaining": str(window.remaining),
            "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
            "X-RateLimit-Reset-After": f"{retry:.3f}",
            "X-RateLimit-Bucket": _BUCKET_HASHES[kind],
        }
        if allowed:
            return Verdict(headers)
        headers |= {"Retry-After": str(math.ceil(retry)), "X-RateLimit-Scope": "user"}
        reason = (f"{kind} bucket of {major}: more than {window.limit.count} requests in "
                  f"{window.limit.window:g} s")
        return Verdict(headers, Refusal(_body(retry, is_global=False), headers, reason))

    def count_response(self, status: int, headers: Any) -> None:
        """Count an invalid request; past the limit the IP is banned for `ban_seconds`."""
        if status not in (401, 403, 429) or (status == 429 and headers.get("X-RateLimit-Scope") == "shared"):
            return
        self.invalid_count += 1
        now = self.clock.monotonic()
        if not self._invalid.take(now):
            self.banned_until = now + self.limits.ban_seconds


def _body(retry_after: float, *, is_global: bool) -> dict[str, Any]:
    return {"message": RATE_LIMITED, "retry_after": round(retry_after, 3), "global": is_global, "code": 0}
