"""copy-database: every table and row to an empty database, in both directions, checked by counts."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.content import EntryKind
from bot.facts.deck import Deck
from bot.guild_settings import Setting
from bot.quiz import AskedQuestion, Round, RoundStatus
from bot.storage import Database, open_database
from bot.storage.copy import TABLES, CopyError, copy_database
from bot.storage.facts import FactRepo
from bot.storage.meta import MetaRepo
from bot.storage.packs import PackRepo
from bot.storage.rounds import RoundRepo
from bot.storage.servers import ServerRepo
from bot.storage.url import sqlite_url
from tests.postgres import fresh_schema

GUILD = 1_577_484_789_479_374_849  # a real-sized snowflake: PostgreSQL must keep all 64 bits
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
async def postgres_url(postgres_server_url: str) -> AsyncIterator[str]:
    async with fresh_schema(postgres_server_url) as url:
        yield url


async def fill(db: Database) -> int:
    """Put rows in every table, as a bot that has run for a while would; return the last round id."""
    await MetaRepo(db).set("command_sync_hash", "abc")
    settings = ServerRepo(db)
    await settings.change(GUILD, {Setting.DAILY_FACT_CHANNEL: 5, Setting.DAILY_FACT_HOUR: 9}, 42)
    await settings.add_notice(GUILD, "daily", "Fact of the day: missing Send Messages.")
    facts = FactRepo(db)
    await facts.save_decks([((f"guild:{GUILD}", ""), Deck(frozenset({"f1", "f2"}), "f2"))])
    await facts.claim_daily_post(GUILD, date(2026, 11, 22), "a-fact")
    packs = PackRepo(db)
    await packs.save_pack(GUILD, "mine", "Mine", "[pack]\nid = 'mine'\n", 1, 0, 42)
    await packs.set_enabled(GUILD, "casino-night", False, 42)
    await packs.set_hidden(GUILD, EntryKind.FACT, "a-fact", True, 42)
    rounds = RoundRepo(db)
    round_id = 0
    for channel in (1, 2):
        round_id = await rounds.create(
            guild_id=GUILD, channel_id=channel, starter_id=7, topic=None, question_count=1, seconds=20,
            started_at=NOW.timestamp(), question_ids=[f"q{channel}"], history_topic="",
        )
        quiz = Round(round_id, GUILD, channel, 7, [AskedQuestion(f"q{channel}", "?", ("a", "b"), 0, "", None)], 20)
        quiz.open_next(0.0)
        for user in range(1, 30):
            quiz.answer(user, f"player {user}", 0, user % 2, 1.5)
        await rounds.record_question(GUILD, quiz.close(20.0), NOW.timestamp())
        await rounds.finish(round_id, RoundStatus.FINISHED, NOW.timestamp())
    return round_id


async def dump(db: Database) -> dict[str, list[tuple]]:
    return {t: sorted(tuple(r) for r in await db.fetch_all(f"SELECT * FROM {t}")) for t in TABLES}  # noqa: S608


async def test_the_table_list_covers_the_whole_schema(tmp_path: Path) -> None:
    db = await open_database(sqlite_url(tmp_path / "bot.db"))
    try:
        assert await db.table_names() - {"schema_migrations"} == set(TABLES)
    finally:
        await db.close()


@pytest.mark.parametrize("direction", ["sqlite to postgresql", "postgresql to sqlite"])
async def test_every_row_is_copied_and_ids_continue(tmp_path: Path, postgres_url: str, direction: str) -> None:
    sqlite = sqlite_url(tmp_path / "bot.db")
    source_url, target_url = (sqlite, postgres_url) if direction.startswith("sqlite") else (postgres_url, sqlite)
    source = await open_database(source_url)
    try:
        last_round = await fill(source)
        expected = await dump(source)
    finally:
        await source.close()
    progress = io.StringIO()
    copied = await copy_database(source_url, target_url, progress)
    assert {c.table: c.rows for c in copied}["answers"] == 58
    assert "answers" in progress.getvalue() and "58 rows" in progress.getvalue()
    target = await open_database(target_url)
    try:
        assert await dump(target) == expected
        # The copy kept every id, and new rounds are numbered after them.
        new = await RoundRepo(target).create(
            guild_id=GUILD, channel_id=3, starter_id=7, topic=None, question_count=1, seconds=20,
            started_at=NOW.timestamp(), question_ids=[], history_topic="",
        )
        assert new > last_round
    finally:
        await target.close()


async def test_a_target_with_data_is_refused_and_left_alone(tmp_path: Path, postgres_url: str) -> None:
    sqlite = sqlite_url(tmp_path / "bot.db")
    for url in (sqlite, postgres_url):
        db = await open_database(url)
        await MetaRepo(db).set("owner", url)
        await db.close()
    with pytest.raises(CopyError, match="already holds data"):
        await copy_database(sqlite, postgres_url, io.StringIO())
    db = await open_database(postgres_url)
    try:
        assert await MetaRepo(db).get("owner") == postgres_url
    finally:
        await db.close()


def test_the_command_reports_the_copy_without_the_password(tmp_path: Path, postgres_url: str, capsys) -> None:
    source = tmp_path / "bot.db"
    assert main(["copy-database", "--from", f"sqlite:///{source}", "--to", postgres_url]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"copied {len(TABLES)} tables, 0 rows") and "every table's row count matches" in out
    assert "meta" in err  # a line per table
    assert main(["copy-database", "--from", f"sqlite:///{source}", "--to", "mysql://x/y"]) == 2
    assert "must look like" in capsys.readouterr().err
