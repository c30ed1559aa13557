"""DATABASE_URL: which database the bot uses, SQLite (a file) or PostgreSQL (a server).

    sqlite:///data/bot.db                             a file, relative to the working directory
    sqlite:////srv/bot/bot.db                         an absolute path (four slashes)
    postgresql://user:password@host:5432/db           a PostgreSQL server over TCP
    postgresql://user@/db?host=/run/postgresql        the same through a local (Unix) socket
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["is_postgres", "normalise", "redacted", "sqlite_path", "sqlite_url"]

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql", "postgres")
_PASSWORD = re.compile(r"^(\w+://[^:/@]*):[^@/]*@")


def sqlite_url(path: Path) -> str:
    return f"{SQLITE_PREFIX}{path}"


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in POSTGRES_SCHEMES


def sqlite_path(url: str) -> Path:
    return Path(url[len(SQLITE_PREFIX) :])


def normalise(raw: str, base: Path) -> str:
    """Return the URL with a relative SQLite path made absolute; ValueError says what is wrong."""
    url = raw.strip()
    if is_postgres(url):
        parts = urlsplit(url)
        if not parts.path.strip("/"):
            raise ValueError("name the database after the host, as in postgresql://user:password@host:5432/bot")
        try:
            parts.port  # noqa: B018 (parsing it is the check)
        except ValueError:
            raise ValueError("the port after the host must be a number, as in host:5432") from None
        return url
    if url.startswith(SQLITE_PREFIX) and len(url) > len(SQLITE_PREFIX):
        path = sqlite_path(url)
        return sqlite_url(path if path.is_absolute() else base / path)
    raise ValueError(
        "must look like sqlite:///data/bot.db (a file; four slashes for an absolute path) or "
        "postgresql://user:password@host:5432/db (a PostgreSQL server; "
        "postgresql://user@/db?host=/run/postgresql for a local socket)"
    )


def redacted(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    return _PASSWORD.sub(r"\1:***@", url)
