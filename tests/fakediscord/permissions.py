"""Discord permission bits and the documented algorithm that turns roles and overwrites into them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .world import Channel, Member


class Permission(enum.IntFlag):
    """Permission bits (https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41
    USE_SOUNDBOARD = 1 << 42
    CREATE_GUILD_EXPRESSIONS = 1 << 43
    CREATE_EVENTS = 1 << 44
    USE_EXTERNAL_SOUNDS = 1 << 45
    SEND_VOICE_MESSAGES = 1 << 46
    SET_VOICE_CHANNEL_STATUS = 1 << 48
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50
    PIN_MESSAGES = 1 << 51
    BYPASS_SLOWMODE = 1 << 52


ALL_PERMISSIONS = 0
for _flag in Permission:
    ALL_PERMISSIONS |= _flag.value

P = Permission

# What a freshly created guild's @everyone role has (roughly Discord's default for new servers).
DEFAULT_EVERYONE_PERMISSIONS = int(
    P.CREATE_INSTANT_INVITE | P.ADD_REACTIONS | P.STREAM | P.VIEW_CHANNEL | P.SEND_MESSAGES
    | P.EMBED_LINKS | P.ATTACH_FILES | P.READ_MESSAGE_HISTORY | P.USE_EXTERNAL_EMOJIS | P.CONNECT
    | P.SPEAK | P.USE_VAD | P.CHANGE_NICKNAME | P.USE_APPLICATION_COMMANDS | P.REQUEST_TO_SPEAK
    | P.CREATE_PUBLIC_THREADS | P.CREATE_PRIVATE_THREADS | P.USE_EXTERNAL_STICKERS
    | P.SEND_MESSAGES_IN_THREADS | P.USE_EMBEDDED_ACTIVITIES | P.SEND_VOICE_MESSAGES | P.SEND_POLLS
    | P.USE_EXTERNAL_APPS
)

# What a typical bot invite grants the bot's managed role.
DEFAULT_BOT_PERMISSIONS = int(
    P.VIEW_CHANNEL | P.SEND_MESSAGES | P.SEND_MESSAGES_IN_THREADS | P.EMBED_LINKS | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY | P.ADD_REACTIONS | P.USE_EXTERNAL_EMOJIS | P.USE_APPLICATION_COMMANDS
)

# Permissions an app has in its own DMs (Discord reports these as app_permissions there).
DM_PERMISSIONS = int(
    P.ADD_REACTIONS | P.VIEW_CHANNEL | P.SEND_MESSAGES | P.EMBED_LINKS | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY | P.MENTION_EVERYONE | P.USE_EXTERNAL_EMOJIS | P.USE_APPLICATION_COMMANDS
    | P.USE_EXTERNAL_STICKERS | P.SEND_VOICE_MESSAGES | P.SEND_POLLS | P.USE_EXTERNAL_APPS
)

# Discord: without Send Messages, these are implicitly denied in text channels.
_NEEDS_SEND = int(P.MENTION_EVERYONE | P.SEND_TTS_MESSAGES | P.ATTACH_FILES | P.EMBED_LINKS)
# Plain ints for the algorithm below: `int & IntFlag` goes through enum's slow IntFlag.__rand__,
# and permissions are computed for every interaction.
_ADMINISTRATOR = int(P.ADMINISTRATOR)
_VIEW_CHANNEL = int(P.VIEW_CHANNEL)
_SEND_MESSAGES = int(P.SEND_MESSAGES)
_SEND_MESSAGES_IN_THREADS = int(P.SEND_MESSAGES_IN_THREADS)


def as_bits(value: Any) -> int:
    """Accept an int, a Permission, a discord.Permissions (has .value) or an iterable of names."""
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if hasattr(value, "value") and isinstance(value.value, int):
        return int(value.value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        bits = 0
        for name in value:
            bits |= Permission[str(name).upper()].value
        return bits
    raise TypeError(f"cannot interpret {value!r} as permissions")


def base_permissions(member: Member) -> int:
    """Guild-level permissions: owner and Administrator get everything (docs: compute_base_permissions)."""
    guild = member.guild
    if guild.owner_id == member.user.id:
        return ALL_PERMISSIONS
    bits = guild.everyone_role.permissions
    for role in member.roles:
        bits |= role.permissions
    if bits & _ADMINISTRATOR:
        return ALL_PERMISSIONS
    return bits


def channel_permissions(member: Member, channel: Channel) -> int:
    """Permissions in a channel: @everyone, role, then member overwrites (docs: compute_overwrites)."""
    base = base_permissions(member)
    if base & _ADMINISTRATOR or base == ALL_PERMISSIONS:
        return ALL_PERMISSIONS
    # Threads take their permissions from the parent channel's overwrites.
    source = channel.parent if channel.is_thread and channel.parent is not None else channel
    bits = base
    overwrites = source.overwrites
    everyone = overwrites.get(member.guild.id)
    if everyone is not None:
        bits = (bits & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role in member.roles:
        overwrite = overwrites.get(role.id)
        if overwrite is not None:
            allow |= overwrite.allow
            deny |= overwrite.deny
    bits = (bits & ~deny) | allow
    own = overwrites.get(member.user.id)
    if own is not None:
        bits = (bits & ~own.deny) | own.allow
    return apply_implicit_denials(bits, channel)


def apply_implicit_denials(bits: int, channel: Channel) -> int:
    """Discord's implicit permissions: no View Channel means nothing; no Send means no embeds/files/etc."""
    if not bits & _VIEW_CHANNEL:
        return 0
    send_bit = _SEND_MESSAGES_IN_THREADS if channel.is_thread else _SEND_MESSAGES
    if not bits & send_bit:
        bits &= ~_NEEDS_SEND
    return bits


def names(bits: int) -> list[str]:
    """Names of the set bits, for readable failure messages."""
    return [flag.name or "" for flag in Permission if bits & flag.value]
