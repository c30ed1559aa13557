"""Registered application commands, per scope (global or one guild), as Discord stores them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .command_validation import CHAT_INPUT, command_type
from .jsoncopy import json_copy
from .snowflakes import SnowflakeFactory

Scope = int | None  # a guild id, or None for global commands

_DEFAULTS = ("type", "name", "description", "options", "default_member_permissions", "dm_permission",
             "contexts", "integration_types", "nsfw", "name_localizations", "description_localizations")


@dataclass
class SyncCall:
    """One bulk overwrite as the bot sent it; unpacks as (scope, payload); scope "global" or a guild id."""

    scope: str | int
    payload: Any
    accepted: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter((self.scope, self.payload))


class CommandRegistry:
    """Command objects by scope, keyed by (name, type) like Discord (ids survive re-syncs).

    Stored commands are never changed in place (a re-sync builds new ones); every command handed
    out is a copy, so callers cannot change the registry through it.
    """

    def __init__(self, ids: SnowflakeFactory, application_id: int) -> None:
        self._ids = ids
        self._application_id = application_id
        self._scopes: dict[Scope, dict[tuple[str, int], dict[str, Any]]] = {None: {}}

    def commands(self, guild_id: Scope = None) -> list[dict[str, Any]]:
        """Command objects in a scope."""
        return [json_copy(c) for c in self._scopes.get(guild_id, {}).values()]

    def overwrite(self, guild_id: Scope, definitions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bulk overwrite: keep ids of same-named commands, drop the ones not listed."""
        old = self._scopes.get(guild_id, {})
        new: dict[tuple[str, int], dict[str, Any]] = {}
        for definition in definitions:
            key = (definition["name"], command_type(definition))
            new[key] = self._build(guild_id, definition, old.get(key))
        self._scopes[guild_id] = new
        return self.commands(guild_id)

    def upsert(self, guild_id: Scope, definition: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Create or replace one command; returns (command, created)."""
        scope = self._scopes.setdefault(guild_id, {})
        key = (definition["name"], command_type(definition))
        existing = scope.get(key)
        scope[key] = self._build(guild_id, definition, existing)
        return json_copy(scope[key]), existing is None

    def replace(self, guild_id: Scope, command_id: int, definition: dict[str, Any]) -> dict[str, Any]:
        """Edit a command in place: same id, new version when something changed."""
        scope = self._scopes.setdefault(guild_id, {})
        old_key, old = next((k, c) for k, c in scope.items() if int(c["id"]) == command_id)
        del scope[old_key]
        key = (definition["name"], command_type(definition))
        scope[key] = self._build(guild_id, definition, old)
        return json_copy(scope[key])

    def count(self, guild_id: Scope, kind: int) -> int:
        """Commands of one type in a scope."""
        return sum(1 for (_, k) in self._scopes.get(guild_id, {}) if k == kind)

    def get(self, guild_id: Scope, command_id: int) -> dict[str, Any] | None:
        """A command by id."""
        for command in self._scopes.get(guild_id, {}).values():
            if int(command["id"]) == command_id:
                return json_copy(command)
        return None

    def delete(self, guild_id: Scope, command_id: int) -> bool:
        """Remove a command by id."""
        scope = self._scopes.get(guild_id, {})
        for key, command in list(scope.items()):
            if int(command["id"]) == command_id:
                del scope[key]
                return True
        return False

    def find(self, name: str, *, guild_id: Scope, kind: int = CHAT_INPUT) -> dict[str, Any] | None:
        """What a user in `guild_id` (None: a DM) can pick by name: guild commands, then global."""
        scopes = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            command = self._scopes.get(scope, {}).get((name, kind))
            if command is not None:
                return json_copy(command)
        return None

    def _build(self, guild_id: Scope, definition: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        body = {k: json_copy(definition[k]) for k in _DEFAULTS if definition.get(k) is not None}
        kind = command_type(definition)
        command: dict[str, Any] = {
            "id": existing["id"] if existing else str(self._ids.next()),
            "application_id": str(self._application_id),
            "version": existing["version"] if existing else str(self._ids.next()),
            "default_member_permissions": None,
            "type": kind,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
            "nsfw": body.get("nsfw", False),
        }
        permissions = body.get("default_member_permissions")
        if permissions is not None:
            command["default_member_permissions"] = str(permissions)
        if guild_id is None:
            command["dm_permission"] = body.get("dm_permission", True)
        else:
            command["guild_id"] = str(guild_id)
        if body.get("options"):
            command["options"] = _clean(body["options"])
        if existing is not None:
            comparable = {k: v for k, v in existing.items() if k not in ("version",)}
            if comparable != {k: v for k, v in command.items() if k != "version"}:
                command["version"] = str(self._ids.next())
        return command


def _clean(value: Any) -> Any:
    """Drop null members (Discord does not echo them)."""
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    return value
