"""HostConfig: what the host configures in the environment (`.env`), validated once at start-up.

`.env` is loaded by `bot.__main__` (python-dotenv, never overriding real environment variables);
this module only reads a mapping, so tests pass a plain dict and never touch a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.content import DEFAULT_CONTENT_PATH
from bot.sharding import UNSHARDED, ShardPlan, parse_shard_plan
from bot.storage import url as database_urls

__all__ = ["DEFAULT_CONTENT_PATH", "DEFAULT_DATABASE_URL", "ENV_VAR_DOCS", "EnvVarDoc", "HostConfig", "HostConfigError"]

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

PORTAL_HINT = "https://discord.com/developers/applications → your application → Bot → Reset Token"

# A bot token is three base64url segments joined by dots (user id, timestamp, HMAC). We check
# the shape only, so that a pasted client secret or application id is caught before login.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")


@dataclass(frozen=True, slots=True)
class EnvVarDoc:
    """One setting as --help and README.md describe it (a test keeps the two in step)."""

    name: str
    default: str | None  # None: required, or empty by default (see `required`)
    meaning: str
    required: bool = False


ENV_VAR_DOCS: tuple[EnvVarDoc, ...] = (
    EnvVarDoc("DISCORD_TOKEN", None, f"the bot token: {PORTAL_HINT}", required=True),
    EnvVarDoc(
        "DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "the database: a SQLite file (sqlite:///relative/path.db, relative to the current working directory, "
        "or sqlite:////absolute/path.db; the folder is created on first start), or a PostgreSQL server "
        "(postgresql://user:password@host:5432/db, or postgresql://user@/db?host=/run/postgresql)",
    ),
    EnvVarDoc(
        "DEV_GUILD_ID",
        None,
        "a server id to sync commands to instantly (for trying the bot); empty syncs globally, "
        "which can take up to an hour to appear",
    ),
    EnvVarDoc("LOG_LEVEL", "INFO", ", ".join(LOG_LEVELS[:-1]) + f" or {LOG_LEVELS[-1]}"),
    EnvVarDoc(
        "CONTENT_PATH",
        None,
        f"a folder of content packs (*.toml) or one pack file; empty uses the pack shipped inside the package "
        f"({DEFAULT_CONTENT_PATH})",
    ),
    EnvVarDoc(
        "SHARD_COUNT",
        None,
        "the bot's total number of gateway shards (Discord requires sharding from 2,500 servers); "
        "empty runs one unsharded connection",
    ),
    EnvVarDoc(
        "SHARD_IDS",
        None,
        "the shards this process runs, e.g. 0,1; empty runs all SHARD_COUNT of them (several processes "
        "need PostgreSQL)",
    ),
)


class HostConfigError(Exception):
    """A setting is missing or malformed; the message names it and says how to fix it."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


@dataclass(frozen=True, slots=True)
class HostConfig:
    """Everything the bot reads from its environment."""

    token: str = field(repr=False)  # never shown: repr, logs and errors leave it out
    database_url: str = field(repr=False)  # may hold a password
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    content_path: Path = DEFAULT_CONTENT_PATH
    shards: ShardPlan = UNSHARDED

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, base_dir: Path | None = None) -> HostConfig:
        """Read and validate settings; relative paths resolve against base_dir (default: cwd)."""
        base = base_dir or Path.cwd()
        database_url = _parse_database_url(environ.get("DATABASE_URL", "") or DEFAULT_DATABASE_URL, base)
        return cls(
            token=_parse_token(environ.get("DISCORD_TOKEN", "")),
            database_url=database_url,
            shards=_parse_shards(environ.get("SHARD_COUNT", ""), environ.get("SHARD_IDS", ""), database_url),
            dev_guild_id=_parse_guild_id(environ.get("DEV_GUILD_ID", "")),
            log_level=_parse_log_level(environ.get("LOG_LEVEL", "") or "INFO"),
            content_path=_parse_path(environ.get("CONTENT_PATH", ""), base) or DEFAULT_CONTENT_PATH,
        )


def _parse_token(raw: str) -> str:
    token = raw.strip()
    if not token:
        raise HostConfigError(
            "DISCORD_TOKEN", f"not set. Copy .env.example to .env and paste the bot token from {PORTAL_HINT}"
        )
    if token.lower().startswith("bot "):
        raise HostConfigError("DISCORD_TOKEN", "paste the token alone, without the 'Bot ' prefix")
    if not _TOKEN_SHAPE.fullmatch(token):
        # Never echo the value: a near-miss token is still a secret.
        raise HostConfigError(
            "DISCORD_TOKEN",
            "does not look like a bot token (three dot-separated parts; not the client secret "
            f"or application id). Copy it again from {PORTAL_HINT}",
        )
    return token


def _parse_database_url(raw: str, base: Path) -> str:
    try:
        return database_urls.normalise(raw, base)
    except ValueError as error:
        raise HostConfigError("DATABASE_URL", str(error)) from None


def _parse_shards(count: str, ids: str, database_url: str) -> ShardPlan:
    try:
        plan = parse_shard_plan(count, ids)
    except ValueError as error:
        setting, problem = str(error).split(": ", 1)
        raise HostConfigError(setting, problem) from None
    if not plan.is_whole and not database_urls.is_postgres(database_url):
        # Several processes would each write the file: SQLite allows one writer process.
        raise HostConfigError(
            "SHARD_IDS",
            "spreading shards over several processes needs PostgreSQL (DATABASE_URL=postgresql://…); "
            "with SQLite, one process runs every shard: leave SHARD_IDS empty",
        )
    return plan


def _parse_guild_id(raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or not 15 <= len(value) <= 21:
        raise HostConfigError(
            "DEV_GUILD_ID",
            "must be a server id (a number of 15-21 digits: enable Developer Mode, "
            "right-click the server, Copy Server ID), or empty to sync globally",
        )
    return int(value)


def _parse_log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise HostConfigError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, not {raw.strip()!r}")
    return level


def _parse_path(raw: str, base: Path) -> Path | None:
    value = raw.strip()
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path
