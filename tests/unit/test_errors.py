"""The one error path: what the user is told and what the log gets."""

import logging
import re
from types import SimpleNamespace
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest
from discord import app_commands

from bot.errors import UserError, describe_error, guarded, report_error


def fake_interaction(*, done: bool = False, perms: discord.Permissions | None = None, channel=None):
    interaction = MagicMock(spec=discord.Interaction)
    interaction.id = 1
    interaction.guild_id = 10
    interaction.channel_id = 20
    interaction.user = SimpleNamespace(id=30)
    interaction.command = SimpleNamespace(qualified_name="quiz start")
    interaction.channel = channel
    interaction.app_permissions = perms or discord.Permissions.all()
    interaction.response = MagicMock()
    interaction.response.is_done.return_value = done
    interaction.response.send_message = AsyncMock()
    interaction.followup = MagicMock()
    interaction.followup.send = AsyncMock()
    return interaction


def forbidden() -> discord.Forbidden:
    response = SimpleNamespace(status=403, reason="Forbidden")
    return discord.Forbidden(response, {"code": 50013, "message": "Missing Permissions"})


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (UserError("No round is running here."), "No round is running here."),
        (app_commands.CommandInvokeError(MagicMock(), UserError("wrapped")), "wrapped"),
        (app_commands.NoPrivateMessage(), "only works in a server"),
        (app_commands.MissingPermissions(["manage_guild"]), "You need **Manage Server**"),
        (app_commands.BotMissingPermissions(["embed_links"]), "missing **Embed Links**"),
        (app_commands.CommandOnCooldown(app_commands.Cooldown(1, 10), 4.2), "try again in 4 s"),
        (app_commands.CheckFailure(), "can't use this command here"),
    ],
)
def test_expected_errors_get_a_plain_message(error: Exception, expected: str) -> None:
    message, unexpected = describe_error(fake_interaction(), error)
    assert expected in message
    assert not unexpected


def test_a_permission_error_names_what_the_bot_lacks() -> None:
    perms = discord.Permissions(view_channel=True, send_messages=True)
    message, unexpected = describe_error(fake_interaction(perms=perms), forbidden())
    assert not unexpected
    assert "missing **Embed Links**" in message


def test_a_permission_error_in_a_thread_asks_for_thread_sending() -> None:
    thread = MagicMock(spec=discord.Thread)
    perms = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
    message, _ = describe_error(fake_interaction(perms=perms, channel=thread), forbidden())
    assert "Send Messages in Threads" in message


async def test_an_unexpected_error_is_logged_under_the_id_the_user_sees(caplog) -> None:
    interaction = fake_interaction()
    try:
        raise KeyError("boom")
    except KeyError as error:
        with caplog.at_level(logging.ERROR, logger="bot.errors"):
            await report_error(interaction, error)
    sent = interaction.response.send_message.await_args
    assert sent.kwargs["ephemeral"] is True
    error_id = re.search(r"error id `([0-9a-f]{8})`", sent.args[0]).group(1)
    record = caplog.records[-1]
    assert error_id in record.getMessage()
    assert "quiz start" in record.getMessage()
    assert record.exc_info and record.exc_info[0] is KeyError


async def test_after_a_deferral_the_error_goes_to_a_followup() -> None:
    interaction = fake_interaction(done=True)
    await report_error(interaction, UserError("late"))
    interaction.followup.send.assert_awaited_once_with("late", ephemeral=True)
    interaction.response.send_message.assert_not_awaited()


async def test_guarded_callbacks_report_instead_of_raising() -> None:
    class Button:
        @guarded
        async def callback(self, interaction):
            raise UserError("This question is closed.")

    interaction = fake_interaction()
    await Button().callback(interaction)
    interaction.response.send_message.assert_awaited_once_with("This question is closed.", ephemeral=True)


async def test_a_reply_after_the_deadline_is_one_log_line_and_no_second_attempt(caplog) -> None:
    interaction = fake_interaction()
    too_late = discord.NotFound(
        SimpleNamespace(status=404, reason="Not Found"), {"code": 10062, "message": "Unknown interaction"}
    )
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        await report_error(interaction, app_commands.CommandInvokeError(MagicMock(), too_late))
    interaction.response.send_message.assert_not_awaited()
    interaction.followup.send.assert_not_awaited()
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert caplog.records[0].exc_info is None
    assert "answered too late" in caplog.records[0].getMessage()
