"""Application command sync: recorded, stored with stable ids, and invalid definitions rejected."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from .fake import FakeDiscord
from .harness import running


def error_paths(tree: dict[str, Any] | None, prefix: str = "") -> dict[str, str]:
    """{"0.options.1.name": "APPLICATION_COMMAND_INVALID_NAME", ...} from an errors tree."""
    found: dict[str, str] = {}
    for key, value in (tree or {}).items():
        if key == "_errors":
            found[prefix] = value[0]["code"]
        else:
            found.update(error_paths(value, f"{prefix}.{key}" if prefix else key))
    return found


def build_tree(bot: discord.Client) -> None:
    """A small command tree: /quiz start|stop, /quiz admin reset, /fact, /ping."""
    quiz = app_commands.Group(name="quiz", description="Play the quiz")
    admin = app_commands.Group(name="admin", description="Quiz admin", parent=quiz)

    @quiz.command(description="Start a round")
    async def start(interaction: discord.Interaction, questions: app_commands.Range[int, 1, 10],
                    topic: str | None = None) -> None:
        await interaction.response.send_message(f"{questions} on {topic}")

    @admin.command(description="Reset scores")
    async def reset(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("reset")

    @app_commands.command(description="Replies pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    bot.tree.add_command(quiz)
    bot.tree.add_command(ping)


async def test_sync_is_recorded_and_commands_registered(fake: FakeDiscord, make_bot) -> None:
    guild = fake.guilds[0]
    bot = make_bot()
    build_tree(bot)
    async with running(bot, fake):
        synced = await bot.tree.sync()
        bot.tree.copy_global_to(guild=discord.Object(guild.id))
        await bot.tree.sync(guild=discord.Object(guild.id))
        fetched = await bot.tree.fetch_commands()
        again = await bot.tree.sync()

    assert [(call.scope, call.accepted) for call in fake.sync_calls] == [
        ("global", True), (guild.id, True), ("global", True)]
    scope, payload = fake.sync_calls[0]
    assert scope == "global" and sorted(c["name"] for c in payload) == ["ping", "quiz"]
    assert sorted(c.name for c in synced) == ["ping", "quiz"]
    assert {c.id for c in fetched} == {c.id for c in synced} == {c.id for c in again}  # ids survive re-sync
    quiz = fake.command("quiz")
    assert sorted(o["name"] for o in quiz["options"]) == ["admin", "start"]
    start = next(o for o in quiz["options"] if o["name"] == "start")
    assert start["options"][0] == {"type": 4, "name": "questions", "description": "…",
                                                "required": True, "min_value": 1, "max_value": 10}
    assert fake.command("quiz", guild)["guild_id"] == str(guild.id)  # guild copy shadows the global one
    assert fake.rejections == []


def _option(name: str = "opt", **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "An option", **extra}


def _command(**extra: Any) -> dict[str, Any]:
    return {"type": 1, "name": "cmd", "description": "A command", **extra}


INVALID_DEFINITIONS = {
    "uppercase name": ([_command(name="Quiz")], {"0.name": "APPLICATION_COMMAND_INVALID_NAME"}),
    "name with space": ([_command(name="quiz start")], {"0.name": "APPLICATION_COMMAND_INVALID_NAME"}),
    "name too long": ([_command(name="x" * 33)], {"0.name": "BASE_TYPE_BAD_LENGTH"}),
    "empty description": ([_command(description="")], {"0.description": "BASE_TYPE_REQUIRED"}),
    "description too long": ([_command(description="d" * 101)], {"0.description": "BASE_TYPE_BAD_LENGTH"}),
    "26 options": ([_command(options=[_option(f"o{i}") for i in range(26)])],
                   {"0.options": "BASE_TYPE_MAX_LENGTH"}),
    "26 choices": ([_command(options=[_option(choices=[{"name": f"c{i}", "value": f"v{i}"} for i in range(26)])])],
                   {"0.options.0.choices": "BASE_TYPE_MAX_LENGTH"}),
    "unknown option type": ([_command(options=[{**_option(), "type": 12}])], {"0.options.0.type": "BASE_TYPE_CHOICES"}),
    "required after optional": ([_command(options=[_option("a"), _option("b", required=True)])],
                                {"0.options.1.required": "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID_ORDER"}),
    "subcommand mixed with value option": (
        [_command(options=[{"type": 1, "name": "sub", "description": "Sub"}, _option()])],
        {"0.options.0.type": "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
         "0.options.1.type": "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"}),
    "group inside subcommand": (
        [_command(options=[{"type": 1, "name": "sub", "description": "Sub", "options": [
            {"type": 2, "name": "grp", "description": "Group", "options": [
                {"type": 1, "name": "leaf", "description": "Leaf"}]}]}])],
        {"0.options.0.options.0.type": "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"}),
    "min_value above max_value": ([_command(options=[{**_option(), "type": 4, "min_value": 5, "max_value": 1}])],
                                  {"0.options.0.min_value": "APPLICATION_COMMAND_OPTION_BOUNDS_INVALID"}),
    "duplicate option names": ([_command(options=[_option("a"), _option("a")])],
                               {"0.options.1.name": "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME"}),
    "duplicate command names": ([_command(), _command()], {"1.name": "APPLICATION_COMMANDS_DUPLICATE_NAME"}),
    "101 global commands": ([_command(name=f"c{i}") for i in range(101)], {"": "BASE_TYPE_MAX_LENGTH"}),
    "choice value of the wrong type": ([_command(options=[{**_option(), "type": 4,
                                                           "choices": [{"name": "one", "value": "1"}]}])],
                                       {"0.options.0.choices.0.value": "NUMBER_TYPE_COERCE"}),
}


@pytest.mark.parametrize("case", list(INVALID_DEFINITIONS))
async def test_invalid_command_definition_is_rejected_with_50035(fake: FakeDiscord, make_bot, case: str) -> None:
    payload, expected = INVALID_DEFINITIONS[case]
    bot = make_bot()
    async with running(bot, fake):
        with pytest.raises(discord.HTTPException) as caught:
            await bot.http.bulk_upsert_global_commands(fake.application_id, payload=payload)
    assert caught.value.status == 400 and caught.value.code == 50035
    rejection = fake.rejections[-1]
    assert rejection.route == "PUT /applications/{application_id}/commands"
    assert error_paths(rejection.errors) == expected
    assert fake.sync_calls[-1].accepted is False
    assert fake.registered_commands() == []  # nothing half-applied


async def test_guild_commands_for_an_unknown_guild_get_missing_access(fake: FakeDiscord, make_bot) -> None:
    bot = make_bot()
    build_tree(bot)
    async with running(bot, fake):
        with pytest.raises(discord.Forbidden) as caught:
            await bot.tree.sync(guild=discord.Object(id=1234567890))
    assert caught.value.code == 50001
