"""Start-up, command sync, /help, /about, the error path and the token, end to end."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot.exit_status import EXIT_CONFIG, EXIT_CONTENT
from bot.host_config import HostConfig
from tests.e2e.conftest import TOKEN, embed_text
from tests.fakediscord import pointed_at

CHECKOUT = Path(entry.__file__).resolve().parents[1]

EVERY_COMMAND = [
    "/about",
    "/config channel",
    "/config show",
    "/fact",
    "/help",
    "/leaderboard",
    "/quiz skip",
    "/quiz start",
    "/quiz stop",
    "/rank",
]


async def test_the_bot_connects_and_syncs_its_commands_once(fake, world, botctl) -> None:
    bot = await botctl.start()
    assert bot.user.id == fake.bot_user_id
    assert bot.get_guild(world.guild.id) is not None
    assert len(fake.sync_calls) == 1
    scope, payload = fake.sync_calls[0]
    assert scope == "global"
    assert {c["name"] for c in payload} == {"help", "about", "config", "fact", "quiz", "leaderboard", "rank", "pack"}
    await botctl.restart()
    assert len(fake.sync_calls) == 1, "unchanged commands must not be synced again"
    assert fake.identify_count == 2
    fake.assert_no_rejections()


async def test_a_dev_guild_gets_its_own_instant_sync(fake, world, botctl) -> None:
    await botctl.start(DEV_GUILD_ID=str(world.guild.id))
    scope, payload = fake.sync_calls[-1]
    assert scope != "global" and str(world.guild.id) in str(scope)
    assert {c["name"] for c in payload} >= {"fact", "quiz"}


async def test_help_lists_every_command(fake, world, bot) -> None:
    rec = await fake.invoke(world.guild, world.general, world.players[0], "help")
    await rec.response()
    assert rec.ephemeral
    text = embed_text(rec.embeds[0])
    for usage in EVERY_COMMAND:
        assert f"`{usage}" in text, usage
    assert "Get a random behind-the-scenes fact." in text
    fake.assert_no_rejections()


async def test_about_shows_version_content_and_latency(fake, world, bot) -> None:
    rec = await fake.invoke(world.guild, world.general, world.players[0], "about")
    await rec.response()
    text = embed_text(rec.embeds[0])
    counts = bot.content.counts
    assert "0.1.0" in text
    assert f"{counts.facts} facts ({counts.contested} contested)" in text
    assert f"{counts.questions} questions" in text
    assert re.search(r"\d+ ms|measuring", text)
    assert rec.ack_latency < 1.0


async def test_an_unexpected_error_gives_an_error_id_that_the_log_carries(fake, world, bot, caplog, bot_log) -> None:
    bot_log.expect(r"^error [0-9a-f]{8} in fact ", logger="bot.errors")

    async def broken(*args, **kwargs):
        raise RuntimeError("kaboom")

    bot.get_cog("Facts").dealer.next_fact = broken
    rec = await fake.invoke(world.guild, world.general, world.players[0], "fact")
    await rec.response()
    assert rec.ephemeral
    error_id = re.search(r"error id `([0-9a-f]{8})`", rec.content).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert "kaboom" not in rec.content


async def test_a_missing_permission_is_named(fake, world, bot) -> None:
    locked = world.guild.add_text_channel("locked", bot_permissions=["view_channel", "send_messages"])
    rec = await fake.invoke(world.guild, locked, world.players[0], "quiz start")
    await rec.response()
    assert rec.ephemeral
    assert "Embed Links" in rec.content


async def test_nothing_the_bot_sends_can_ping(fake, world, bot) -> None:
    await (await fake.invoke(world.guild, world.general, world.players[0], "fact")).response()
    for message in fake.messages(world.general):
        assert not message.pings()


def run_bot_process(cwd: Path, code_root: Path = CHECKOUT) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` from `cwd` with the package imported from `code_root`, no inherited settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(code_root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_token_prints_one_clear_line_and_exits_2(tmp_path) -> None:
    result = run_bot_process(tmp_path)
    assert result.returncode == EXIT_CONFIG
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: DISCORD_TOKEN: not set")
    assert "developers/applications" in lines[0]
    assert "Traceback" not in result.stderr


def test_dotenv_is_read_from_the_working_directory_not_beside_the_code(tmp_path) -> None:
    # A checkout whose .env holds a token: started from another folder, the bot must not use it
    # (a test run from the checkout would otherwise log in to Discord for real).
    checkout = tmp_path / "checkout"
    shutil.copytree(CHECKOUT / "bot", checkout / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    (checkout / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_bot_process(elsewhere, code_root=checkout)
    assert result.returncode == 2
    assert result.stderr.startswith("error: DISCORD_TOKEN: not set"), result.stderr

    (elsewhere / ".env").write_text("DISCORD_TOKEN=Bot abc.def.ghi\n")  # read, and refused as it should be
    result = run_bot_process(elsewhere, code_root=checkout)
    assert result.returncode == 2
    assert result.stderr.startswith("error: DISCORD_TOKEN: paste the token alone"), result.stderr


async def test_a_token_discord_refuses_gets_its_own_message(fake, world, tmp_path) -> None:
    wrong = TOKEN[:-4] + "XXXX"
    settings = HostConfig.from_env({"DISCORD_TOKEN": wrong, "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    stderr = io.StringIO()
    async with pointed_at(fake):
        with redirect_stderr(stderr):
            status = await entry._run_bot(settings)
    assert status == EXIT_CONFIG
    assert "refused by Discord (401 Unauthorized)" in stderr.getvalue()
    assert wrong not in stderr.getvalue()


@pytest.mark.parametrize("level", ["DEBUG"])
async def test_the_token_never_reaches_the_log(fake, world, botctl, caplog, level) -> None:
    caplog.set_level(level)
    await botctl.start()
    await (await fake.invoke(world.guild, world.general, world.players[0], "about")).response()
    await botctl.stop()
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


async def test_a_database_that_cannot_be_opened_gets_a_clear_message(tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{blocker / 'bot.db'}"})
    stderr = io.StringIO()
    with redirect_stderr(stderr):
        status = await entry._run_bot(settings)
    assert status == EXIT_CONFIG
    assert stderr.getvalue().startswith("error: DATABASE_URL: cannot open the SQLite database at")


@pytest.mark.parametrize("broken", ["empty-text", "missing-path"])
async def test_broken_content_stops_the_start_with_the_status_check_content_gives(tmp_path, broken) -> None:
    pack = tmp_path / "broken.toml"
    if broken == "empty-text":
        pack.write_text('[pack]\nid = "x"\ntitle = "X"\n\n[[facts]]\nid = "f"\ntext = ""\ntopics = ["a"]\n'
                        'sources = []\n')
        problem = "broken.toml: fact f: field 'text'"
    else:
        problem = "broken.toml: path: does not exist"
    settings = HostConfig.from_env({"DISCORD_TOKEN": TOKEN, "CONTENT_PATH": str(pack)}, base_dir=tmp_path)
    stderr, stdout = io.StringIO(), io.StringIO()
    with redirect_stderr(stderr):
        status = await entry._run_bot(settings)
    assert status == EXIT_CONTENT
    assert problem in stderr.getvalue()
    with redirect_stdout(stdout):
        assert entry.main(["check-content", str(pack)]) == status
    assert problem in stdout.getvalue()
