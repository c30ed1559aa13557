"""Fixtures for the unit tests: a migrated database in a temporary folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database, open_database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A new database with every migration applied, closed after the test."""
    database = await open_database(tmp_path / "bot.db")
    yield database
    await database.close()
