"""Creating, editing and deleting stored messages, shared by channel and interaction routes."""

from __future__ import annotations

from typing import Any

from .bodies import UploadedFile
from .errors import FormErrors, PathPart, empty_message, form_error, payload_too_large
from .gateway import Gateway
from .interactions import ATTACHMENT_SIZE_LIMIT
from .messages import (
    FLAG_EPHEMERAL,
    FLAG_IS_COMPONENTS_V2,
    FLAG_SUPPRESS_EMBEDS,
    FLAG_SUPPRESS_NOTIFICATIONS,
    MessageState,
    StoredMessage,
    normalise_embeds,
    number_components,
)
from .snowflakes import SnowflakeFactory
from .validation import ATTACHMENTS_MAX, validate_message_fields
from .waiting import ChangeNotifier
from .world import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES, Channel, Payload, User, World

FLAG_IS_VOICE_MESSAGE = 1 << 13
# Flags a bot may set when creating a channel message; others are ignored, as Discord does.
CHANNEL_MESSAGE_FLAGS = (
    FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_IS_VOICE_MESSAGE | FLAG_IS_COMPONENTS_V2
)
# Interaction responses and followups may also be EPHEMERAL.
INTERACTION_MESSAGE_FLAGS = CHANNEL_MESSAGE_FLAGS | FLAG_EPHEMERAL

Prefix = tuple[PathPart, ...]


class MessageService:
    """Validates message bodies and keeps channels, the world index and the gateway in step."""

    def __init__(self, *, ids: SnowflakeFactory, world: World, gateway: Gateway, notifier: ChangeNotifier) -> None:
        self._ids = ids
        self._world = world
        self._gateway = gateway
        self._notifier = notifier
        self.file_data: dict[str, bytes] = {}  # attachment id -> the bytes the bot uploaded

    def build(self, body: Any, files: list[UploadedFile], *, allowed_flags: int, prefix: Prefix = ()) -> MessageState:
        """Validate a create body (limits, then emptiness) and turn it into a MessageState."""
        if not isinstance(body, dict):
            raise form_error(prefix, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        errors = FormErrors()
        validate_message_fields(body, errors, prefix)
        errors.raise_if_any()
        attachments = self._attachments(files)
        state = MessageState(
            content=body.get("content") or "",
            embeds=normalise_embeds(body.get("embeds") or []),
            components=number_components(body.get("components") or []),
            flags=(body.get("flags") or 0) & allowed_flags,
            attachments=attachments,
            allowed_mentions=body.get("allowed_mentions"),
        )
        # Stickers and polls also count as content; the fake stores neither beyond this check.
        if state.is_empty() and not body.get("sticker_ids") and not body.get("poll"):
            raise empty_message("no content, embeds, components or files")
        return state

    def edit_changes(self, body: Any, files: list[UploadedFile], *, prefix: Prefix = ()) -> tuple[dict[str, Any],
                                                                                                  list[dict[str, Any]]]:
        """Validate a PATCH body; returns (fields present, new attachments)."""
        if not isinstance(body, dict):
            raise form_error(prefix, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        errors = FormErrors()
        validate_message_fields(body, errors, prefix)
        errors.raise_if_any()
        return body, self._attachments(files)

    def post(self, channel: Channel, state: MessageState, *, author: User, **meta: Any) -> StoredMessage:
        """Store a new message and dispatch MESSAGE_CREATE (not for ephemeral ones)."""
        message = StoredMessage(id=self._ids.next(), channel=channel, author=author, state=state, **meta)
        channel.all_messages.append(message)
        self._world.messages[message.id] = message
        if not message.ephemeral:
            self._dispatch_message("MESSAGE_CREATE", message)
        self._notifier.notify()
        return message

    def edit(self, message: StoredMessage, changes: dict[str, Any], new_attachments: list[dict[str, Any]]) -> None:
        """Apply an edit unless it would leave the message empty (50006)."""
        if message.preview_edit(changes, new_attachments).is_empty():
            raise empty_message("the edit would leave the message empty")
        message.apply_edit(changes, new_attachments)
        if not message.ephemeral:
            self._dispatch_message("MESSAGE_UPDATE", message)
        self._notifier.notify()

    def delete(self, message: StoredMessage) -> None:
        """Mark deleted and dispatch MESSAGE_DELETE."""
        message.deleted = True
        if not message.ephemeral:
            data = {"id": str(message.id), "channel_id": str(message.channel.id)}
            if message.channel.guild is not None:
                data["guild_id"] = str(message.channel.guild.id)
            self._dispatch("MESSAGE_DELETE", message, data)
        self._notifier.notify()

    def _dispatch_message(self, event: str, message: StoredMessage) -> None:
        """MESSAGE_CREATE/UPDATE. The gateway renders the payload only for a session with the
        event's intent (a bot with just the guilds intent never gets these), and serialises it at once."""
        self._dispatch(event, message, lambda _intents: message.payload(include_guild=True, copy_state=False))

    def _dispatch(self, event: str, message: StoredMessage, data: Payload) -> None:
        intent = INTENT_DIRECT_MESSAGES if message.channel.is_dm else INTENT_GUILD_MESSAGES
        guild = message.channel.guild
        self._gateway.dispatch_nowait(event, data, intent, guild_id=guild.id if guild is not None else None)

    def _attachments(self, files: list[UploadedFile]) -> list[dict[str, Any]]:
        if len(files) > ATTACHMENTS_MAX:
            raise form_error(("attachments",), "BASE_TYPE_MAX_LENGTH", f"Must be {ATTACHMENTS_MAX} or fewer in length.")
        if sum(f.size for f in files) > ATTACHMENT_SIZE_LIMIT:
            raise payload_too_large(f"files total over {ATTACHMENT_SIZE_LIMIT} bytes")
        attachments = []
        for upload in files:
            attachment_id = self._ids.next()
            self.file_data[str(attachment_id)] = upload.data
            url = f"https://cdn.discordapp.invalid/attachments/{attachment_id}/{upload.filename}"
            attachments.append({
                "id": str(attachment_id),
                "filename": upload.filename,
                "size": upload.size,
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
            })
        return attachments
