"""Fixtures for every test folder: the two databases the bot runs on.

A test that asks for `database_url` (or `db`) runs twice: on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.storage import Database, open_database
from bot.storage.url import sqlite_url
from tests.postgres import fresh_schema, postgres_server

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database: a new SQLite file, or a new schema on the test server."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "bot.db")
        return
    async with fresh_schema(request.getfixturevalue("postgres_server_url")) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """An open, migrated database (both backends)."""
    database = await open_database(database_url)
    yield database
    await database.close()
