"""Login and lookup routes: the bot user, the application, the gateway URL, guilds, users, DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .bodies import read_body
from .errors import ApiError, form_error, missing_access, unknown_member, unknown_user
from .server import discord_json
from .world import Guild

if TYPE_CHECKING:
    from .fake import FakeDiscord


def snowflake_param(request: web.Request, name: str, not_found: ApiError) -> int:
    """A numeric path parameter; anything else is as unknown as a missing id."""
    raw = request.match_info[name]
    if not raw.isdigit():
        raise not_found
    return int(raw)


class CoreRoutes:
    """/users, /oauth2/applications/@me, /gateway, /guilds lookups."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Add the routes."""
        router.add_get(f"{prefix}/users/@me", self.current_user)
        router.add_get(f"{prefix}/users/@me/guilds", self.current_user_guilds)
        router.add_post(f"{prefix}/users/@me/channels", self.create_dm)
        router.add_get(f"{prefix}/users/{{user_id}}", self.get_user)
        router.add_get(f"{prefix}/oauth2/applications/@me", self.application)
        router.add_get(f"{prefix}/applications/@me", self.application)
        router.add_get(f"{prefix}/gateway", self.gateway)
        router.add_get(f"{prefix}/gateway/bot", self.gateway_bot)
        router.add_get(f"{prefix}/guilds/{{guild_id}}", self.get_guild)
        router.add_get(f"{prefix}/guilds/{{guild_id}}/channels", self.guild_channels)
        router.add_get(f"{prefix}/guilds/{{guild_id}}/roles", self.guild_roles)
        router.add_get(f"{prefix}/guilds/{{guild_id}}/members/{{user_id}}", self.guild_member)

    def _guild(self, request: web.Request) -> Guild:
        # Discord answers 403 Missing Access for guilds the bot is not in, 10004 only for nonsense ids.
        guild_id = snowflake_param(request, "guild_id", missing_access("not a guild id"))
        guild = self.fake.world.guilds.get(guild_id)
        if guild is None:
            raise missing_access(f"the bot is not in guild {guild_id}")
        return guild

    async def current_user(self, request: web.Request) -> web.Response:
        """GET /users/@me (discord.py's login call)."""
        return discord_json(self.fake.bot_user_payload())

    async def current_user_guilds(self, request: web.Request) -> web.Response:
        """GET /users/@me/guilds."""
        guilds = [{"id": str(g.id), "name": g.name, "icon": None, "banner": None, "owner": False,
                   "permissions": str(g.bot_member.guild_permissions), "features": []}
                  for g in self.fake.world.guilds.values()]
        return discord_json(guilds)

    async def get_user(self, request: web.Request) -> web.Response:
        """GET /users/{id}."""
        user_id = snowflake_param(request, "user_id", unknown_user())
        user = self.fake.world.users.get(user_id)
        if user is None:
            raise unknown_user(f"no user {user_id}")
        return discord_json(user.payload())

    async def create_dm(self, request: web.Request) -> web.Response:
        """POST /users/@me/channels {recipient_id}."""
        body, _ = await read_body(request)
        raw = body.get("recipient_id") if isinstance(body, dict) else None
        if raw is None or not str(raw).isdigit():
            raise form_error(("recipient_id",), "BASE_TYPE_REQUIRED", "This field is required")
        user = self.fake.world.users.get(int(raw))
        if user is None:
            raise unknown_user(f"no user {raw}")
        return discord_json(self.fake.world.dm_channel(user).payload())

    async def application(self, request: web.Request) -> web.Response:
        """GET /oauth2/applications/@me (what discord.py's application_info parses)."""
        return discord_json(self.fake.application_payload())

    async def gateway(self, request: web.Request) -> web.Response:
        """GET /gateway."""
        return discord_json({"url": self.fake.gateway_url.rstrip("/")})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        """GET /gateway/bot."""
        return discord_json({
            "url": self.fake.gateway_url.rstrip("/"),
            "shards": self.fake.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 1000 - self.fake.identify_count,
                                    "reset_after": 14_400_000, "max_concurrency": 1},
        })

    async def get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}."""
        guild = self._guild(request)
        data: dict[str, Any] = guild.payload()
        if request.query.get("with_counts", "").lower() in ("1", "true"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return discord_json(data)

    async def guild_channels(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/channels (threads are not listed here, as on Discord)."""
        guild = self._guild(request)
        return discord_json([c.payload() for c in guild.channels if not c.deleted])

    async def guild_roles(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/roles."""
        return discord_json([r.payload() for r in self._guild(request).roles])

    async def guild_member(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/members/{user_id} (needs no privileged intent)."""
        guild = self._guild(request)
        user_id = snowflake_param(request, "user_id", unknown_user())
        member = guild.members.get(user_id)
        if member is None:
            raise unknown_member(f"user {user_id} is not in {guild.name}")
        return discord_json(member.payload())
