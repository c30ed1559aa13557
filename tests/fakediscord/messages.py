"""Messages the bot produced, with their current state, edit history and mention semantics."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .jsoncopy import json_copy
from .world import Channel, User, iso, utcnow

if TYPE_CHECKING:
    from .interactions import InteractionRecord

# Message flags (https://discord.com/developers/docs/resources/message#message-object-message-flags).
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_IS_COMPONENTS_V2 = 1 << 15

# Message types: DEFAULT, REPLY and CHAT_INPUT_COMMAND (a reply to a slash command).
TYPE_DEFAULT = 0
TYPE_REPLY = 19
TYPE_CHAT_INPUT_COMMAND = 20

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass(frozen=True)
class MessageState:
    """One version of a message: what was sent, or what an edit left behind."""

    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    attachments: list[dict[str, Any]] = field(default_factory=list)
    allowed_mentions: dict[str, Any] | None = None
    edited_at: dt.datetime | None = None

    def is_empty(self) -> bool:
        """Discord's 50006 rule: nothing to show."""
        return not (self.content or self.embeds or self.components or self.attachments)


@dataclass(frozen=True)
class Pings:
    """Who a message actually notifies once allowed_mentions is applied."""

    users: frozenset[int]
    roles: frozenset[int]
    everyone: bool

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)


_NO_PINGS = Pings(frozenset(), frozenset(), False)


class StoredMessage:
    """A message in a channel as the fake stores it."""

    def __init__(
        self,
        *,
        id: int,
        channel: Channel,
        author: User,
        state: MessageState,
        application_id: int | None = None,
        webhook_id: int | None = None,
        interaction: InteractionRecord | None = None,
        message_type: int = TYPE_DEFAULT,
        message_reference: dict[str, Any] | None = None,
        tts: bool = False,
        nonce: int | str | None = None,
        created_monotonic: float = 0.0,
    ) -> None:
        self.id = id
        self.channel = channel
        self.author = author
        self.state = state
        self.history: list[MessageState] = []
        self.created_at = utcnow()
        self.application_id = application_id
        self.webhook_id = webhook_id
        self.interaction = interaction
        self.type = message_type
        self.message_reference = message_reference
        self.tts = tts
        self.nonce = nonce
        self.created_monotonic = created_monotonic  # on the fake's clock: for the nonce window
        self.deleted = False

    def __repr__(self) -> str:
        return f"<StoredMessage id={self.id} channel={self.channel.id} content={self.content[:40]!r}>"

    @property
    def content(self) -> str:
        """Current content."""
        return self.state.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Current embeds (dicts as sent)."""
        return self.state.embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        """Current components (dicts as sent, ids assigned)."""
        return self.state.components

    @property
    def flags(self) -> int:
        """Current message flags."""
        return self.state.flags

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """Current attachments."""
        return self.state.attachments

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """allowed_mentions sent with the current version (None: Discord's default, parse all)."""
        return self.state.allowed_mentions

    @property
    def ephemeral(self) -> bool:
        """Only the invoking user sees it."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """A deferred ("thinking") response not yet filled in."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def edit_count(self) -> int:
        """How many times it was edited."""
        return len(self.history)

    def iter_components(self) -> Iterator[dict[str, Any]]:
        """Every component, depth first (rows, their children, v2 containers)."""

        def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            for item in items:
                yield item
                yield from walk(item.get("components") or [])
                if isinstance(item.get("component"), dict):
                    yield from walk([item["component"]])
                if isinstance(item.get("accessory"), dict):
                    yield from walk([item["accessory"]])

        return walk(self.components)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All buttons."""
        return [c for c in self.iter_components() if c.get("type") == 2]

    @property
    def custom_ids(self) -> list[str]:
        """custom_ids of all interactive components."""
        return [c["custom_id"] for c in self.iter_components() if c.get("custom_id")]

    def component(self, custom_id: str) -> dict[str, Any]:
        """The component with this custom_id (KeyError if none)."""
        for item in self.iter_components():
            if item.get("custom_id") == custom_id:
                return item
        raise KeyError(f"message {self.id} has no component with custom_id {custom_id!r}; "
                       f"it has {self.custom_ids}")

    def pings(self) -> Pings:
        """Users/roles/@everyone this version notifies, honouring allowed_mentions like Discord."""
        content = self.content
        if "@" not in content:
            return _NO_PINGS  # every mention form has an "@": most messages need no regex
        users = {int(u) for u in _USER_MENTION.findall(content)}
        roles = {int(r) for r in _ROLE_MENTION.findall(content)}
        everyone = "@everyone" in content or "@here" in content
        allowed = self.allowed_mentions
        if allowed is None:
            return Pings(frozenset(users), frozenset(roles), everyone)
        parse = set(allowed.get("parse") or [])
        allowed_users = {int(u) for u in allowed.get("users") or []}
        allowed_roles = {int(r) for r in allowed.get("roles") or []}
        pinged_users = users if "users" in parse else users & allowed_users
        pinged_roles = roles if "roles" in parse else roles & allowed_roles
        return Pings(frozenset(pinged_users), frozenset(pinged_roles), everyone and "everyone" in parse)

    def apply_edit(self, changes: dict[str, Any], new_attachments: list[dict[str, Any]]) -> None:
        """Apply a PATCH body: present keys replace, null clears; the old version goes to history."""
        state = self.state
        updates: dict[str, Any] = {"edited_at": utcnow()}
        if "content" in changes:
            updates["content"] = changes["content"] or ""
        if "embeds" in changes:
            updates["embeds"] = normalise_embeds(changes["embeds"] or [])
        if "components" in changes:
            updates["components"] = number_components(changes["components"] or [])
        if "flags" in changes and changes["flags"] is not None:
            # Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can change on edit; ephemeral is fixed.
            mutable = FLAG_SUPPRESS_EMBEDS | FLAG_IS_COMPONENTS_V2
            updates["flags"] = (state.flags & ~mutable) | (int(changes["flags"]) & mutable)
        if "allowed_mentions" in changes:
            updates["allowed_mentions"] = changes["allowed_mentions"]
        if "attachments" in changes or new_attachments:
            keep_ids = {str(a.get("id")) for a in changes.get("attachments") or []}
            kept = [a for a in state.attachments if str(a["id"]) in keep_ids]
            updates["attachments"] = kept + new_attachments
        self.history.append(state)
        # Filling in a deferred response ends its loading state.
        updates["flags"] = updates.get("flags", state.flags) & ~FLAG_LOADING
        self.state = replace(state, **updates)

    def preview_edit(self, changes: dict[str, Any], new_attachments: list[dict[str, Any]]) -> MessageState:
        """The state an edit would produce, without applying it (to check emptiness first)."""
        probe = copy.copy(self)
        probe.history = []
        probe.apply_edit(changes, new_attachments)
        return probe.state

    def payload(self, *, include_guild: bool = False, copy_state: bool = True) -> dict[str, Any]:
        """The message object as REST responses (and, with guild_id, gateway events) carry it.

        The attachments, embeds and components in it are copies of the stored ones, so whoever
        keeps the payload cannot change the message through it. copy_state=False shares them
        instead (cheaper): only for a payload serialised at once (a REST response body or a
        gateway frame) and never kept or handed out.
        """
        attachments, embeds, components = self.attachments, self.embeds, self.components
        if copy_state:
            attachments, embeds, components = json_copy(attachments), json_copy(embeds), json_copy(components)
        pings = self.pings()
        guild = self.channel.guild
        mentioned = [u for u in (guild.members.get(i) for i in pings.users) if u is not None] if guild else []
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.state.edited_at) if self.state.edited_at else None,
            "tts": self.tts,
            "mention_everyone": pings.everyone,
            "mentions": [m.user.payload() for m in mentioned],
            "mention_roles": [str(r) for r in sorted(pings.roles)],
            "attachments": attachments,
            "embeds": embeds,
            "reactions": [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "components": components,
        }
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.interaction is not None:
            data["interaction_metadata"] = self.interaction.metadata()
        if self.channel.is_thread:
            data["position"] = self.channel.all_messages.index(self)
        if include_guild and guild is not None:
            data["guild_id"] = str(guild.id)
            data["member"] = guild.bot_member.payload(with_user=False)
        return data


def normalise_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Embeds as Discord echoes them: type 'rich' filled in."""
    result = []
    for embed in embeds:
        embed = {k: json_copy(v) for k, v in embed.items() if v is not None}
        embed.setdefault("type", "rich")
        result.append(embed)
    return result


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Components as Discord echoes them: every component gets a numeric `id` (1, 2, ...)."""
    components = json_copy(components)  # ids are added in place: never into the request body
    used = set()
    stack = list(components)
    everything = []
    while stack:
        item = stack.pop(0)
        everything.append(item)
        if isinstance(item.get("id"), int):
            used.add(item["id"])
        stack[0:0] = list(item.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(item.get(key), dict):
                stack.insert(0, item[key])
    counter = 0
    for item in everything:
        if not isinstance(item.get("id"), int):
            counter += 1
            while counter in used:
                counter += 1
            item["id"] = counter
    return components
