"""Stored reports: one open report per player per entry, per server, listed newest first."""

from datetime import UTC, datetime, timedelta

from bot.content import EntryKind
from bot.reports import Reason, ReportedEntry
from bot.storage.reports import NOTES_SHOWN, ReportRepo
from tests.wallclock import ManualWallClock

GUILD, OTHER, MOD = 111, 222, 9
FACT = ReportedEntry(EntryKind.FACT, "kiss-filmed-first", "casino-night", "The kiss was filmed first.")
QUESTION = ReportedEntry(EntryKind.QUESTION, "q-kiss", "casino-night", "When was the kiss filmed?")
SAME_ID = ReportedEntry(EntryKind.QUESTION, "kiss-filmed-first", "other-pack", "A question with a fact's id")


def repo_at(db) -> tuple[ReportRepo, ManualWallClock]:
    clock = ManualWallClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    return ReportRepo(db, clock), clock


async def test_a_report_is_stored_with_everything_it_says(db) -> None:
    repo, clock = repo_at(db)
    assert await repo.file(GUILD, FACT, 1, Reason.WRONG, "It was filmed last") is True
    row = await db.fetch_one("SELECT * FROM entry_reports")
    assert (row["guild_id"], row["entry_kind"], row["entry_id"], row["pack_id"], row["reporter_id"]) == (
        GUILD, "fact", FACT.entry_id, "casino-night", 1,
    )
    assert (row["reason"], row["note"], row["created_at"]) == ("wrong", "It was filmed last", clock().timestamp())
    assert row["resolved_at"] is None


async def test_reporting_again_updates_the_players_open_report(db) -> None:
    repo, clock = repo_at(db)
    await repo.file(GUILD, FACT, 1, Reason.WRONG, None)
    clock.advance(timedelta(minutes=5))
    assert await repo.file(GUILD, FACT, 1, Reason.UNCLEAR, "on second thought") is False
    rows = await db.fetch_all("SELECT reason, note, created_at FROM entry_reports")
    assert [(r["reason"], r["note"], r["created_at"]) for r in rows] == [
        ("unclear", "on second thought", clock().timestamp())
    ]
    [summary] = await repo.page(GUILD, offset=0, limit=5)
    assert summary.count == 1 and summary.reasons == {Reason.UNCLEAR: 1}


async def test_reports_are_counted_per_entry_and_listed_most_recent_first(db) -> None:
    repo, clock = repo_at(db)
    await repo.file(GUILD, FACT, 1, Reason.WRONG, "first note")
    clock.advance(timedelta(minutes=1))
    await repo.file(GUILD, QUESTION, 1, Reason.OFFENSIVE, None)
    clock.advance(timedelta(minutes=1))
    await repo.file(GUILD, FACT, 2, Reason.WRONG, None)
    clock.advance(timedelta(minutes=1))
    await repo.file(GUILD, FACT, 3, Reason.OTHER, "third note")
    await repo.file(GUILD, SAME_ID, 4, Reason.UNCLEAR, None)  # a question may share a fact's id
    assert await repo.count_entries(GUILD) == 3
    page = await repo.page(GUILD, offset=0, limit=5)
    assert [(s.kind, s.entry_id) for s in page] == [
        (EntryKind.FACT, FACT.entry_id), (EntryKind.QUESTION, SAME_ID.entry_id), (EntryKind.QUESTION, "q-kiss"),
    ]
    fact = page[0]
    assert fact.reasons == {Reason.WRONG: 2, Reason.OTHER: 1} and fact.count == 3
    assert fact.notes == ("third note", "first note") and fact.pack_id == "casino-night"
    assert fact.newest_at == clock().timestamp()
    assert page[1].pack_id == "other-pack"
    second = await repo.page(GUILD, offset=2, limit=2)
    assert [s.entry_id for s in second] == ["q-kiss"]
    assert await repo.page(GUILD, offset=3, limit=2) == []


async def test_only_the_latest_notes_are_carried(db) -> None:
    repo, clock = repo_at(db)
    for reporter in range(NOTES_SHOWN + 2):
        clock.advance(timedelta(seconds=1))
        await repo.file(GUILD, FACT, reporter, Reason.WRONG, f"note {reporter}")
    [summary] = await repo.page(GUILD, offset=0, limit=5)
    assert summary.notes == tuple(f"note {r}" for r in range(NOTES_SHOWN + 1, 1, -1))


async def test_servers_never_see_each_others_reports(db) -> None:
    repo, _ = repo_at(db)
    await repo.file(GUILD, FACT, 1, Reason.WRONG, None)
    await repo.file(OTHER, QUESTION, 1, Reason.UNCLEAR, None)
    assert [s.entry_id for s in await repo.page(GUILD, offset=0, limit=5)] == [FACT.entry_id]
    assert [s.entry_id for s in await repo.page(OTHER, offset=0, limit=5)] == [QUESTION.entry_id]
    assert await repo.dismiss(OTHER, EntryKind.FACT, FACT.entry_id, MOD) == 0
    assert await repo.count_entries(GUILD) == 1


async def test_dismissing_closes_an_entrys_reports_and_a_player_may_report_it_again(db) -> None:
    repo, clock = repo_at(db)
    await repo.file(GUILD, FACT, 1, Reason.WRONG, None)
    await repo.file(GUILD, FACT, 2, Reason.WRONG, None)
    await repo.file(GUILD, QUESTION, 1, Reason.WRONG, None)
    assert await repo.dismiss(GUILD, EntryKind.FACT, FACT.entry_id, MOD) == 2
    assert [s.entry_id for s in await repo.page(GUILD, offset=0, limit=5)] == ["q-kiss"]
    closed = await db.fetch_all("SELECT resolved_at, resolved_by FROM entry_reports WHERE entry_kind = 'fact'")
    assert {(r["resolved_at"], r["resolved_by"]) for r in closed} == {(clock().timestamp(), MOD)}
    assert await repo.file(GUILD, FACT, 1, Reason.UNCLEAR, None) is True
    assert await repo.count_entries(GUILD) == 2


async def test_the_list_reads_the_index(db) -> None:
    if not db.url.startswith("sqlite"):
        return  # the plan below is SQLite's wording; PostgreSQL's planner picks by table size
    plan = await db.fetch_all(
        "EXPLAIN QUERY PLAN SELECT entry_kind, entry_id, MAX(created_at) FROM entry_reports "
        "WHERE guild_id = ? AND resolved_at IS NULL GROUP BY entry_kind, entry_id",
        (GUILD,),
    )
    assert any("entry_reports_one_open_per_player" in str(tuple(row)) for row in plan)
