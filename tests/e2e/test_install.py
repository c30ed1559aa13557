"""A wheel built from the sources runs outside a checkout: content, help and the bot itself.

The wheel is built from a copy of the repository without what a fresh clone lacks (a stale
build/ folder would otherwise leak into it) and installed into a fresh virtual environment. Only
its dependencies come from the test environment, through a .pth file, so the test needs no
network; what it proves is that the wheel itself carries everything the bot needs.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.exit_status import EXIT_CONTENT
from bot.permissions import invite_url
from tests.e2e.conftest import TOKEN
from tests.fakediscord import FakeDiscord, eventually

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "data", ".env"
)
# Points discord.py at the fake, the way tests/fakediscord/harness.py does in-process; imported
# by the interpreter at start-up (sitecustomize) only when its folder is on PYTHONPATH.
REDIRECT_TO_FAKE = """\
import os

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

Route.BASE = os.environ["FAKE_DISCORD_REST"]
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])
"""


@dataclass(frozen=True)
class Installed:
    script: Path  # the casino-night-bot console script
    site_packages: Path


def _run(*args: str | Path) -> None:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    clone = work / "clone"
    shutil.copytree(ROOT, clone, ignore=NOT_IN_A_CLONE)
    dist = work / "dist"
    # The test environment's setuptools (a test dependency) builds it: no download.
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps", "--no-index",
         "--wheel-dir", dist, clone)
    (wheel,) = dist.glob("casino_night_bot-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index", "--no-deps", wheel)
    site_packages = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    assert (site_packages / "bot" / "seeds").is_dir()
    # After the environment's own site-packages, so the bot is imported from the wheel, never from
    # the checkout (the test environment's editable install is a .pth file this one does not run).
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site_packages / "test-dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return Installed(script=venv / "bin" / "casino-night-bot", site_packages=site_packages)


def _host_env(**extra: str) -> dict[str, str]:
    """A bare environment, as on a host: no PYTHONPATH into the checkout, no settings of ours."""
    return {"PATH": "/usr/bin:/bin", **extra}


def test_check_content_finds_the_shipped_pack_from_any_folder(installed: Installed, tmp_path: Path) -> None:
    result = subprocess.run(
        [installed.script, "check-content"], cwd=tmp_path, env=_host_env(),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shipped = installed.site_packages / "bot" / "seeds" / "casino-night.toml"
    assert result.stdout.startswith(f"{shipped}: pack 'casino-night'")
    assert "OK: 1 pack" in result.stdout


def test_content_path_still_overrides_the_shipped_pack(installed: Installed, tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mine.toml").write_text('[pack]\nid = "mine"\ntitle = "Mine"\n')
    result = subprocess.run(
        [installed.script, "check-content"], cwd=tmp_path, env=_host_env(CONTENT_PATH="packs"),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == EXIT_CONTENT
    first_line = result.stdout.splitlines()[0]
    assert first_line == "packs/mine.toml: pack: field 'facts': the pack has no facts and no questions"


def test_the_script_explains_itself_under_its_own_name(installed: Installed, tmp_path: Path) -> None:
    result = subprocess.run(
        [installed.script, "--help"], cwd=tmp_path, env=_host_env(),
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.stdout.startswith("usage: casino-night-bot ")
    text = " ".join(result.stdout.split())
    assert f"({tmp_path / '.env'}, not found)" in text
    assert f"the pack shipped inside the package ({installed.site_packages / 'bot' / 'seeds'})" in text
    assert "exit status:" in text


async def test_the_installed_bot_runs_against_the_fake_from_another_folder(
    installed: Installed, fake: FakeDiscord, world, tmp_path: Path
) -> None:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(REDIRECT_TO_FAKE)
    host = tmp_path / "host"
    host.mkdir()
    (host / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\n")  # read from the folder it runs in
    log_path = tmp_path / "bot.log"
    env = _host_env(PYTHONPATH=str(shim), FAKE_DISCORD_REST=fake.rest_base, FAKE_DISCORD_GATEWAY=fake.gateway_url)
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            installed.script, cwd=host, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            await eventually(lambda: process.returncode is not None or "connected as" in log_path.read_text(),
                             timeout=60, what="the bot to connect")
            assert process.returncode is None, log_path.read_text()
            assert len(fake.sync_calls) == 1
            process.send_signal(signal.SIGTERM)
            status = await asyncio.wait_for(process.wait(), 60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    # discord.py colours its log inside a container even when it is written to a file.
    log = re.sub(r"\x1b\[[0-9;]*m", "", log_path.read_text())
    assert status == 0, log
    assert (host / "data" / "bot.db").is_file(), "DATABASE_URL's default resolves against the folder it runs in"
    assert "stopped cleanly" in log
    assert "Traceback" not in log and not re.search(r"\b(ERROR|CRITICAL)\b", log), log
    assert "voice" not in log, "no warnings about voice libraries this bot never uses"
    invite = invite_url(fake.application_id)
    assert log.count(invite) == 1, "the invite link, logged once"
