"""Channel routes: read channels and messages; create, edit, delete messages with Discord's checks.

Permissions: https://discord.com/developers/docs/resources/message#create-message (Send Messages,
Send Messages in Threads, Embed Links for embeds, Attach Files for files, Read Message History for
replies; View Channel for anything at all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .bodies import read_body
from .errors import (
    cannot_dm_user,
    cannot_edit_others_message,
    form_error,
    missing_access,
    missing_permissions,
    unknown_channel,
    unknown_message,
)
from .messages import TYPE_DEFAULT, TYPE_REPLY, StoredMessage
from .permissions import Permission, names
from .posting import CHANNEL_MESSAGE_FLAGS
from .routes_core import snowflake_param
from .server import discord_json
from .world import Channel

if TYPE_CHECKING:
    from .fake import FakeDiscord

P = Permission


# Discord drops a repeated enforce_nonce post "in the past few minutes"; the fake takes two
# minutes, so a bot that relies on any longer is caught here.
NONCE_WINDOW_SECONDS = 120.0


class ChannelRoutes:
    """/channels/{channel_id}[/messages[/{message_id}]] and typing."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Add the routes."""
        base = f"{prefix}/channels/{{channel_id}}"
        router.add_get(base, self.get_channel)
        router.add_get(f"{base}/messages", self.list_messages)
        router.add_post(f"{base}/messages", self.create_message)
        router.add_get(f"{base}/messages/{{message_id}}", self.get_message)
        router.add_patch(f"{base}/messages/{{message_id}}", self.edit_message)
        router.add_delete(f"{base}/messages/{{message_id}}", self.delete_message)
        router.add_post(f"{base}/typing", self.typing)

    # -- lookups and permission checks --------------------------------------------------------

    def _channel(self, request: web.Request) -> Channel:
        channel_id = snowflake_param(request, "channel_id", unknown_channel())
        channel = self.fake.world.channel(channel_id)
        if channel is None:
            raise unknown_channel(f"no channel {channel_id} (deleted or never existed)")
        return channel

    def _visible_channel(self, request: web.Request) -> tuple[Channel, int]:
        """The channel and the bot's permissions in it; 50001 without View Channel."""
        channel = self._channel(request)
        permissions = channel.bot_permissions()
        if not permissions & P.VIEW_CHANNEL:
            raise missing_access(f"the bot cannot view #{channel.name}")
        return channel, permissions

    def _message(self, channel: Channel, request: web.Request) -> StoredMessage:
        message_id = snowflake_param(request, "message_id", unknown_message())
        message = self.fake.world.messages.get(message_id)
        # Ephemeral messages only exist for their recipient; the bot cannot reach them here.
        if message is None or message.channel is not channel or message.deleted or message.ephemeral:
            raise unknown_message(f"no message {message_id} in channel {channel.id}")
        return message

    @staticmethod
    def _require(permissions: int, needed: int, channel: Channel, why: str) -> None:
        if permissions & needed != needed:
            missing = names(needed & ~permissions)
            raise missing_permissions(f"{why} needs {missing} in #{channel.name or channel.id}")

    # -- handlers ----------------------------------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        """GET /channels/{id}."""
        channel, _ = self._visible_channel(request)
        return discord_json(channel.payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages: newest first; [] without Read Message History (per the docs)."""
        channel, permissions = self._visible_channel(request)
        raw_limit = request.query.get("limit", "50")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 100:
            raise form_error(("limit",), "NUMBER_TYPE_MAX", "Must be between 1 and 100.")
        if not permissions & P.READ_MESSAGE_HISTORY:
            return discord_json([])
        found = [m for m in channel.messages if not m.ephemeral]
        if (before := request.query.get("before", "")).isdigit():
            found = [m for m in found if m.id < int(before)]
        if (after := request.query.get("after", "")).isdigit():
            found = [m for m in found if m.id > int(after)]
        found = sorted(found, key=lambda m: m.id, reverse=True)[: int(raw_limit)]
        return discord_json([m.payload(copy_state=False) for m in found])

    async def get_message(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages/{message_id}."""
        channel, permissions = self._visible_channel(request)
        self._require(permissions, P.READ_MESSAGE_HISTORY, channel, "reading a message")
        return discord_json(self._message(channel, request).payload(copy_state=False))

    async def create_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/messages."""
        channel = self._channel(request)
        permissions = self._dm_permissions(channel) if channel.is_dm else channel.bot_permissions()
        if not permissions & P.VIEW_CHANNEL:
            raise missing_access(f"the bot cannot view #{channel.name}")
        body, files = await read_body(request)
        state = self.fake.posting.build(body, files, allowed_flags=CHANNEL_MESSAGE_FLAGS)
        if channel.guild is not None:
            send = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
            self._require(permissions, send, channel, "sending a message")
            if state.embeds:
                self._require(permissions, P.EMBED_LINKS, channel, "sending embeds")
            if files:
                self._require(permissions, P.ATTACH_FILES, channel, "uploading files")
            if channel.is_thread and channel.locked:
                self._require(permissions, P.MANAGE_THREADS, channel, "posting in a locked thread")
        reference = body.get("message_reference")
        if reference:
            self._require(permissions, P.READ_MESSAGE_HISTORY, channel, "replying")
            raw_id = str(reference.get("message_id") or "")
            referenced = self.fake.world.messages.get(int(raw_id)) if raw_id.isdigit() else None
            if (referenced is None or referenced.deleted) and reference.get("fail_if_not_exists", True):
                raise form_error(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        nonce = body.get("nonce")
        now = self.fake.clock.monotonic()
        if body.get("enforce_nonce") and nonce is not None:
            # Discord: a repeated nonce within a few minutes returns the message it already created;
            # after that the nonce is forgotten and a new message is created.
            for earlier in reversed(channel.messages):
                if now - earlier.created_monotonic > NONCE_WINDOW_SECONDS:
                    break
                if earlier.nonce == nonce and earlier.author.id == self.fake.bot_user.id:
                    return discord_json(earlier.payload(copy_state=False))
        if channel.is_thread and channel.archived:
            channel.archived = False  # sending in an archived (unlocked) thread unarchives it
        message = self.fake.posting.post(
            channel, state, author=self.fake.bot_user, tts=bool(body.get("tts")),
            message_type=TYPE_REPLY if reference else TYPE_DEFAULT, message_reference=reference or None,
            nonce=nonce, created_monotonic=now,
        )
        return discord_json(message.payload(copy_state=False))

    def _dm_permissions(self, channel: Channel) -> int:
        recipient = channel.recipient
        assert recipient is not None
        if not recipient.accepts_dms or not self.fake.world.shares_guild_with_bot(recipient):
            raise cannot_dm_user(f"{recipient.username} does not accept DMs from the bot")
        return channel.bot_permissions()

    async def edit_message(self, request: web.Request) -> web.Response:
        """PATCH /channels/{id}/messages/{message_id}: only the bot's own messages."""
        channel, permissions = self._visible_channel(request)
        message = self._message(channel, request)
        body, files = await read_body(request)
        if message.author.id != self.fake.bot_user.id:
            raise cannot_edit_others_message(f"message {message.id} was written by {message.author.username}")
        changes, attachments = self.fake.posting.edit_changes(body, files)
        if changes.get("embeds") and channel.guild is not None:
            self._require(permissions, P.EMBED_LINKS, channel, "adding embeds")
        self.fake.posting.edit(message, changes, attachments)
        return discord_json(message.payload(copy_state=False))

    async def delete_message(self, request: web.Request) -> web.Response:
        """DELETE /channels/{id}/messages/{message_id}: others' messages need Manage Messages."""
        channel, permissions = self._visible_channel(request)
        message = self._message(channel, request)
        if message.author.id != self.fake.bot_user.id and channel.guild is not None:
            self._require(permissions, P.MANAGE_MESSAGES, channel, "deleting someone else's message")
        self.fake.posting.delete(message)
        return web.Response(status=204)

    async def typing(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/typing."""
        channel, permissions = self._visible_channel(request)
        if channel.guild is not None:
            send = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
            self._require(permissions, send, channel, "typing")
        return web.Response(status=204)
