"""Every strictness rule rejects like Discord: limits (50035), empty messages (50006), response timing
(10062, 40060), token expiry (50027), unacknowledged followups (10015) and permissions (50001/50013)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from discord.http import Route

from .fake import FakeDiscord
from .harness import eventually, running
from .interactions import InteractionRecord
from .permissions import DEFAULT_BOT_PERMISSIONS, Permission
from .test_commands_sync import error_paths

Body = Callable[[discord.Interaction], Awaitable[None]]
P = Permission


def bot_running(make_bot, body: Body) -> discord.Client:
    """A bot whose /run command executes `body`, keeping any HTTPException in bot.errors."""
    bot = make_bot()
    bot.errors = []  # type: ignore[attr-defined]
    bot.saved = []  # type: ignore[attr-defined]

    @bot.tree.command(description="Runs the test's body")
    async def run(interaction: discord.Interaction) -> None:
        bot.saved.append(interaction)
        try:
            await body(interaction)
        except discord.HTTPException as error:
            bot.errors.append(error)

    return bot


async def run_once(fake: FakeDiscord, make_bot, body: Body) -> tuple[InteractionRecord, list[discord.HTTPException]]:
    """Invoke /run in #general and wait for the body to finish failing or answering."""
    guild = fake.guilds[0]
    bot = bot_running(make_bot, body)
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "run")
        await eventually(lambda: bot.errors or record.initial, what="the body to finish")
        await asyncio.sleep(0.02)  # let a failing body record its error
    return record, bot.errors


def only_error(errors: list[discord.HTTPException]) -> discord.HTTPException:
    assert len(errors) == 1, errors
    return errors[0]


LIMIT_CASES: dict[str, tuple[Callable[[], dict[str, Any]], dict[str, str]]] = {
    "content over 2000": (lambda: {"content": "x" * 2001}, {"data.content": "BASE_TYPE_MAX_LENGTH"}),
    "embed description over 4096": (
        lambda: {"embed": discord.Embed(description="d" * 4097)},
        {"data.embeds.0.description": "BASE_TYPE_MAX_LENGTH"}),
    "embed title over 256": (lambda: {"embed": discord.Embed(title="t" * 257)},
                             {"data.embeds.0.title": "BASE_TYPE_MAX_LENGTH"}),
    "26 embed fields": (
        lambda: {"embed": _embed_with_fields(26)}, {"data.embeds.0.fields": "BASE_TYPE_MAX_LENGTH"}),
    "field value over 1024": (
        lambda: {"embed": discord.Embed().add_field(name="n", value="v" * 1025)},
        {"data.embeds.0.fields.0.value": "BASE_TYPE_MAX_LENGTH"}),
    "empty field name": (
        lambda: {"embed": discord.Embed().add_field(name="", value="v")},
        {"data.embeds.0.fields.0.name": "BASE_TYPE_REQUIRED"}),
    "footer over 2048": (lambda: {"embed": discord.Embed(title="t").set_footer(text="f" * 2049)},
                         {"data.embeds.0.footer.text": "BASE_TYPE_MAX_LENGTH"}),
    "embeds over 6000 in total": (
        lambda: {"embeds": [discord.Embed(title="t" * 256, description="d" * 4096),
                            discord.Embed(description="d" * 1700)]},
        {"data.embeds": "MAX_EMBED_SIZE_EXCEEDED"}),
    "button label over 80": (
        lambda: {"view": discord.ui.View().add_item(discord.ui.Button(label="b" * 81, custom_id="long"))},
        {"data.components.0.components.0.label": "BASE_TYPE_MAX_LENGTH"}),
    "duplicate custom_id": (
        lambda: {"view": discord.ui.View().add_item(discord.ui.Button(label="A", custom_id="same"))
                 .add_item(discord.ui.Button(label="B", custom_id="same"))},
        {"data.components.0.components.1.custom_id": "COMPONENT_CUSTOM_ID_DUPLICATED"}),
}


def _embed_with_fields(count: int) -> discord.Embed:
    embed = discord.Embed(title="Fields")
    for index in range(count):
        embed.add_field(name=f"n{index}", value="v")
    return embed


@pytest.mark.parametrize("case", list(LIMIT_CASES))
async def test_message_limits_are_enforced_on_interaction_responses(fake: FakeDiscord, make_bot, case: str) -> None:
    make_kwargs, expected = LIMIT_CASES[case]

    async def body(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(**make_kwargs())

    record, errors = await run_once(fake, make_bot, body)
    error = only_error(errors)
    assert error.status == 400 and error.code == 50035
    assert record.initial is None  # a rejected response does not acknowledge the interaction
    assert error_paths(record.rejections[0].errors) == expected


async def test_empty_message_is_rejected_with_50006(fake: FakeDiscord, make_bot) -> None:
    async def body(interaction: discord.Interaction) -> None:
        await interaction.response.send_message()

    _, errors = await run_once(fake, make_bot, body)
    assert only_error(errors).code == 50006


async def test_second_initial_response_gets_40060(fake: FakeDiscord, make_bot) -> None:
    async def body(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first answer")

    guild = fake.guilds[0]
    bot = bot_running(make_bot, body)
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "run")
        await record.response()
        # discord.py refuses a second response on the same Interaction object client-side, so answer
        # through a second Interaction built from the same payload (like a second process would).
        duplicate = discord.Interaction(data=record.payload, state=bot._connection)
        with pytest.raises(discord.HTTPException) as caught:
            await duplicate.response.send_message("second answer")
    assert (caught.value.status, caught.value.code) == (400, 40060)
    assert record.content == "first answer"
    assert [r.code for r in record.rejections] == [40060]


async def test_response_after_the_deadline_gets_10062(fake: FakeDiscord, make_bot) -> None:
    fake.interaction_deadline = 0.1  # Discord's is 3 s; shortened to keep the test fast

    async def body(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        await interaction.response.send_message("too late")

    record, errors = await run_once(fake, make_bot, body)
    error = only_error(errors)
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert record.initial is None
    assert "deadline" in record.rejections[0].reason


async def test_followup_before_the_initial_response_gets_10015(fake: FakeDiscord, make_bot) -> None:
    async def body(interaction: discord.Interaction) -> None:
        try:
            await interaction.followup.send("too early")
        finally:
            await interaction.response.send_message("answered")

    record, errors = await run_once(fake, make_bot, body)
    assert isinstance(only_error(errors), discord.NotFound) and errors[0].code == 10015
    assert record.content == "answered"


async def test_followups_and_edits_after_token_expiry_get_50027(fake: FakeDiscord, make_bot) -> None:
    async def body(interaction: discord.Interaction) -> None:
        await interaction.response.defer()

    guild = fake.guilds[0]
    bot = bot_running(make_bot, body)
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "run")
        await record.response()
        interaction = bot.saved[0]
        await interaction.followup.send("within 15 minutes")
        fake.clock.advance(15 * 60 + 1)
        with pytest.raises(discord.HTTPException) as followup:
            await interaction.followup.send("too late")
        with pytest.raises(discord.HTTPException) as edit:
            await interaction.edit_original_response(content="too late")
    assert (followup.value.status, followup.value.code) == (401, 50027)
    assert (edit.value.status, edit.value.code) == (401, 50027)
    assert [m.content for m in record.messages] == ["within 15 minutes"]


async def test_followups_and_edits_in_a_deleted_channel_are_refused(fake: FakeDiscord, make_bot) -> None:
    async def body(interaction: discord.Interaction) -> None:
        await interaction.response.defer()

    guild = fake.guilds[0]
    channel = guild.add_text_channel("doomed")
    bot = bot_running(make_bot, body)
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, channel, guild.member_named("alice"), "run")
        await record.response()
        interaction = bot.saved[0]
        posted = await interaction.followup.send("before", wait=True)
        await fake.delete_channel(channel)
        with pytest.raises(discord.NotFound) as followup:
            await interaction.followup.send("after")  # the token lives, the channel does not
        with pytest.raises(discord.NotFound) as edit:
            await posted.edit(content="after")
    assert followup.value.code == 10003 and edit.value.code == 10008


async def test_autocomplete_with_too_many_choices_is_rejected(fake: FakeDiscord, make_bot, bot_log) -> None:
    bot_log.expect("Ignoring exception in autocomplete for 'fact'", logger="discord.app_commands.tree")
    bot = make_bot()

    @bot.tree.command(description="Pick a fact")
    async def fact(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(topic)

    @fact.autocomplete("topic")
    async def topics(interaction: discord.Interaction, current: str) -> list[discord.app_commands.Choice[str]]:
        return [discord.app_commands.Choice(name=f"topic {i}", value=f"t{i}") for i in range(26)]

    guild = fake.guilds[0]
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.autocomplete(guild, guild.channel("general"), guild.member_named("alice"), "fact",
                                         option="topic", value="")
        await fake.wait_until(lambda: record.rejections, what="the rejected autocomplete result")
    assert error_paths(record.rejections[0].errors) == {"data.choices": "BASE_TYPE_MAX_LENGTH"}
    assert record.autocomplete_choices is None


async def test_channel_permissions_are_enforced(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    read_only = guild.add_text_channel("read-only", bot_permissions=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
    no_embeds = guild.add_text_channel("no-embeds", bot_permissions=P.VIEW_CHANNEL | P.SEND_MESSAGES)
    hidden = guild.add_text_channel("hidden", bot_permissions=0)
    no_threads = guild.add_text_channel("no-threads",
                                        bot_permissions=DEFAULT_BOT_PERMISSIONS & ~P.SEND_MESSAGES_IN_THREADS)
    thread = guild.add_thread(no_threads, "discussion")
    seen_app_permissions: list[discord.Permissions] = []

    async def body(interaction: discord.Interaction) -> None:
        seen_app_permissions.append(interaction.app_permissions)
        await interaction.response.send_message("interaction responses need no channel permission")

    bot = bot_running(make_bot, body)
    async with running(bot, fake):
        await bot.tree.sync()
        with pytest.raises(discord.Forbidden) as no_send:
            await bot.get_channel(read_only.id).send("hi")
        with pytest.raises(discord.Forbidden) as embed:
            await bot.get_channel(no_embeds.id).send(embed=discord.Embed(title="x"))
        await bot.get_channel(no_embeds.id).send("plain text is fine")
        with pytest.raises(discord.Forbidden) as invisible:
            await bot.http.send_message(hidden.id, params=discord.http.handle_message_parameters(content="hi"))
        with pytest.raises(discord.Forbidden) as in_thread:
            await guild_thread(bot, guild.id, thread.id).send("hi")
        await bot.get_channel(no_threads.id).send("the parent channel is fine")
        record = await fake.invoke(guild, read_only, guild.member_named("alice"), "run")
        await record.response()
    assert (no_send.value.code, embed.value.code, invisible.value.code, in_thread.value.code) == (
        50013, 50013, 50001, 50013)
    assert not seen_app_permissions[0].send_messages and seen_app_permissions[0].read_message_history
    assert int(record.payload["app_permissions"]) == P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY
    assert [m.content for m in fake.messages(no_embeds)] == ["plain text is fine"]


def guild_thread(bot: discord.Client, guild_id: int, thread_id: int) -> discord.Thread:
    guild = bot.get_guild(guild_id)
    assert guild is not None
    thread = guild.get_thread(thread_id)
    assert thread is not None
    return thread


RAW_CASES = {
    "6 buttons in a row": (
        {"components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": f"b{i}", "custom_id": f"b{i}"} for i in range(6)]}]},
        {"components.0.components": "BASE_TYPE_BAD_LENGTH"}),
    "6 action rows": (
        {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": f"r{i}"}]}
                        for i in range(6)]},
        {"components": "BASE_TYPE_MAX_LENGTH"}),
    "select sharing a row": (
        {"components": [{"type": 1, "components": [
            {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}]},
            {"type": 2, "style": 1, "label": "b", "custom_id": "b"}]}]},
        {"components.0.components": "COMPONENT_LAYOUT_WIDTH_EXCEEDED"}),
    "link button with custom_id": (
        {"components": [{"type": 1, "components": [
            {"type": 2, "style": 5, "label": "site", "url": "https://example.com", "custom_id": "x"}]}]},
        {"components.0.components.0.custom_id": "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED"}),
    "invalid button style": (
        {"components": [{"type": 1, "components": [{"type": 2, "style": 9, "label": "b", "custom_id": "b"}]}]},
        {"components.0.components.0.style": "BASE_TYPE_CHOICES"}),
    "26 select options": (
        {"components": [{"type": 1, "components": [
            {"type": 3, "custom_id": "s", "options": [{"label": f"o{i}", "value": f"o{i}"} for i in range(26)]}]}]},
        {"components.0.components.0.options": "BASE_TYPE_BAD_LENGTH"}),
    "11 embeds": ({"embeds": [{"title": "t"}] * 11}, {"embeds": "BASE_TYPE_MAX_LENGTH"}),
    "allowed_mentions parse and list": (
        {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        {"allowed_mentions": "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"}),
    "invalid embed url": ({"embeds": [{"title": "t", "url": "not a url"}]}, {"embeds.0.url": "URL_TYPE_INVALID_URL"}),
}


@pytest.mark.parametrize("case", list(RAW_CASES))
async def test_raw_payloads_discord_py_would_not_build_are_rejected(fake: FakeDiscord, make_bot, case: str) -> None:
    payload, expected = RAW_CASES[case]
    general = fake.guilds[0].channel("general")
    bot = make_bot()
    async with running(bot, fake):
        with pytest.raises(discord.HTTPException) as caught:
            await bot.http.request(Route("POST", "/channels/{channel_id}/messages", channel_id=general.id),
                                   json=payload)
    assert caught.value.code == 50035
    assert error_paths(fake.rejections[-1].errors) == expected
    assert fake.messages(general) == []


async def test_unknown_channel_and_message(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    doomed = guild.add_text_channel("doomed")
    bot = make_bot()
    async with running(bot, fake):
        channel = bot.get_channel(doomed.id)
        with pytest.raises(discord.NotFound) as message:
            await channel.fetch_message(1234)
        await fake.delete_channel(doomed)
        with pytest.raises(discord.NotFound) as gone:
            await bot.http.send_message(doomed.id, params=discord.http.handle_message_parameters(content="hi"))
    assert message.value.code == 10008 and gone.value.code == 10003


async def test_a_repeated_nonce_returns_the_first_message_only_within_a_few_minutes(fake: FakeDiscord, make_bot):
    from .routes_channels import NONCE_WINDOW_SECONDS

    general = fake.guilds[0].channel("general")
    bot = make_bot()
    async with running(bot, fake):
        channel = bot.get_channel(general.id)
        first = await channel.send("fact of the day", nonce="day-1")
        again = await channel.send("fact of the day", nonce="day-1")  # discord.py sets enforce_nonce
        assert again.id == first.id
        other = await channel.send("another", nonce="day-2")
        assert other.id != first.id
        fake.clock.advance(NONCE_WINDOW_SECONDS + 1)
        late = await channel.send("fact of the day", nonce="day-1")
        assert late.id != first.id, "Discord forgets a nonce after a few minutes"
    assert [m.content for m in fake.messages(general)] == ["fact of the day", "another", "fact of the day"]
