"""The command line explains itself: settings with defaults, where .env is read, the exit statuses.

`--help`, README.md and the statuses the commands return must agree.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import __main__ as entry
from bot.cli_help import program_name
from bot.exit_status import EXIT_CONTENT, EXIT_OK, EXIT_STATUSES
from bot.host_config import ENV_VAR_DOCS

README = Path(entry.__file__).parents[1] / "README.md"


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        entry.main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def _readme_table(heading: str) -> list[list[str]]:
    """The rows of the README table whose header row starts with `heading`, cells unquoted."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {heading} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


def test_help_lists_every_setting_with_its_default(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = " ".join(_help(capsys).split())  # unwrapped
    for doc in ENV_VAR_DOCS:
        if doc.required:
            assert f"{doc.name} (required)" in text
        else:
            assert f"{doc.name} (default: {doc.default or 'empty'})" in text
    assert f"the .env file in the current working directory ({tmp_path / '.env'}, not found)" in text


def test_help_says_when_the_env_file_is_there(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LOG_LEVEL=INFO\n")
    assert f"({tmp_path / '.env'}, found)" in " ".join(_help(capsys).split())


def test_help_lists_every_exit_status(capsys) -> None:
    text = _help(capsys)
    exit_section = text[text.index("exit status:") :]
    for status, meaning in EXIT_STATUSES:
        assert re.search(rf"^  {status} +{re.escape(meaning.split()[0])}", exit_section, re.MULTILINE), status
        assert meaning in " ".join(exit_section.split())


def test_the_readme_settings_table_agrees_with_help() -> None:
    rows = {row[0]: row for row in _readme_table("setting")}
    assert list(rows) == [doc.name for doc in ENV_VAR_DOCS]
    for doc in ENV_VAR_DOCS:
        _, required, default, _meaning = rows[doc.name]
        assert required == ("yes" if doc.required else "no"), doc.name
        assert default == ("" if doc.required else doc.default or "empty"), doc.name


def test_the_readme_exit_status_table_agrees_with_help() -> None:
    assert [(int(status), meaning) for status, meaning in _readme_table("status")] == list(EXIT_STATUSES)


def test_the_usage_line_names_the_program_as_it_was_started() -> None:
    assert program_name("/srv/venv/bin/casino-night-bot") == "casino-night-bot"
    assert program_name("/srv/casino-night/bot/__main__.py") == "python -m bot"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=README.parent,
        capture_output=True, text=True, timeout=60, check=True,
    )
    assert result.stdout.startswith("usage: python -m bot ")


def test_check_content_exits_with_the_content_status(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.delenv("CONTENT_PATH", raising=False)
    assert entry.main(["check-content", str(tmp_path / "nowhere")]) == EXIT_CONTENT
    assert "path: does not exist" in capsys.readouterr().out
    assert entry.main(["check-content"]) == EXIT_OK
