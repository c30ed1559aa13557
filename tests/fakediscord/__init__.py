"""A loopback fake of Discord's gateway and REST API for end-to-end tests of discord.py bots."""

from .clock import Clock
from .commands import SyncCall
from .errors import ApiError, FormErrors
from .fake import FakeDiscord
from .harness import eventually, pointed_at, running, stop, wait_until_ready
from .interactions import CommandNotAvailable, InitialResponse, InteractionRecord, InvocationError
from .messages import MessageState, Pings, StoredMessage
from .permissions import DEFAULT_BOT_PERMISSIONS, Permission
from .server import Rejection, RequestRecord
from .world import Channel, Guild, Member, Role, User

__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "ApiError",
    "Channel",
    "Clock",
    "CommandNotAvailable",
    "FakeDiscord",
    "FormErrors",
    "Guild",
    "InitialResponse",
    "InteractionRecord",
    "InvocationError",
    "Member",
    "MessageState",
    "Permission",
    "Pings",
    "Rejection",
    "RequestRecord",
    "Role",
    "StoredMessage",
    "SyncCall",
    "User",
    "eventually",
    "pointed_at",
    "running",
    "stop",
    "wait_until_ready",
]
