"""Application command routes: bulk overwrite (what tree.sync() sends), create, read, edit, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .bodies import read_body
from .command_validation import MAX_COMMANDS_PER_TYPE, command_type, validate_command, validate_command_list
from .commands import Scope, SyncCall
from .errors import (
    FormErrors,
    max_commands_reached,
    missing_access,
    not_authorized_for_application,
    unknown_command,
)
from .routes_core import snowflake_param
from .server import discord_json

if TYPE_CHECKING:
    from .fake import FakeDiscord


class CommandRoutes:
    """/applications/{application_id}[/guilds/{guild_id}]/commands[/{command_id}]."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Add the routes for both scopes."""
        for base in (f"{prefix}/applications/{{application_id}}/commands",
                     f"{prefix}/applications/{{application_id}}/guilds/{{guild_id}}/commands"):
            router.add_get(base, self.list_commands)
            router.add_put(base, self.bulk_overwrite)
            router.add_post(base, self.create_command)
            if "guild_id" in base:
                router.add_get(f"{base}/permissions", self.list_permissions)
            router.add_get(f"{base}/{{command_id}}", self.get_command)
            router.add_patch(f"{base}/{{command_id}}", self.edit_command)
            router.add_delete(f"{base}/{{command_id}}", self.delete_command)

    def _scope(self, request: web.Request) -> Scope:
        """Check the application id, and the guild when the route names one."""
        application_id = request.match_info["application_id"]
        if application_id != str(self.fake.application_id):
            raise not_authorized_for_application(f"application {application_id} is not this bot's")
        if "guild_id" not in request.match_info:
            return None
        guild_id = snowflake_param(request, "guild_id", missing_access("not a guild id"))
        if guild_id not in self.fake.world.guilds:
            # Discord: 50001 when the app is not in the guild (or lacks applications.commands there).
            raise missing_access(f"the bot is not in guild {guild_id}")
        return guild_id

    def _command_id(self, request: web.Request) -> int:
        return snowflake_param(request, "command_id", unknown_command())

    async def list_commands(self, request: web.Request) -> web.Response:
        """GET: the scope's commands."""
        return discord_json(self.fake.commands.commands(self._scope(request)))

    async def bulk_overwrite(self, request: web.Request) -> web.Response:
        """PUT: validate everything, then replace the scope's commands atomically."""
        scope = self._scope(request)
        body, _ = await read_body(request)
        call = SyncCall("global" if scope is None else scope, body, accepted=False)
        self.fake.sync_calls.append(call)
        errors = FormErrors()
        validate_command_list(body, errors)
        errors.raise_if_any()
        call.accepted = True
        result = self.fake.commands.overwrite(scope, body)
        self.fake.notify()
        return discord_json(result)

    async def create_command(self, request: web.Request) -> web.Response:
        """POST: create or replace one command (201 when new)."""
        scope = self._scope(request)
        body, _ = await read_body(request)
        errors = FormErrors()
        validate_command(body, errors)
        errors.raise_if_any()
        kind = command_type(body)
        is_new = self.fake.commands.find(body["name"], guild_id=scope, kind=kind) is None
        limit = MAX_COMMANDS_PER_TYPE.get(kind, 0)
        if is_new and self.fake.commands.count(scope, kind) >= limit:
            raise max_commands_reached(limit, f"already {limit} type-{kind} commands")
        command, created = self.fake.commands.upsert(scope, body)
        self.fake.notify()
        return discord_json(command, 201 if created else 200)

    async def get_command(self, request: web.Request) -> web.Response:
        """GET one command."""
        scope = self._scope(request)
        command = self.fake.commands.get(scope, self._command_id(request))
        if command is None:
            raise unknown_command()
        return discord_json(command)

    async def edit_command(self, request: web.Request) -> web.Response:
        """PATCH one command: the merged definition must still be valid."""
        scope = self._scope(request)
        command_id = self._command_id(request)
        existing = self.fake.commands.get(scope, command_id)
        if existing is None:
            raise unknown_command()
        body, _ = await read_body(request)
        merged: dict[str, Any] = {**existing, **(body if isinstance(body, dict) else {})}
        for server_side in ("id", "application_id", "version", "guild_id"):
            merged.pop(server_side, None)
        errors = FormErrors()
        validate_command(merged, errors)
        errors.raise_if_any()
        command = self.fake.commands.replace(scope, command_id, merged)
        self.fake.notify()
        return discord_json(command)

    async def delete_command(self, request: web.Request) -> web.Response:
        """DELETE one command."""
        scope = self._scope(request)
        if not self.fake.commands.delete(scope, self._command_id(request)):
            raise unknown_command()
        self.fake.notify()
        return web.Response(status=204)

    async def list_permissions(self, request: web.Request) -> web.Response:
        """GET .../commands/permissions: no per-command overrides are modelled."""
        self._scope(request)
        return discord_json([])
