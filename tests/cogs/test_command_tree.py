"""Every cog loads into a real, offline bot, and the command tree is one Discord will accept."""

import re
from pathlib import Path

import discord
import pytest

from bot.client import EXTENSIONS, QuizBot, command_signature
from bot.content import ContentStore
from bot.host_config import DEFAULT_CONTENT_PATH, HostConfig
from bot.storage import open_database
from tests.fake_token import FAKE_TOKEN

TOKEN = FAKE_TOKEN
NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


@pytest.fixture
async def bot(tmp_path: Path):
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN}, base_dir=tmp_path)
    db = await open_database(settings.database_url)
    client = QuizBot(settings, db, ContentStore.load(DEFAULT_CONTENT_PATH))
    for extension in EXTENSIONS:
        await client.load_extension(extension)
    yield client
    for extension in list(client.extensions):
        await client.unload_extension(extension)
    await db.close()


def walk(payload: dict, path: str = ""):
    yield path + payload["name"], payload
    for option in payload.get("options", []):
        if option["type"] in (1, 2):  # subcommand, subcommand group
            yield from walk(option, path + payload["name"] + " ")


async def test_every_command_is_named_and_described_within_discord_limits(bot: QuizBot) -> None:
    payloads = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    assert len(payloads) <= 100
    names = [p["name"] for p in payloads]
    assert len(names) == len(set(names))
    for full_name, payload in (pair for p in payloads for pair in walk(p)):
        assert NAME.match(payload["name"]), full_name
        assert 1 <= len(payload["description"]) <= 100, full_name
        options = payload.get("options", [])
        assert len(options) <= 25, full_name
        for option in options:
            assert NAME.match(option["name"]), f"{full_name} {option['name']}"
            assert 1 <= len(option["description"]) <= 100, f"{full_name} {option['name']}"


async def test_the_tree_has_every_feature(bot: QuizBot) -> None:
    commands = {command.name: command for command in bot.tree.get_commands()}
    assert set(commands) == {"help", "about", "config", "fact", "quiz", "leaderboard", "rank", "pack"}
    quiz = commands["quiz"].to_dict(bot.tree)
    start = next(o for o in quiz["options"] if o["name"] == "start")
    ranges = {o["name"]: (o.get("min_value"), o.get("max_value")) for o in start["options"]}
    assert ranges["questions"] == (1, 20)
    assert ranges["seconds"] == (5, 60)
    config = commands["config"].to_dict(bot.tree)
    assert int(config["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert config["contexts"] == [0]  # server only
    assert quiz["contexts"] == [0]
    pack = commands["pack"].to_dict(bot.tree)
    assert int(pack["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert {o["name"] for o in pack["options"]} == {
        "upload", "list", "remove", "disable", "enable", "export", "template", "hide", "unhide", "reports",
    }
    upload = next(o for o in pack["options"] if o["name"] == "upload")
    assert [(o["name"], o["type"], o["required"]) for o in upload["options"]] == [("file", 11, True)]


async def test_the_sync_signature_changes_only_with_the_definitions(bot: QuizBot) -> None:
    before = command_signature(bot.tree, None)
    assert command_signature(bot.tree, None) == before
    await bot.unload_extension("cogs.meta")
    assert command_signature(bot.tree, None) != before


async def test_server_only_commands_are_declared_server_only(bot: QuizBot) -> None:
    payloads = {command.name: command.to_dict(bot.tree) for command in bot.tree.get_commands()}
    for name in ("quiz", "config", "leaderboard", "rank", "pack"):
        assert payloads[name]["contexts"] == [0], name
    assert payloads["fact"].get("contexts") in (None, [0, 1, 2], [0, 1])  # /fact works in DMs too


async def test_channel_options_offer_only_text_announcement_channels_and_threads(bot: QuizBot) -> None:
    config = next(c for c in bot.tree.get_commands() if c.name == "config").to_dict(bot.tree)
    for sub in config["options"]:
        for option in sub.get("options", []):
            if option["type"] == 7:  # CHANNEL
                # text 0, announcement 5, announcement thread 10, public thread 11, private thread 12
                assert sorted(option["channel_types"]) == [0, 5, 10, 11, 12], sub["name"]
