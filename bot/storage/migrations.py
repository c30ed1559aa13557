"""Versioned schema migrations: recorded, idempotent, each applied in one transaction.

A migration is a tuple of statements rather than one script because `executescript` commits
whatever transaction is open before it runs; executing statements one by one inside
`Database.transaction()` keeps a migration and its record atomic. The statements are written for
SQLite and PostgreSQL alike (`bot.storage.postgres.translate` maps the column types). Several
processes may start at once on one PostgreSQL database: each migration is applied under a lock
and only if the ledger, read under that lock, does not have it yet.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.database import Database, Transaction

__all__ = ["MIGRATIONS", "Migration", "apply_migrations", "schema_version"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "meta key-value store",
        (
            """CREATE TABLE meta (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "server settings and notices",
        (
            # One row per (server, setting): value NULL means explicitly cleared; changed_by
            # NULL means the bot itself changed it (for example, the channel was deleted).
            """CREATE TABLE guild_settings (
                guild_id   INTEGER NOT NULL,
                key        TEXT    NOT NULL,
                value      TEXT,
                changed_by INTEGER,
                changed_at TEXT    NOT NULL,
                PRIMARY KEY (guild_id, key)
            )""",
            # Problems a moderator should see in /config show (a deleted channel, a permission
            # the fact of the day lacked), one per (server, subject).
            """CREATE TABLE guild_notices (
                guild_id   INTEGER NOT NULL,
                subject    TEXT    NOT NULL,
                message    TEXT    NOT NULL,
                noticed_at TEXT    NOT NULL,
                PRIMARY KEY (guild_id, subject)
            )""",
        ),
    ),
    Migration(
        3,
        "fact decks and the fact of the day",
        (
            # scope is 'guild:<id>' or 'user:<id>' (direct messages); topic '' is the whole pool.
            """CREATE TABLE fact_decks (
                scope   TEXT NOT NULL,
                topic   TEXT NOT NULL,
                drawn   TEXT NOT NULL,
                last_id TEXT,
                PRIMARY KEY (scope, topic)
            )""",
            """CREATE TABLE daily_fact_posts (
                guild_id       INTEGER PRIMARY KEY,
                last_posted_on TEXT NOT NULL
            )""",
            # The fact-of-the-day loop looks up every server with an hour set.
            "CREATE INDEX guild_settings_by_key ON guild_settings (key, guild_id)",
        ),
    ),
    Migration(
        4,
        "quiz rounds, answers and player totals",
        (
            """CREATE TABLE rounds (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                guild_id         INTEGER NOT NULL,
                channel_id       INTEGER NOT NULL,
                starter_id       INTEGER NOT NULL,
                topic            TEXT,
                question_count   INTEGER NOT NULL,
                seconds          INTEGER NOT NULL,
                status           TEXT    NOT NULL,  -- running, finished, stopped, interrupted, failed
                started_at       REAL    NOT NULL,  -- unix seconds
                ended_at         REAL,
                last_message_id  INTEGER
            )""",
            # Start-up looks for rounds a crash left running; the partial index stays tiny.
            "CREATE INDEX rounds_running ON rounds (status) WHERE status = 'running'",
            "CREATE INDEX rounds_by_guild ON rounds (guild_id, started_at)",
            # One row per player per question: the record that totals can be rebuilt from. No
            # query reads it by time or player (the totals tables serve those), so it carries
            # only its primary key: every extra index would slow the hottest write.
            """CREATE TABLE answers (
                round_id       INTEGER NOT NULL REFERENCES rounds (id),
                question_index INTEGER NOT NULL,
                question_id    TEXT    NOT NULL,
                guild_id       INTEGER NOT NULL,
                user_id        INTEGER NOT NULL,
                choice         INTEGER NOT NULL,
                correct        INTEGER NOT NULL,
                points         INTEGER NOT NULL,
                seconds_taken  REAL    NOT NULL,
                answered_at    REAL    NOT NULL,  -- unix seconds
                PRIMARY KEY (round_id, question_index, user_id)
            )""",
            # Running totals, updated in the same transaction as the answers, so a leaderboard
            # page is an index range scan instead of an aggregate over every answer.
            """CREATE TABLE player_totals (
                guild_id      INTEGER NOT NULL,
                user_id       INTEGER NOT NULL,
                display_name  TEXT    NOT NULL,
                points        INTEGER NOT NULL DEFAULT 0,
                correct       INTEGER NOT NULL DEFAULT 0,
                answered      INTEGER NOT NULL DEFAULT 0,
                best_streak   INTEGER NOT NULL DEFAULT 0,
                rounds_played INTEGER NOT NULL DEFAULT 0,
                last_round_id INTEGER,
                PRIMARY KEY (guild_id, user_id)
            )""",
            """CREATE INDEX player_totals_ranking
               ON player_totals (guild_id, points DESC, correct DESC, user_id)""",
            # The same per calendar period ('week:2026-W47', 'month:2026-11', UTC).
            """CREATE TABLE period_totals (
                guild_id INTEGER NOT NULL,
                period   TEXT    NOT NULL,
                user_id  INTEGER NOT NULL,
                points   INTEGER NOT NULL DEFAULT 0,
                correct  INTEGER NOT NULL DEFAULT 0,
                answered INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (guild_id, period, user_id)
            )""",
            """CREATE INDEX period_totals_ranking
               ON period_totals (guild_id, period, points DESC, correct DESC, user_id)""",
            # Questions already asked in a server, per topic ('' = all), so rounds do not repeat
            # questions until the topic's pool is used up.
            """CREATE TABLE asked_questions (
                guild_id    INTEGER NOT NULL,
                topic       TEXT    NOT NULL,
                question_id TEXT    NOT NULL,
                PRIMARY KEY (guild_id, topic, question_id)
            )""",
        ),
    ),
    Migration(
        5,
        "one running round per channel, enforced by the database",
        (
            # Rounds run in memory in the process that owns the channel's server, which checks
            # before it starts one; the index makes it a rule no second process can break. A
            # channel left with several running rounds (impossible before, but never assume)
            # keeps the newest; the others are marked interrupted as a restart would.
            """UPDATE rounds SET status = 'interrupted'
               WHERE status = 'running'
                 AND id NOT IN (SELECT MAX(id) FROM rounds WHERE status = 'running' GROUP BY channel_id)""",
            "CREATE UNIQUE INDEX rounds_one_running_per_channel ON rounds (channel_id) WHERE status = 'running'",
        ),
    ),
    Migration(
        6,
        "the fact of the day is claimed pending with its fact, then marked posted or refused",
        (
            # Rows from before this were written only once posted (or refused): 'posted' is right.
            "ALTER TABLE daily_fact_posts ADD COLUMN state TEXT NOT NULL DEFAULT 'posted'",
            "ALTER TABLE daily_fact_posts ADD COLUMN fact_id TEXT",
        ),
    ),
    Migration(
        7,
        "players' reports of facts and questions",
        (
            # pack_id is the entry's pack when it was reported, so the list can name it even
            # after the pack is gone. resolved_at stays NULL while a report is open.
            """CREATE TABLE entry_reports (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                guild_id    INTEGER NOT NULL,
                entry_kind  TEXT    NOT NULL,  -- fact, question
                entry_id    TEXT    NOT NULL,
                pack_id     TEXT    NOT NULL,
                reporter_id INTEGER NOT NULL,
                reason      TEXT    NOT NULL,  -- wrong, unclear, offensive, other
                note        TEXT,
                created_at  REAL    NOT NULL,  -- unix seconds; a player's report again moves it
                resolved_at REAL,
                resolved_by INTEGER
            )""",
            # One open report per player per entry in a server (reporting again updates it); the
            # same index serves the list's grouping by entry and the dismissal of an entry.
            """CREATE UNIQUE INDEX entry_reports_one_open_per_player
               ON entry_reports (guild_id, entry_kind, entry_id, reporter_id) WHERE resolved_at IS NULL""",
        ),
    ),
    Migration(
        8,
        "server packs, per-server pack switches and hidden entries",
        (
            # A pack uploaded in Discord, for its server only: the TOML as uploaded (so /pack
            # export gives it back and a restart parses it again with the current validator), and
            # what /pack list shows without parsing it.
            """CREATE TABLE server_packs (
                guild_id    INTEGER NOT NULL,
                pack_id     TEXT    NOT NULL,
                title       TEXT    NOT NULL,
                toml        TEXT    NOT NULL,
                facts       INTEGER NOT NULL,
                questions   INTEGER NOT NULL,
                uploaded_by INTEGER NOT NULL,
                uploaded_at TEXT    NOT NULL,
                PRIMARY KEY (guild_id, pack_id)
            )""",
            # Packs a server switched off, shipped ones included; a pack without a row is on.
            """CREATE TABLE disabled_packs (
                guild_id    INTEGER NOT NULL,
                pack_id     TEXT    NOT NULL,
                disabled_by INTEGER NOT NULL,
                disabled_at TEXT    NOT NULL,
                PRIMARY KEY (guild_id, pack_id)
            )""",
            # Facts and questions a server's moderators hid (kind 'fact' or 'question': the two
            # have separate id spaces).
            """CREATE TABLE hidden_entries (
                guild_id  INTEGER NOT NULL,
                kind      TEXT    NOT NULL,
                entry_id  TEXT    NOT NULL,
                hidden_by INTEGER NOT NULL,
                hidden_at TEXT    NOT NULL,
                PRIMARY KEY (guild_id, kind, entry_id)
            )""",
        ),
    ),
)

# Any number that no other lock of the bot uses (shard leases and server locks are others).
MIGRATION_LOCK = 0x6D6967726174

_LEDGER = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


async def schema_version(db: Database) -> int:
    """Return the highest migration version applied (0 for a new database)."""
    async with db.transaction() as tx:
        await tx.lock(MIGRATION_LOCK)
        await tx.execute(_LEDGER)
        return await _version(tx)


async def _version(tx: Transaction) -> int:
    rows = await tx.fetch_all("SELECT MAX(version) AS v FROM schema_migrations")
    return int(rows[0]["v"]) if rows and rows[0]["v"] is not None else 0


async def apply_migrations(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply every migration newer than the database; return the versions applied."""
    _check_order(migrations)
    current = await schema_version(db)
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= current:
            continue
        async with db.transaction() as tx:
            await tx.lock(MIGRATION_LOCK)
            if await _version(tx) >= migration.version:
                continue  # another process applied it while we waited for the lock
            for statement in migration.statements:
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        log.info("applied migration %d: %s", migration.version, migration.name)
        applied.append(migration.version)
    return applied


def _check_order(migrations: tuple[Migration, ...]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1..n in order, got {versions}")
