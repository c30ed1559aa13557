"""Interaction payloads as Discord sends them, and the record of how the bot answered each one.

Payload shape: https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .attachments import AttachedFile
from .command_validation import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER_OPTION,
)
from .components import BUTTON, CHANNEL_SELECT, LABEL, LINK_STYLE, ROLE_SELECT, STRING_SELECT, TEXT_INPUT
from .messages import FLAG_EPHEMERAL, StoredMessage
from .waiting import ChangeNotifier
from .world import Channel, Guild, Member, Role, User

if TYPE_CHECKING:
    from .server import Rejection

PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
APPLICATION_COMMAND_AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Callback types: PONG 1, CHANNEL_MESSAGE 4, DEFERRED_CHANNEL_MESSAGE 5, DEFERRED_UPDATE_MESSAGE 6,
# UPDATE_MESSAGE 7, AUTOCOMPLETE_RESULT 8, MODAL 9, LAUNCH_ACTIVITY 12.
CALLBACK_PONG = 1
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9
# Which callbacks Discord accepts for which interaction type (LAUNCH_ACTIVITY, 12, needs an
# Activity app and is not modelled).
ALLOWED_CALLBACKS: dict[int, tuple[int, ...]] = {
    PING: (CALLBACK_PONG,),
    APPLICATION_COMMAND: (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL),
    MESSAGE_COMPONENT: (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_DEFERRED_UPDATE,
                        CALLBACK_UPDATE_MESSAGE, CALLBACK_MODAL),
    APPLICATION_COMMAND_AUTOCOMPLETE: (CALLBACK_AUTOCOMPLETE,),
    MODAL_SUBMIT: (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE_MESSAGE),
}
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class InvocationError(ValueError):
    """The test asked for an interaction a Discord client would not let the user send."""


class CommandNotAvailable(InvocationError):
    """The command is unknown, or hidden from this user in this place (permissions, contexts)."""


@dataclass(frozen=True)
class InitialResponse:
    """The accepted initial callback: type and data as the bot sent them."""

    type: int
    data: dict[str, Any] | None
    at: float


class InteractionRecord:
    """One interaction the fake dispatched, and everything the bot did in answer to it."""

    def __init__(
        self,
        *,
        id: int,
        token: str,
        type: int,
        payload: dict[str, Any],
        created_at: float,
        guild: Guild | None,
        channel: Channel,
        user: User,
        member: Member | None,
        notifier: ChangeNotifier,
        source_message: StoredMessage | None = None,
        command: dict[str, Any] | None = None,
        focused_type: int | None = None,
        from_component: bool = False,
    ) -> None:
        self.id = id
        self.token = token
        self.type = type
        self.payload = payload
        self.created_at = created_at
        self.guild = guild
        self.channel = channel
        self.user = user
        self.member = member
        self.source_message = source_message
        self.command = command
        self.focused_type = focused_type
        # A modal submit whose modal was opened from a component may answer with UPDATE_MESSAGE.
        self.from_component = from_component
        self._notifier = notifier
        self.initial: InitialResponse | None = None
        self.original_message: StoredMessage | None = None
        self.followups: list[StoredMessage] = []
        self.rejections: list[Rejection] = []

    def __repr__(self) -> str:
        return f"<InteractionRecord id={self.id} type={self.type} initial={self.initial}>"

    # -- waiting -----------------------------------------------------------------------------

    async def response(self, timeout: float = 2.0) -> InitialResponse:
        """The initial callback, waiting for it; fails with the refused attempts if none came."""
        try:
            return await self._notifier.wait_for(lambda: self.initial, timeout, "the initial response")
        except AssertionError as exc:
            refused = "; ".join(str(r) for r in self.rejections) or "none"
            raise AssertionError(f"{exc} to interaction {self.id}; refused attempts: {refused}") from None

    async def wait_until(self, predicate: Callable[[InteractionRecord], Any], timeout: float = 2.0,
                         what: str = "the condition") -> None:
        """Wait until predicate(self) is truthy (re-checked on every change)."""
        await self._notifier.wait_for(lambda: bool(predicate(self)) or None, timeout, what)

    async def wait_for_followup(self, predicate: Callable[[StoredMessage], Any] | None = None,
                                timeout: float = 2.0) -> StoredMessage:
        """The first followup matching predicate."""

        def check() -> StoredMessage | None:
            return next((m for m in self.followups if predicate is None or predicate(m)), None)

        return await self._notifier.wait_for(check, timeout, f"a followup to interaction {self.id}")

    async def final(self, timeout: float = 2.0) -> StoredMessage | None:
        """Wait for the initial response and for a deferred ("thinking") message to be filled in."""
        await self.response(timeout)
        await self.wait_until(lambda r: r.original_message is None or not r.original_message.loading,
                              timeout, "the deferred response to be filled in")
        return self.original_message

    # -- what the bot answered ----------------------------------------------------------------

    @property
    def ack_latency(self) -> float | None:
        """Seconds from dispatch to the accepted initial callback."""
        return None if self.initial is None else self.initial.at - self.created_at

    @property
    def original(self) -> StoredMessage | None:
        """The current original response message (after edits), if there is one."""
        return self.original_message

    @property
    def deferred(self) -> bool:
        """Answered with a deferral (5 or 6)."""
        return self.initial is not None and self.initial.type in (CALLBACK_DEFERRED_MESSAGE,
                                                                 CALLBACK_DEFERRED_UPDATE)

    @property
    def ephemeral(self) -> bool:
        """Whether the initial response is ephemeral."""
        if self.original_message is not None and self.initial is not None and self.initial.type in (
            CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE
        ):
            return self.original_message.ephemeral
        data = (self.initial.data if self.initial else None) or {}
        return bool((data.get("flags") or 0) & FLAG_EPHEMERAL)

    @property
    def content(self) -> str | None:
        """Content of the original message now (else of the initial response data)."""
        if self.original_message is not None:
            return self.original_message.content
        return ((self.initial.data if self.initial else None) or {}).get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Embeds of the original message now."""
        if self.original_message is not None:
            return self.original_message.embeds
        return ((self.initial.data if self.initial else None) or {}).get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        """Components of the original message now."""
        if self.original_message is not None:
            return self.original_message.components
        return ((self.initial.data if self.initial else None) or {}).get("components") or []

    @property
    def autocomplete_choices(self) -> list[dict[str, Any]] | None:
        """Choices of an autocomplete result (callback type 8)."""
        if self.initial is None or self.initial.type != CALLBACK_AUTOCOMPLETE:
            return None
        return list((self.initial.data or {}).get("choices") or [])

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9)."""
        if self.initial is None or self.initial.type != CALLBACK_MODAL:
            return None
        return self.initial.data

    @property
    def messages(self) -> list[StoredMessage]:
        """The original message (if any) then the followups."""
        found = [self.original_message] if self.original_message is not None else []
        return found + [m for m in self.followups if m is not self.original_message]

    def metadata(self) -> dict[str, Any]:
        """interaction_metadata carried by messages created in answer to this interaction."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "user": self.user.payload(),
            "authorizing_integration_owners": self.payload.get("authorizing_integration_owners", {}),
        }
        if self.command is not None:
            data["name"] = self.command["name"]
            data["command_type"] = self.command["type"]
        if self.source_message is not None:
            data["interacted_message_id"] = str(self.source_message.id)
        if self.original_message is not None:
            data["original_response_message_id"] = str(self.original_message.id)
        return data


# -- payload builders ------------------------------------------------------------------------


def base_payload(
    *, interaction_id: int, application_id: int, token: str, kind: int, guild: Guild | None,
    channel: Channel, user: User, member: Member | None, permissions: int,
) -> dict[str, Any]:
    """Fields every interaction carries; `member` in guilds, `user` in DMs.

    `permissions` are the invoker's in `channel` (channel.permissions_for(member or user)).
    """
    data: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "token": token,
        "version": 1,
        "channel_id": str(channel.id),
        "channel": channel.payload(permissions=permissions),
        "app_permissions": str(channel.bot_permissions()),
        "locale": user.locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        assert member is not None
        data["guild_id"] = str(guild.id)
        data["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
        data["guild_locale"] = guild.locale
        data["member"] = member.payload(permissions=permissions)
        data["authorizing_integration_owners"] = {"0": str(guild.id)}
        data["context"] = CONTEXT_GUILD
    else:
        data["user"] = user.payload()
        # For a guild-installed app used in its bot DM, the owner id is "0".
        data["authorizing_integration_owners"] = {"0": "0"}
        data["context"] = CONTEXT_BOT_DM
    return data


class _Resolved:
    """Collects the `resolved` map for user/member/role/channel option values."""

    def __init__(self, guild: Guild | None, channel: Channel, invoker: Member | User) -> None:
        self.guild = guild
        self.channel = channel
        self.invoker = invoker
        self.data: dict[str, dict[str, Any]] = {}

    def add_user(self, who: Member | User) -> str:
        user = who.user if isinstance(who, Member) else who
        self.data.setdefault("users", {})[str(user.id)] = user.payload()
        member = self.guild.member(user) if self.guild is not None else None
        if member is not None:
            self.data.setdefault("members", {})[str(user.id)] = member.payload(
                with_user=False, permissions=member.permissions_in(self.channel)
            )
        return str(user.id)

    def add_role(self, role: Role) -> str:
        self.data.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)

    def add_attachment(self, file: AttachedFile) -> str:
        self.data.setdefault("attachments", {})[str(file.id)] = file.payload()
        return str(file.id)

    def add_channel(self, channel: Channel) -> str:
        entry: dict[str, Any] = {
            "id": str(channel.id),
            "name": channel.name,
            "type": channel.type,
            "permissions": str(channel.permissions_for(self.invoker)),
        }
        if channel.is_thread:
            full = channel.payload()
            entry["parent_id"] = full["parent_id"]
            entry["thread_metadata"] = full["thread_metadata"]
            entry["owner_id"] = full["owner_id"]
            entry["member_count"] = full["member_count"]
            entry["message_count"] = full["message_count"]
        self.data.setdefault("channels", {})[str(channel.id)] = entry
        return str(channel.id)


def command_data(
    command: dict[str, Any],
    words: list[str],
    values: dict[str, Any],
    *,
    guild: Guild | None,
    channel: Channel,
    invoker: Member | User,
    focused: str | None = None,
) -> tuple[dict[str, Any], int | None]:
    """`data` for a slash command or autocomplete; returns (data, focused option type)."""
    data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": command["type"]}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    definitions: list[dict[str, Any]] = command.get("options") or []
    container = data
    for word in words[1:]:
        match = next((d for d in definitions if d["name"] == word and d["type"] in (SUB_COMMAND,
                                                                                    SUB_COMMAND_GROUP)), None)
        if match is None:
            names = [d["name"] for d in definitions if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            raise CommandNotAvailable(f"{command['name']!r} has no subcommand {word!r}; it has {names}")
        node: dict[str, Any] = {"name": word, "type": match["type"], "options": []}
        container["options"] = [node]
        container = node
        definitions = match.get("options") or []
    nested = [d["name"] for d in definitions if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if nested:
        raise InvocationError(f"{' '.join(words)!r} needs a subcommand: one of {nested}")
    resolved = _Resolved(guild, channel, invoker)
    by_name = {d["name"]: d for d in definitions}
    unknown = set(values) - set(by_name)
    if unknown:
        raise InvocationError(f"{' '.join(words)!r} has no option(s) {sorted(unknown)}; it has {list(by_name)}")
    focused_type: int | None = None
    options: list[dict[str, Any]] = []
    for definition in definitions:
        name = definition["name"]
        if name not in values:
            # Autocomplete fires while the user is still typing, so required options may be missing.
            if definition.get("required") and focused is None:
                raise InvocationError(f"required option {name!r} of {' '.join(words)!r} is missing")
            continue
        if name == focused:
            if not definition.get("autocomplete"):
                raise InvocationError(f"option {name!r} does not have autocomplete enabled")
            focused_type = definition["type"]
            options.append({"name": name, "type": definition["type"], "value": values[name], "focused": True})
            continue
        options.append({"name": name, "type": definition["type"],
                        "value": _option_value(definition, values[name], resolved)})
    if focused is not None and focused_type is None:
        raise InvocationError(f"focused option {focused!r} is not an option of {' '.join(words)!r}")
    container["options"] = options
    if resolved.data:
        data["resolved"] = resolved.data
    return data, focused_type


def _option_value(definition: dict[str, Any], value: Any, resolved: _Resolved) -> Any:
    """Check a value like the Discord client would, and encode it as Discord sends it."""
    name, kind = definition["name"], definition["type"]
    choices = definition.get("choices")
    if kind == STRING:
        if not isinstance(value, str):
            raise InvocationError(f"option {name!r} is a string, got {value!r}")
        low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise InvocationError(f"option {name!r} must be {low}-{high} characters")
    elif kind in (INTEGER, NUMBER):
        numeric = (int,) if kind == INTEGER else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            raise InvocationError(f"option {name!r} needs a {'integer' if kind == INTEGER else 'number'}")
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvocationError(f"option {name!r} must be within [{low}, {high}], got {value}")
    elif kind == BOOLEAN:
        if not isinstance(value, bool):
            raise InvocationError(f"option {name!r} is a boolean")
    elif kind == USER_OPTION:
        if not isinstance(value, (User, Member)):
            raise InvocationError(f"option {name!r} needs a User or Member")
        return resolved.add_user(value)
    elif kind == CHANNEL:
        if not isinstance(value, Channel):
            raise InvocationError(f"option {name!r} needs a Channel")
        allowed = definition.get("channel_types")
        if allowed and value.type not in allowed:
            raise InvocationError(f"option {name!r} accepts channel types {allowed}, not {value.type}")
        return resolved.add_channel(value)
    elif kind == ROLE:
        if not isinstance(value, Role):
            raise InvocationError(f"option {name!r} needs a Role")
        return resolved.add_role(value)
    elif kind == MENTIONABLE:
        if isinstance(value, Role):
            return resolved.add_role(value)
        if isinstance(value, (User, Member)):
            return resolved.add_user(value)
        raise InvocationError(f"option {name!r} needs a User, Member or Role")
    elif kind == ATTACHMENT:
        if not isinstance(value, AttachedFile):
            raise InvocationError(f"option {name!r} needs a file from fake.attach()")
        if value.size > ATTACHMENT_SIZE_LIMIT:
            # The Discord client refuses the file before anything is sent.
            raise InvocationError(f"{value.filename} is {value.size} bytes, over the {ATTACHMENT_SIZE_LIMIT} limit")
        if value.channel_id != resolved.channel.id:
            raise InvocationError(f"{value.filename} was attached in another channel")
        return resolved.add_attachment(value)
    if choices and value not in [c["value"] for c in choices]:
        raise InvocationError(f"option {name!r} must be one of {[c['value'] for c in choices]}, got {value!r}")
    return value


def component_data(
    message: StoredMessage, custom_id: str, values: list[Any] | None, invoker: Member | User
) -> dict[str, Any]:
    """`data` for a click or a select on a message the bot sent."""
    try:
        component = message.component(custom_id)
    except KeyError as exc:
        raise InvocationError(str(exc)) from None
    if component.get("disabled"):
        raise InvocationError(f"component {custom_id!r} is disabled")
    kind = component["type"]
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
    if "id" in component:
        data["id"] = component["id"]
    if kind == BUTTON:
        if component.get("style") == LINK_STYLE:
            raise InvocationError("link buttons open a URL; they do not create interactions")
        if values is not None:
            raise InvocationError("buttons take no values")
        return data
    if values is None:
        raise InvocationError(f"select {custom_id!r} needs values")
    low, high = component.get("min_values", 1), component.get("max_values", 1)
    if not low <= len(values) <= high:
        raise InvocationError(f"select {custom_id!r} takes {low}-{high} values, got {len(values)}")
    if kind == STRING_SELECT:
        offered = [o["value"] for o in component.get("options", [])]
        stray = [v for v in values if v not in offered]
        if stray:
            raise InvocationError(f"select {custom_id!r} offers {offered}, not {stray}")
        data["values"] = list(values)
        return data
    resolved = _Resolved(message.channel.guild, message.channel, invoker)
    encoded = []
    for value in values:
        if isinstance(value, Role) and kind in (ROLE_SELECT, 7):
            encoded.append(resolved.add_role(value))
        elif isinstance(value, (User, Member)) and kind in (5, 7):
            encoded.append(resolved.add_user(value))
        elif isinstance(value, Channel) and kind == CHANNEL_SELECT:
            encoded.append(resolved.add_channel(value))
        else:
            raise InvocationError(f"{value!r} cannot be picked in a select of type {kind}")
    data["values"] = encoded
    data["resolved"] = resolved.data
    return data


def modal_submit_data(modal: dict[str, Any], values: Mapping[str, str | list[str]], *,
                      unchecked: bool = False) -> dict[str, Any]:
    """`data` for submitting the modal the bot opened, mirroring its layout (rows or labels).

    `values` maps a text input's custom_id to its text, a string select's to the values picked.
    The Discord client enforces each component's rules before it sends (required, lengths, the
    options offered); `unchecked=True` sends the values as given, as a stale or hostile client can.
    """
    seen: set[str] = set()

    def text_input(component: dict[str, Any]) -> dict[str, Any]:
        custom_id = component["custom_id"]
        seen.add(custom_id)
        value = values.get(custom_id, component.get("value") or "")
        if not isinstance(value, str):
            raise InvocationError(f"text input {custom_id!r} takes a string, not {value!r}")
        if not unchecked:
            if component.get("required", True) and not value:
                raise InvocationError(f"text input {custom_id!r} is required")
            low, high = component.get("min_length", 0), component.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise InvocationError(f"text input {custom_id!r} takes {low}-{high} characters")
        return {"type": TEXT_INPUT, "id": component.get("id", 0), "custom_id": custom_id, "value": value}

    def string_select(component: dict[str, Any]) -> dict[str, Any]:
        custom_id = component["custom_id"]
        seen.add(custom_id)
        picked = values.get(custom_id, [o["value"] for o in component.get("options", []) if o.get("default")])
        if not isinstance(picked, list):
            raise InvocationError(f"select {custom_id!r} takes a list of values, not {picked!r}")
        if not unchecked:
            # In a modal a select is required unless it says otherwise; an optional one may be left empty.
            low = component.get("min_values", 1) if component.get("required", True) else 0
            high = component.get("max_values", 1)
            if not low <= len(picked) <= high:
                raise InvocationError(f"select {custom_id!r} takes {low}-{high} values, got {len(picked)}")
            offered = [o["value"] for o in component.get("options", [])]
            stray = [v for v in picked if v not in offered]
            if stray:
                raise InvocationError(f"select {custom_id!r} offers {offered}, not {stray}")
        return {"type": STRING_SELECT, "id": component.get("id", 0), "custom_id": custom_id, "values": list(picked)}

    submitted: list[dict[str, Any]] = []
    for item in modal.get("components", []):
        inner = item.get("component", {}) if item.get("type") == LABEL else {}
        if inner.get("type") == TEXT_INPUT:
            submitted.append({"type": LABEL, "id": item.get("id", 0), "component": text_input(inner)})
        elif inner.get("type") == STRING_SELECT:
            submitted.append({"type": LABEL, "id": item.get("id", 0), "component": string_select(inner)})
        elif inner:
            raise InvocationError(f"the fake cannot submit a component of type {inner.get('type')} in a modal yet")
        elif item.get("type") == 1:
            inputs = [text_input(c) for c in item.get("components", []) if c.get("type") == TEXT_INPUT]
            submitted.append({"type": 1, "id": item.get("id", 0), "components": inputs})
    unknown = set(values) - seen
    if unknown:
        raise InvocationError(f"the modal has no inputs {sorted(unknown)}")
    return {"custom_id": modal["custom_id"], "components": submitted}
