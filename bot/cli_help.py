"""What `--help` says beyond the commands: every setting with its default, .env, the exit statuses."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.exit_status import EXIT_STATUSES
from bot.host_config import ENV_VAR_DOCS, EnvVarDoc

__all__ = ["help_epilog", "program_name"]

_WIDTH = 100
_NAME_COLUMN = 16


def program_name(argv0: str) -> str:
    """The name the user typed: 'python -m bot' for the module, else the script's own name."""
    name = Path(argv0).name
    return "python -m bot" if name == "__main__.py" else name


def help_epilog(cwd: Path) -> str:
    """The text after the options: settings (with defaults and where .env is read from), exit statuses."""
    dotenv = cwd / ".env"
    lines = [
        "settings:",
        *_wrap(
            "Read from environment variables, and from the .env file in the current working directory "
            f"({dotenv}, {'found' if dotenv.is_file() else 'not found'}) for those not set in the "
            "environment: real environment variables win.",
            indent="  ",
        ),
        "",
    ]
    for doc in ENV_VAR_DOCS:
        lines += _setting_lines(doc)
    lines += ["", "exit status:"]
    for status, meaning in EXIT_STATUSES:
        lines += _wrap(meaning, indent=f"  {status:<5}", rest=" " * 7)
    return "\n".join(lines)


def _setting_lines(doc: EnvVarDoc) -> list[str]:
    if doc.required:
        default = "required"
    elif doc.default is None:
        default = "default: empty"
    else:
        default = f"default: {doc.default}"
    return _wrap(f"({default}) {doc.meaning}", indent=f"  {doc.name:<{_NAME_COLUMN}}", rest=" " * (_NAME_COLUMN + 2))


def _wrap(text: str, *, indent: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=indent, subsequent_indent=indent if rest is None else rest,
        break_on_hyphens=False, break_long_words=False,
    )
