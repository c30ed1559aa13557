"""The fake's world: users, guilds, roles, members and channels, and their Discord payloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .permissions import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    DM_PERMISSIONS,
    Permission,
    as_bits,
    base_permissions,
    channel_permissions,
)
from .snowflakes import SnowflakeFactory

if TYPE_CHECKING:
    from .messages import StoredMessage

# Gateway intents an event needs (https://discord.com/developers/docs/events/gateway#list-of-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types).
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})

# A payload, or a function of the session's intents rendering it (GUILD_CREATE depends on them).
Payload = dict[str, Any] | Callable[[int], dict[str, Any]]
EmitFn = Callable[..., None]  # (event, payload, intent, *, guild_id=None)


def iso(moment: dt.datetime) -> str:
    """ISO-8601 timestamp as Discord writes it."""
    return moment.isoformat()


def utcnow() -> dt.datetime:
    """Aware UTC now."""
    return dt.datetime.now(dt.UTC)


@dataclass(eq=False)
class User:
    """A Discord user (a person or the bot)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    # False models a user who closed DMs: sending to their DM channel gets 50007.
    accepts_dms: bool = True

    @property
    def display_name(self) -> str:
        """global_name when set, else username (like Discord clients)."""
        return self.global_name or self.username

    @property
    def mention(self) -> str:
        """<@id>."""
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        """The user object."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(eq=False)
class Role:
    """A guild role; the @everyone role has the guild's id."""

    id: int
    guild: Guild
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        """<@&id>, or @everyone."""
        return "@everyone" if self.id == self.guild.id else f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        """The role object."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class Overwrite:
    """A channel permission overwrite for a role (type 0) or a member (type 1)."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        """The overwrite object."""
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass(eq=False)
class Member:
    """A user's membership of a guild."""

    user: User
    guild: Guild
    nick: str | None = None
    roles: list[Role] = field(default_factory=list)
    joined_at: dt.datetime = field(default_factory=utcnow)

    @property
    def id(self) -> int:
        """The user's id."""
        return self.user.id

    @property
    def display_name(self) -> str:
        """Nickname, else the user's display name (how Discord renders members)."""
        return self.nick or self.user.display_name

    @property
    def mention(self) -> str:
        """<@id>."""
        return self.user.mention

    @property
    def guild_permissions(self) -> int:
        """Guild-level permission bits."""
        return base_permissions(self)

    def permissions_in(self, channel: Channel) -> int:
        """Permission bits in `channel`, overwrites and implicit denials applied."""
        return channel_permissions(self, channel)

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
        """The guild member object (interactions add `permissions`; resolved data omits `user`)."""
        data: dict[str, Any] = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(role.id) for role in self.roles],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


class Channel:
    """A guild channel, thread or DM channel, with the messages posted in it."""

    def __init__(
        self,
        world: World,
        *,
        id: int,
        type: int,
        name: str | None,
        guild: Guild | None = None,
        parent: Channel | None = None,
        position: int = 0,
        topic: str | None = None,
        nsfw: bool = False,
        recipient: User | None = None,
        owner_id: int | None = None,
    ) -> None:
        self._world = world
        self.id = id
        self.type = type
        self.name = name
        self.guild = guild
        self.parent = parent
        self.position = position
        self.topic = topic
        self.nsfw = nsfw
        self.recipient = recipient
        self.owner_id = owner_id
        self.archived = False
        self.locked = False
        self.created_at = utcnow()
        self.overwrites: dict[int, Overwrite] = {}
        self.all_messages: list[StoredMessage] = []
        self.deleted = False

    def __repr__(self) -> str:
        return f"<Channel id={self.id} type={self.type} name={self.name!r}>"

    @property
    def is_thread(self) -> bool:
        """Public, private or announcement thread."""
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        """A direct-message channel."""
        return self.type == DM

    @property
    def mention(self) -> str:
        """<#id>."""
        return f"<#{self.id}>"

    @property
    def messages(self) -> list[StoredMessage]:
        """Messages not deleted, oldest first (ephemeral ones included, flagged)."""
        return [m for m in self.all_messages if not m.deleted]

    @property
    def last_message_id(self) -> str | None:
        """Id of the newest message, as channel payloads carry it."""
        # Newest first: every interaction payload carries this, so do not walk the whole history.
        newest = next((m for m in reversed(self.all_messages) if not m.deleted and not m.ephemeral), None)
        return str(newest.id) if newest is not None else None

    def bot_permissions(self) -> int:
        """What the bot may do here (what interactions report as app_permissions)."""
        if self.guild is None:
            return DM_PERMISSIONS
        return self.guild.bot_member.permissions_in(self)

    def permissions_for(self, who: Member | User) -> int:
        """Permission bits for a member here (DM: Discord's fixed DM set)."""
        if self.guild is None or not isinstance(who, Member):
            return DM_PERMISSIONS
        return who.permissions_in(self)

    def set_permissions(self, target: Role | Member | User, *, allow: Any = 0, deny: Any = 0) -> None:
        """Set an overwrite (like Discord's channel settings); dispatches CHANNEL_UPDATE when live."""
        if self.guild is None:
            raise ValueError("DM channels have no permission overwrites")
        if self.is_thread:
            raise ValueError("threads inherit their parent's overwrites; set them on the parent")
        kind = 0 if isinstance(target, Role) else 1
        target_id = target.id
        self.overwrites[target_id] = Overwrite(target_id, kind, as_bits(allow), as_bits(deny))
        self._world.emit("CHANNEL_UPDATE", self.payload(), INTENT_GUILDS)

    def restrict_bot(self, permissions: Any) -> None:
        """Make the bot's permissions here exactly `permissions` via a member overwrite."""
        if self.guild is None:
            raise ValueError("DM channels have no permission overwrites")
        wanted = as_bits(permissions)
        # Deny everything not wanted and allow what is: the member overwrite is applied last, so
        # this pins the result regardless of roles (unless the bot is an administrator).
        self.set_permissions(self.guild.bot_member, allow=wanted, deny=ALL_PERMISSIONS & ~wanted)

    def add_thread(self, name: str, *, private: bool = False, archived: bool = False,
                   locked: bool = False) -> Channel:
        """A thread in this channel (see Guild.add_thread)."""
        if self.guild is None:
            raise ValueError("DM channels have no threads")
        return self.guild.add_thread(self, name, private=private, archived=archived, locked=locked)

    def payload(self, *, permissions: int | None = None) -> dict[str, Any]:
        """The channel object (interactions add the invoker's `permissions`, see permissions_for)."""
        if self.is_dm:
            assert self.recipient is not None
            data: dict[str, Any] = {
                "id": str(self.id),
                "type": DM,
                "last_message_id": self.last_message_id,
                "recipients": [self.recipient.payload()],
                "flags": 0,
            }
        elif self.is_thread:
            assert self.guild is not None and self.parent is not None
            data = {
                "id": str(self.id),
                "type": self.type,
                "guild_id": str(self.guild.id),
                "parent_id": str(self.parent.id),
                "owner_id": str(self.owner_id or self.guild.owner_id),
                "name": self.name,
                "last_message_id": self.last_message_id,
                "rate_limit_per_user": 0,
                "message_count": len(self.messages),
                "member_count": 1,
                "total_message_sent": len(self.messages),
                "flags": 0,
                "thread_metadata": {
                    "archived": self.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso(self.created_at),
                    "locked": self.locked,
                    "create_timestamp": iso(self.created_at),
                    **({"invitable": True} if self.type == PRIVATE_THREAD else {}),
                },
            }
        else:
            assert self.guild is not None
            data = {
                "id": str(self.id),
                "type": self.type,
                "guild_id": str(self.guild.id),
                "name": self.name,
                "position": self.position,
                "permission_overwrites": [o.payload() for o in self.overwrites.values()],
                "parent_id": None,
                "topic": self.topic,
                "nsfw": self.nsfw,
                "last_message_id": self.last_message_id,
                "rate_limit_per_user": 0,
                "flags": 0,
            }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


class Guild:
    """A guild the bot is in, with its roles, members, channels and threads."""

    def __init__(
        self,
        world: World,
        *,
        id: int,
        name: str,
        owner: User,
        bot_permissions: int,
        locale: str,
    ) -> None:
        self._world = world
        self.id = id
        self.name = name
        self.owner_id = owner.id
        self.locale = locale
        self.created_at = utcnow()
        self.roles: list[Role] = [Role(id, self, "@everyone", DEFAULT_EVERYONE_PERMISSIONS)]
        self.members: dict[int, Member] = {}
        self.channels: list[Channel] = []
        self.threads: list[Channel] = []
        self.members[owner.id] = Member(owner, self)
        bot_user = world.bot_user
        # Discord gives every bot a managed role named after it, holding the invite's permissions.
        self.bot_role = Role(
            world.ids.next(), self, bot_user.username, bot_permissions, position=1, managed=True,
            bot_id=bot_user.id,
        )
        self.roles.append(self.bot_role)
        self.bot_member = Member(bot_user, self, roles=[self.bot_role])
        self.members[bot_user.id] = self.bot_member

    def __repr__(self) -> str:
        return f"<Guild id={self.id} name={self.name!r}>"

    @property
    def everyone_role(self) -> Role:
        """The @everyone role (id == guild id)."""
        return self.roles[0]

    @property
    def owner(self) -> Member:
        """The owning member."""
        return self.members[self.owner_id]

    def member(self, who: User | Member | int) -> Member | None:
        """The membership of a user, if any."""
        user_id = who if isinstance(who, int) else who.id
        return self.members.get(user_id)

    def member_named(self, username: str) -> Member:
        """A member by username (test convenience)."""
        for member in self.members.values():
            if member.user.username == username:
                return member
        raise KeyError(username)

    def channel(self, name: str) -> Channel:
        """A channel or thread by name (test convenience)."""
        for channel in [*self.channels, *self.threads]:
            if channel.name == name and not channel.deleted:
                return channel
        raise KeyError(name)

    def add_role(self, name: str, permissions: Any = 0, *, mentionable: bool = False) -> Role:
        """Create a role; dispatches GUILD_ROLE_CREATE when live."""
        role = Role(self._world.ids.next(), self, name, as_bits(permissions), position=len(self.roles),
                    mentionable=mentionable)
        self.roles.append(role)
        self._world.emit("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.payload()},
                         INTENT_GUILDS)
        return role

    def add_member(
        self,
        name: str,
        *,
        permissions: Any = 0,
        roles: Iterable[Role] = (),
        nick: str | None = None,
        admin: bool = False,
        global_name: str | None = None,
        user: User | None = None,
    ) -> Member:
        """Add a member; `permissions`/`admin` grant bits on top of @everyone via a personal role."""
        if user is None:
            user = self._world.add_user(name, global_name=global_name)
        if user.id in self.members:
            raise ValueError(f"{user.username} is already a member of {self.name}")
        member_roles = list(roles)
        bits = as_bits(permissions) | (Permission.ADMINISTRATOR if admin else 0)
        if bits:
            member_roles.append(self.add_role(f"{name}-role", bits))
        member = Member(user, self, nick=nick, roles=member_roles)
        self.members[user.id] = member
        self._world.emit("GUILD_MEMBER_ADD", {"guild_id": str(self.id), **member.payload()},
                         INTENT_GUILD_MEMBERS)
        return member

    def add_text_channel(
        self, name: str, *, bot_permissions: Any = None, topic: str | None = None, nsfw: bool = False
    ) -> Channel:
        """A text channel; `bot_permissions` pins what the bot may do in it."""
        return self._add_channel(GUILD_TEXT, name, bot_permissions=bot_permissions, topic=topic, nsfw=nsfw)

    def add_announcement_channel(self, name: str, *, bot_permissions: Any = None) -> Channel:
        """An announcement (news) channel."""
        return self._add_channel(GUILD_ANNOUNCEMENT, name, bot_permissions=bot_permissions)

    def add_thread(
        self, parent: Channel, name: str, *, private: bool = False, archived: bool = False,
        locked: bool = False,
    ) -> Channel:
        """A thread under `parent`; it inherits the parent's permissions."""
        if parent.guild is not self or parent.is_thread or parent.is_dm:
            raise ValueError("threads need a text or announcement channel of this guild as parent")
        if parent.type == GUILD_ANNOUNCEMENT:
            kind = ANNOUNCEMENT_THREAD
        else:
            kind = PRIVATE_THREAD if private else PUBLIC_THREAD
        thread = Channel(self._world, id=self._world.ids.next(), type=kind, name=name, guild=self,
                         parent=parent, owner_id=self.owner_id)
        thread.archived = archived
        thread.locked = locked
        self.threads.append(thread)
        self._world.register_channel(thread)
        self._world.emit("THREAD_CREATE", {**thread.payload(), "newly_created": True}, INTENT_GUILDS)
        return thread

    def _add_channel(self, kind: int, name: str, *, bot_permissions: Any, topic: str | None = None,
                     nsfw: bool = False) -> Channel:
        channel = Channel(self._world, id=self._world.ids.next(), type=kind, name=name, guild=self,
                          position=len(self.channels), topic=topic, nsfw=nsfw)
        if bot_permissions is not None:
            wanted = as_bits(bot_permissions)
            channel.overwrites[self.bot_member.id] = Overwrite(
                self.bot_member.id, 1, allow=wanted, deny=ALL_PERMISSIONS & ~wanted
            )
        self.channels.append(channel)
        self._world.register_channel(channel)
        self._world.emit("CHANNEL_CREATE", channel.payload(), INTENT_GUILDS)
        return channel

    def payload(self) -> dict[str, Any]:
        """The guild object (as GET /guilds/{id} returns it)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "owner_id": str(self.owner_id),
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "roles": [role.payload() for role in self.roles],
            "emojis": [],
            "stickers": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def create_payload(self, *, all_members: bool, initial: bool) -> dict[str, Any]:
        """The GUILD_CREATE payload.

        Without the GUILD_PRESENCES intent Discord lists only the bot itself (and voice users) in
        `members`; `unavailable: false` marks a guild from READY, while a newly joined guild has no
        `unavailable` key (discord.py tells guild_available from guild_join by that).
        """
        members = list(self.members.values()) if all_members else [self.bot_member]
        data = self.payload()
        data.update(
            {
                "joined_at": iso(self.created_at),
                "large": False,
                "member_count": len(self.members),
                "voice_states": [],
                "members": [m.payload() for m in members],
                "channels": [c.payload() for c in self.channels if not c.deleted],
                "threads": [t.payload() for t in self.threads if not t.deleted and not t.archived],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
                "lazy": True,
                "incidents_data": None,
            }
        )
        if initial:
            data["unavailable"] = False
        return data


class World:
    """Everything the fake knows about; emits gateway events when the bot is connected."""

    def __init__(self, ids: SnowflakeFactory, bot_user: User, emit: EmitFn) -> None:
        self.ids = ids
        self.bot_user = bot_user
        self._emit = emit
        self.users: dict[int, User] = {bot_user.id: bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.messages: dict[int, StoredMessage] = {}

    def emit(self, event: str, payload: Payload, intent: int, *, guild_id: int | None = None) -> None:
        """Forward a change to the gateway (it drops it when no session is live).

        A payload given as a function names its server with `guild_id`, for the shard routing.
        """
        self._emit(event, payload, intent, guild_id=guild_id)

    def add_user(self, name: str, *, global_name: str | None = None, bot: bool = False,
                 locale: str = "en-US") -> User:
        """A user who is not (yet) in any guild."""
        user = User(self.ids.next(), name, global_name=global_name, bot=bot, locale=locale)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: User | None = None, bot_permissions: Any = None,
                  locale: str = "en-US", shard: tuple[int, int] | None = None) -> Guild:
        """A guild the bot is in; dispatches GUILD_CREATE when the bot is connected.

        `shard` (shard id, shard count) picks an id whose events that shard receives.
        """
        owner = owner or self.add_user(f"{name.lower().replace(' ', '-')}-owner")
        bits = DEFAULT_BOT_PERMISSIONS if bot_permissions is None else as_bits(bot_permissions)
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = Guild(self, id=guild_id, name=name, owner=owner, bot_permissions=bits, locale=locale)
        self.guilds[guild.id] = guild
        self.emit(
            "GUILD_CREATE",
            lambda intents: guild.create_payload(all_members=bool(intents & INTENT_GUILD_PRESENCES),
                                                 initial=False),
            INTENT_GUILDS,
            guild_id=guild.id,
        )
        return guild

    def register_channel(self, channel: Channel) -> None:
        """Index a channel by id."""
        self.channels[channel.id] = channel

    def channel(self, channel_id: int) -> Channel | None:
        """A live channel by id."""
        channel = self.channels.get(channel_id)
        return None if channel is None or channel.deleted else channel

    def dm_channel(self, user: User | Member) -> Channel:
        """The DM channel between the bot and `user`, created on first use."""
        target = user.user if isinstance(user, Member) else user
        channel = self.dm_channels.get(target.id)
        if channel is None:
            channel = Channel(self, id=self.ids.next(), type=DM, name=None, recipient=target)
            self.dm_channels[target.id] = channel
            self.register_channel(channel)
        return channel

    def remove_channel(self, channel: Channel) -> None:
        """Delete a channel (and its threads) and dispatch CHANNEL_DELETE / THREAD_DELETE."""
        if channel.deleted:
            return
        channel.deleted = True
        guild = channel.guild
        if channel.is_thread:
            assert guild is not None and channel.parent is not None
            self.emit("THREAD_DELETE", {"id": str(channel.id), "guild_id": str(guild.id),
                                        "parent_id": str(channel.parent.id), "type": channel.type},
                      INTENT_GUILDS)
            return
        if guild is not None:
            for thread in guild.threads:
                if thread.parent is channel:
                    thread.deleted = True
        self.emit("CHANNEL_DELETE", channel.payload(), INTENT_GUILDS)

    def shares_guild_with_bot(self, user: User) -> bool:
        """Whether some guild has both the bot and `user` (needed to DM them)."""
        return any(user.id in guild.members for guild in self.guilds.values())
