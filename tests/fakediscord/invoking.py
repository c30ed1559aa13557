"""Sending interactions the way a Discord client would: resolve the command, check the user may
use it here, build the payload and dispatch INTERACTION_CREATE."""

from __future__ import annotations

import base64
import copy
import secrets
from collections.abc import Mapping
from typing import Any

from .clock import Clock
from .commands import CommandRegistry
from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    CONTEXT_BOT_DM,
    CONTEXT_GUILD,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    CommandNotAvailable,
    InteractionRecord,
    InvocationError,
    base_payload,
    command_data,
    component_data,
    modal_submit_data,
)
from .messages import StoredMessage
from .permissions import Permission, as_bits
from .snowflakes import SnowflakeFactory
from .waiting import ChangeNotifier
from .world import Channel, Guild, Member, User, World


class InteractionSender:
    """Builds and dispatches interactions; keeps every InteractionRecord by id and by token."""

    def __init__(self, *, ids: SnowflakeFactory, application_id: int, world: World, commands: CommandRegistry,
                 gateway: Gateway, clock: Clock, notifier: ChangeNotifier) -> None:
        self._ids = ids
        self._application_id = application_id
        self._world = world
        self._commands = commands
        self._gateway = gateway
        self._clock = clock
        self._notifier = notifier
        self.records: list[InteractionRecord] = []
        # (guild id, command name, user id): a server admin granted this member a command in the
        # server's Integrations settings, which overrides default_member_permissions.
        self.command_overrides: set[tuple[int, str, int]] = set()
        self.by_id: dict[str, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}

    async def invoke(self, guild: Guild | None, channel: Channel | None, user: Member | User, command: str,
                     /, **options: Any) -> InteractionRecord:
        """Run a slash command by full name ("quiz start"), with option values as keyword arguments."""
        self._require_session(guild)
        member, person, channel, permissions = self._place(guild, channel, user)
        words = command.split()
        found = self._find_command(words, guild)
        self._check_command_usable(found, guild, channel, member, permissions)
        data, _ = command_data(found, words, options, guild=guild, channel=channel, invoker=member or person)
        return await self._dispatch_interaction(APPLICATION_COMMAND, data, guild, channel, person, member,
                                                permissions, command=found)

    async def autocomplete(self, guild: Guild | None, channel: Channel | None, user: Member | User, command: str,
                           /, *, option: str, value: Any, **options: Any) -> InteractionRecord:
        """Send an autocomplete interaction with `option` focused and `value` typed so far."""
        self._require_session(guild)
        member, person, channel, permissions = self._place(guild, channel, user)
        words = command.split()
        found = self._find_command(words, guild)
        self._check_command_usable(found, guild, channel, member, permissions)
        data, focused_type = command_data(found, words, {**options, option: value}, guild=guild, channel=channel,
                                          invoker=member or person, focused=option)
        return await self._dispatch_interaction(APPLICATION_COMMAND_AUTOCOMPLETE, data, guild, channel, person,
                                                member, permissions, command=found, focused_type=focused_type)

    async def invoke_unchecked(self, guild: Guild | None, channel: Channel | None, user: Member | User,
                               command: str, /, options: list[dict[str, Any]], *,
                               resolved: dict[str, Any] | None = None,
                               autocomplete: bool = False) -> InteractionRecord:
        """Send a command (or autocomplete) with `options` exactly as given, as a stale or hostile
        client can: values the definition does not allow, wrong types, unknown or unresolved options.

        The command itself must exist and be usable here (Discord routes only registered commands).
        """
        self._require_session(guild)
        member, person, channel, permissions = self._place(guild, channel, user)
        words = command.split()
        found = self._find_command(words, guild)
        self._check_command_usable(found, guild, channel, member, permissions)
        data: dict[str, Any] = {"id": found["id"], "name": found["name"], "type": found["type"]}
        if found.get("guild_id"):
            data["guild_id"] = found["guild_id"]
        container = data
        for word in words[1:]:
            node: dict[str, Any] = {"name": word, "type": 1, "options": []}
            container["options"] = [node]
            container = node
        container["options"] = copy.deepcopy(options)
        if resolved:
            data["resolved"] = copy.deepcopy(resolved)
        kind = APPLICATION_COMMAND_AUTOCOMPLETE if autocomplete else APPLICATION_COMMAND
        focused = next((o for o in options if o.get("focused")), None)
        return await self._dispatch_interaction(kind, data, guild, channel, person, member, permissions,
                                                command=found, focused_type=focused["type"] if focused else None)

    async def click(self, message: StoredMessage, custom_id: str, user: Member | User, *,
                    stale: bool = False) -> InteractionRecord:
        """Click a button on a message the bot sent.

        stale=True clicks the message as it was first sent: a client that has not yet received
        the bot's later edit (which may have disabled the button) can still send that click.
        """
        return await self._component(message, custom_id, user, None, stale=stale)

    async def select(self, message: StoredMessage, custom_id: str, user: Member | User,
                     values: list[Any]) -> InteractionRecord:
        """Pick values in a select menu on a message the bot sent."""
        return await self._component(message, custom_id, user, values)

    async def submit_modal(self, opened_by: InteractionRecord, values: Mapping[str, str | list[str]],
                           user: Member | User | None = None, *, unchecked: bool = False) -> InteractionRecord:
        """Submit the modal the bot opened in answer to `opened_by` (see `modal_submit_data`)."""
        modal = opened_by.modal
        if modal is None:
            raise InvocationError(f"interaction {opened_by.id} was not answered with a modal")
        data = modal_submit_data(modal, values, unchecked=unchecked)
        who = user or opened_by.member or opened_by.user
        member, person, channel, permissions = self._place(opened_by.guild, opened_by.channel, who)
        # A modal opened from a component carries that message (and may update it with type 7).
        from_component = opened_by.type == MESSAGE_COMPONENT
        source = opened_by.source_message if from_component else None
        extra = {"message": source.payload()} if source is not None else {}
        return await self._dispatch_interaction(MODAL_SUBMIT, data, opened_by.guild, channel, person, member,
                                                permissions, source_message=source, from_component=from_component,
                                                extra=extra)

    async def _component(self, message: StoredMessage, custom_id: str, user: Member | User,
                         values: list[Any] | None, *, stale: bool = False) -> InteractionRecord:
        if message.deleted:
            raise InvocationError(f"message {message.id} was deleted")
        if stale and message.history:
            seen = copy.copy(message)
            seen.state = message.history[0]
            message = seen
        channel = message.channel
        guild = channel.guild
        member, person, channel, permissions = self._place(guild, channel, user)
        if message.ephemeral and message.interaction is not None and message.interaction.user.id != person.id:
            raise InvocationError("only the user who triggered an ephemeral message can see (and click) it")
        data = component_data(message, custom_id, values, member or person)
        return await self._dispatch_interaction(MESSAGE_COMPONENT, data, guild, channel, person, member,
                                                permissions, source_message=message,
                                                extra={"message": message.payload()})

    def _find_command(self, words: list[str], guild: Guild | None) -> dict[str, Any]:
        """The command a user here would pick by its first word (guild commands shadow global ones)."""
        if not words:
            raise InvocationError("empty command name")
        scope = guild.id if guild is not None else None
        found = self._commands.find(words[0], guild_id=scope)
        if found is None:
            here = [c["name"] for c in self._commands.commands(scope)]
            everywhere = [c["name"] for c in self._commands.commands(None)]
            raise CommandNotAvailable(f"no command {words[0]!r} is registered here (this scope: {here}, "
                                      f"global: {everywhere})")
        return found

    def _require_session(self, guild: Guild | None) -> None:
        session = self._gateway.session_for(guild.id if guild is not None else None)
        if session is None or session.invalidated:
            where = f"for guild {guild.id}'s shard " if guild is not None else ""
            raise RuntimeError(f"the bot has no gateway session {where}: start it and wait until it is ready first")

    def _place(self, guild: Guild | None, channel: Channel | None,
               user: Member | User) -> tuple[Member | None, User, Channel, int]:
        """Resolve (member, user, channel, the user's permissions there) for an interaction and check
        they fit together.

        The permissions are computed once here and passed along to the checks and the payload
        (nothing can change them in between: building and dispatching the interaction does not yield).
        """
        person = user.user if isinstance(user, Member) else user
        if guild is None:
            channel = channel or self._world.dm_channel(person)
            if not channel.is_dm or channel.recipient is not person:
                raise InvocationError("outside a guild, interactions happen in the user's DM with the bot")
            return None, person, channel, channel.permissions_for(person)
        member = guild.member(person)
        if member is None:
            raise InvocationError(f"{person.username} is not a member of {guild.name}")
        if channel is None or channel.guild is not guild:
            raise InvocationError(f"a guild interaction needs a channel of {guild.name}")
        if channel.deleted:
            raise InvocationError(f"{channel!r} was deleted")
        permissions = member.permissions_in(channel)
        if not permissions & Permission.VIEW_CHANNEL:
            raise InvocationError(f"{person.username} cannot see #{channel.name}")
        return member, person, channel, permissions

    def _check_command_usable(self, command: dict[str, Any], guild: Guild | None, channel: Channel,
                              member: Member | None, permissions: int) -> None:
        """Hide commands like the Discord client: contexts, default_member_permissions, NSFW."""
        contexts = command.get("contexts")
        if contexts is None:
            dm_ok = command.get("guild_id") is None and command.get("dm_permission", True)
            contexts = [CONTEXT_GUILD, CONTEXT_BOT_DM] if dm_ok else [CONTEXT_GUILD]
        wanted = CONTEXT_GUILD if guild is not None else CONTEXT_BOT_DM
        if wanted not in contexts:
            raise CommandNotAvailable(f"/{command['name']} is not available in context {wanted} (contexts {contexts})")
        if command.get("nsfw") and not channel.nsfw:
            raise CommandNotAvailable(f"/{command['name']} is age-restricted and #{channel.name} is not")
        if member is None:
            return
        if not permissions & Permission.USE_APPLICATION_COMMANDS:
            raise CommandNotAvailable(f"{member.display_name} cannot use application commands in #{channel.name}")
        required = command.get("default_member_permissions")
        overridden = guild is not None and (guild.id, command["name"], member.user.id) in self.command_overrides
        if required is not None and not overridden:
            bits = as_bits(int(required))
            # "0" hides the command from everyone but administrators (who have every bit).
            if permissions & bits != bits or (bits == 0 and not permissions & Permission.ADMINISTRATOR):
                raise CommandNotAvailable(f"{member.display_name} lacks default_member_permissions {required} "
                                          f"for /{command['name']}")

    async def _dispatch_interaction(self, kind: int, data: dict[str, Any], guild: Guild | None, channel: Channel,
                                    user: User, member: Member | None, permissions: int, *,
                                    command: dict[str, Any] | None = None, focused_type: int | None = None,
                                    source_message: StoredMessage | None = None,
                                    from_component: bool = False, extra: dict[str, Any] | None = None
                                    ) -> InteractionRecord:
        self._require_session(guild)
        interaction_id = self._ids.next()
        # Shaped like Discord's: URL-safe base64 of "interaction:<id>:<secret>".
        raw = f"interaction:{interaction_id}:{secrets.token_hex(48)}".encode()
        token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        payload = base_payload(interaction_id=interaction_id, application_id=self._application_id, token=token,
                               kind=kind, guild=guild, channel=channel, user=user, member=member,
                               permissions=permissions)
        payload["data"] = data
        payload.update(extra or {})
        record = InteractionRecord(
            id=interaction_id, token=token, type=kind, payload=payload, created_at=self._clock.monotonic(),
            guild=guild, channel=channel, user=user, member=member, notifier=self._notifier,
            source_message=source_message, command=command, focused_type=focused_type,
            from_component=from_component,
        )
        self.records.append(record)
        self.by_id[str(interaction_id)] = record
        self.by_token[token] = record
        await self._gateway.dispatch("INTERACTION_CREATE", payload)
        return record

