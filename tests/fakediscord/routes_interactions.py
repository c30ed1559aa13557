"""Interaction callback and interaction-webhook routes, with Discord's timing rules.

https://discord.com/developers/docs/interactions/receiving-and-responding: the initial response
must arrive within 3 seconds (else 10062), only once (else 40060); the token then works for 15
minutes for followups and edits (else 50027); followups need an acknowledged interaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .bodies import query_flag, read_body
from .errors import (
    FormErrors,
    already_acknowledged,
    form_error,
    invalid_webhook_token,
    unknown_channel,
    unknown_interaction,
    unknown_message,
    unknown_webhook,
)
from .interactions import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    CALLBACK_AUTOCOMPLETE,
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    CALLBACK_UPDATE_MESSAGE,
    MODAL_SUBMIT,
    InitialResponse,
    InteractionRecord,
)
from .messages import FLAG_EPHEMERAL, FLAG_LOADING, TYPE_CHAT_INPUT_COMMAND, TYPE_DEFAULT, MessageState, StoredMessage
from .posting import INTERACTION_MESSAGE_FLAGS
from .rules import choices, required
from .server import INTERACTION_KEY, discord_json
from .validation import validate_autocomplete_choices, validate_modal

if TYPE_CHECKING:
    from .fake import FakeDiscord


class InteractionRoutes:
    """POST /interactions/{id}/{token}/callback and /webhooks/{application_id}/{token}[/messages/...]."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def register(self, router: web.UrlDispatcher, prefix: str) -> None:
        """Add the routes."""
        router.add_post(f"{prefix}/interactions/{{interaction_id}}/{{interaction_token}}/callback", self.callback)
        hook = f"{prefix}/webhooks/{{application_id}}/{{webhook_token}}"
        router.add_post(hook, self.create_followup)
        router.add_get(f"{hook}/messages/{{message_id}}", self.get_message)
        router.add_patch(f"{hook}/messages/{{message_id}}", self.edit_message)
        router.add_delete(f"{hook}/messages/{{message_id}}", self.delete_message)

    # -- initial response -------------------------------------------------------------------

    async def callback(self, request: web.Request) -> web.StreamResponse:
        """The initial response: validated, once, within the deadline."""
        record = self.fake.interactions_by_id.get(request.match_info["interaction_id"])
        if record is None or record.token != request.match_info["interaction_token"]:
            raise unknown_interaction("no interaction with this id and token")
        request[INTERACTION_KEY] = record
        body, files = await read_body(request)
        if record.initial is not None:
            raise already_acknowledged(f"already answered with callback type {record.initial.type}")
        age = self.fake.clock.monotonic() - record.created_at
        if age > self.fake.interaction_deadline:
            raise unknown_interaction(
                f"initial response {age:.3f}s after dispatch; the deadline is {self.fake.interaction_deadline}s"
            )
        if not isinstance(body, dict):
            raise form_error((), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        kind = body.get("type")
        errors = FormErrors()
        allowed = ALLOWED_CALLBACKS[record.type]
        if record.type == MODAL_SUBMIT and not record.from_component:
            # Only a modal opened from a message component may update that message.
            allowed = tuple(k for k in allowed if k not in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE_MESSAGE))
        if required(errors, ("type",), kind):
            choices(errors, ("type",), kind, allowed)
        errors.raise_if_any()
        data = body.get("data")
        message = self._apply(record, kind, data, files)
        record.initial = InitialResponse(kind, data, self.fake.clock.monotonic())
        self.fake.notify()
        if not query_flag(request, "with_response"):
            return web.Response(status=204)
        return discord_json(self._callback_response(record, kind, message))

    def _apply(self, record: InteractionRecord, kind: int, data: Any, files: list[Any]) -> StoredMessage | None:
        """Validate the callback data and carry it out; returns the message it created or updated."""
        posting = self.fake.posting
        if kind == CALLBACK_MESSAGE:
            state = posting.build(data if data is not None else {}, files,
                                  allowed_flags=INTERACTION_MESSAGE_FLAGS, prefix=("data",))
            message = self._post(record, state)
            record.original_message = message
            return message
        if kind == CALLBACK_DEFERRED_MESSAGE:
            flags = ((data or {}).get("flags") or 0) & FLAG_EPHEMERAL
            message = self._post(record, MessageState(flags=flags | FLAG_LOADING))
            record.original_message = message
            return message
        if kind == CALLBACK_DEFERRED_UPDATE:
            record.original_message = record.source_message
            return None
        if kind == CALLBACK_UPDATE_MESSAGE:
            target = record.source_message
            assert target is not None
            changes, attachments = posting.edit_changes(data if data is not None else {}, files, prefix=("data",))
            posting.edit(target, changes, attachments)
            record.original_message = target
            return target
        errors = FormErrors()
        if kind == CALLBACK_AUTOCOMPLETE:
            validate_autocomplete_choices(data, record.focused_type or 3, errors, ("data",))
        elif kind == CALLBACK_MODAL:
            validate_modal(data, errors, ("data",))
        errors.raise_if_any()
        return None

    def _post(self, record: InteractionRecord, state: MessageState) -> StoredMessage:
        message_type = TYPE_CHAT_INPUT_COMMAND if record.type == APPLICATION_COMMAND else TYPE_DEFAULT
        return self.fake.posting.post(
            record.channel, state, author=self.fake.bot_user, application_id=self.fake.application_id,
            webhook_id=self.fake.application_id, interaction=record, message_type=message_type,
        )

    def _callback_response(self, record: InteractionRecord, kind: int,
                           message: StoredMessage | None) -> dict[str, Any]:
        """InteractionCallbackResponse: what ?with_response=1 returns and discord.py parses."""
        target = record.original_message
        summary: dict[str, Any] = {"id": str(record.id), "type": record.type, "activity_instance_id": None}
        if target is not None and kind in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_UPDATE_MESSAGE,
                                           CALLBACK_DEFERRED_UPDATE):
            summary["response_message_id"] = str(target.id)
            summary["response_message_loading"] = target.loading
            summary["response_message_ephemeral"] = target.ephemeral
        response: dict[str, Any] = {"interaction": summary}
        # Discord includes the message resource only for CHANNEL_MESSAGE and UPDATE_MESSAGE.
        if message is not None and kind in (CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE):
            response["resource"] = {"type": kind, "message": message.payload(copy_state=False)}
        return response

    # -- the interaction webhook -------------------------------------------------------------

    def _webhook_record(self, request: web.Request) -> InteractionRecord:
        """The interaction behind /webhooks/{application_id}/{token}, checked like Discord does."""
        application_id = request.match_info["application_id"]
        record = self.fake.interactions_by_token.get(request.match_info["webhook_token"])
        if record is None or application_id != str(self.fake.application_id):
            raise unknown_webhook("no interaction webhook with this application id and token")
        request[INTERACTION_KEY] = record
        age = self.fake.clock.monotonic() - record.created_at
        if age > self.fake.token_lifetime:
            raise invalid_webhook_token(f"interaction token used {age:.0f}s after the interaction; "
                                        f"it expires after {self.fake.token_lifetime:.0f}s")
        if record.type == APPLICATION_COMMAND_AUTOCOMPLETE:
            raise unknown_webhook("autocomplete interactions have no followup webhook")
        if record.initial is None:
            raise unknown_webhook("the interaction has not been acknowledged yet (no initial response)")
        return record

    def _target(self, record: InteractionRecord, request: web.Request) -> StoredMessage:
        """@original or one of this interaction's followups."""
        raw = request.match_info["message_id"]
        if raw == "@original":
            target = record.original_message
            if target is None or target.deleted:
                raise unknown_message(f"interaction {record.id} has no original response message")
            return target
        for message in record.messages:
            if str(message.id) == raw and not message.deleted:
                return message
        raise unknown_message(f"message {raw} does not belong to interaction {record.id}")

    async def create_followup(self, request: web.Request) -> web.StreamResponse:
        """POST a followup; the first one after a "thinking" deferral fills in that message."""
        record = self._webhook_record(request)
        if record.channel is not None and record.channel.deleted:
            # The token still works, but the message would go to a channel that is gone.
            raise unknown_channel(f"channel {record.channel.id} was deleted")
        body, files = await read_body(request)
        posting = self.fake.posting
        original = record.original_message
        if (original is not None and original.loading and not original.deleted
                and record.initial is not None and record.initial.type == CALLBACK_DEFERRED_MESSAGE):
            state = posting.build(body, files, allowed_flags=INTERACTION_MESSAGE_FLAGS)
            changes = {"content": state.content, "embeds": state.embeds, "components": state.components,
                       "allowed_mentions": state.allowed_mentions}
            posting.edit(original, changes, state.attachments)
            message = original
        else:
            state = posting.build(body, files, allowed_flags=INTERACTION_MESSAGE_FLAGS)
            message = self._post(record, state)
        record.followups.append(message)
        self.fake.notify()
        if not query_flag(request, "wait"):
            return web.Response(status=204)
        return discord_json(message.payload(copy_state=False))

    async def get_message(self, request: web.Request) -> web.Response:
        """GET @original or a followup."""
        record = self._webhook_record(request)
        return discord_json(self._target(record, request).payload(copy_state=False))

    async def edit_message(self, request: web.Request) -> web.Response:
        """PATCH @original or a followup."""
        record = self._webhook_record(request)
        target = self._target(record, request)
        if record.channel is not None and record.channel.deleted:
            raise unknown_message(f"message {target.id} went with its deleted channel")
        body, files = await read_body(request)
        changes, attachments = self.fake.posting.edit_changes(body, files)
        self.fake.posting.edit(target, changes, attachments)
        return discord_json(target.payload(copy_state=False))

    async def delete_message(self, request: web.Request) -> web.Response:
        """DELETE @original or a followup."""
        record = self._webhook_record(request)
        self.fake.posting.delete(self._target(record, request))
        return web.Response(status=204)
