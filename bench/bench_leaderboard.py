"""Leaderboard page and /rank with 100,000 players and 1,000,000 answers in one server, SQLite and PostgreSQL.

Run: python bench/bench_leaderboard.py [--quick] [--players N] [--answers N]. Prints figures;
asserts nothing (speed targets live here, never in the test suite). Target: under 20 ms each.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from common import Section, ms, percentile, verdict

from bot.clock import Timing
from bot.periods import Period, period_keys
from bot.storage import Database, open_database
from bot.storage.copy import copy_database
from bot.storage.leaderboard import LeaderboardRepo
from bot.storage.repositories import Repositories
from bot.storage.url import sqlite_url
from bot.ui.leaderboard import PAGE_SIZE, rank_embed
from tests.postgres import fresh_schema, postgres_server

GUILD = 1
TARGET = 0.020
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def generate(path: Path, players: int, answers: int, seed: int = 7) -> None:
    """Fill the schema with one big server (plus a small neighbour) using plain sqlite3."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    week, month = period_keys(NOW)
    with conn:
        conn.execute(
            "INSERT INTO rounds (id, guild_id, channel_id, starter_id, question_count, seconds, status, started_at)"
            " VALUES (1, ?, 1, 1, 20, 20, 'finished', ?)",
            (GUILD, NOW.timestamp()),
        )
        per_player = answers // players
        answer_rows = (
            (
                1,
                q,
                f"q{q}",
                GUILD,
                user,
                0,
                rng.random() < 0.6,
                rng.choice((0, 120, 150)),
                3.0,
                NOW.timestamp(),
            )
            for user in range(1, players + 1)
            for q in range(per_player)
        )
        conn.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", answer_rows)
        totals = []
        for user in range(1, players + 1):
            correct = rng.randint(0, per_player)
            totals.append(
                (GUILD, user, f"player {user}", correct * 120 + rng.randint(0, 50), correct, per_player)
            )
        conn.executemany(
            "INSERT INTO player_totals (guild_id, user_id, display_name, points, correct, answered, best_streak,"
            " rounds_played) VALUES (?, ?, ?, ?, ?, ?, 3, 1)",
            totals,
        )
        conn.executemany(
            "INSERT INTO period_totals (guild_id, period, user_id, points, correct, answered)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (g, p, u, pts // 4, c // 4, a // 4)
                for g, u, _, pts, c, a in totals[: players // 2]
                for p in (week, month)
            ],
        )
    conn.execute("ANALYZE")
    conn.close()


async def timed(call, repeat: int = 200) -> list[float]:
    """Run `call` `repeat` times; return the durations in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return samples


async def run_checks(db: Database, players: int, repeat: int) -> list[tuple[str, bool, list[float]]]:
    """Time each query and whole command on one database; return (label, judged, samples)."""
    from cogs.leaderboard import Leaderboard

    board = LeaderboardRepo(db)
    bot = SimpleNamespace(repos=Repositories.on(db), timing=Timing(wall_clock=lambda: NOW))
    cog = Leaderboard(bot)  # type: ignore[arg-type]
    guild = SimpleNamespace(id=GUILD, name="Benchmark server")
    week, _ = period_keys(NOW)
    deep_page = (players // 2) // PAGE_SIZE
    # The last-placed players: a rank counts everyone ahead, so theirs is the slowest.
    last = (await db.fetch_one("SELECT user_id FROM player_totals WHERE guild_id = ? "
                               "ORDER BY points, correct, user_id DESC LIMIT 1", (GUILD,)))[0]
    last_week = (await db.fetch_one("SELECT user_id FROM period_totals WHERE guild_id = ? AND period = ? "
                                    "ORDER BY points, correct, user_id DESC LIMIT 1", (GUILD, week)))[0]

    async def rank_command() -> None:  # what /rank does before it replies
        stats = await board.stats(GUILD, last_week)
        all_time = await board.position(GUILD, Period.ALL_TIME, NOW, last_week)
        this_week = await board.position(GUILD, Period.WEEK, NOW, last_week)
        rank_embed(f"player {last_week}", stats, all_time, this_week)

    def page_one(period: Period):
        return lambda: board.page(GUILD, period, NOW, offset=0, limit=PAGE_SIZE)

    checks = [
        ("leaderboard page 1 (all time)", page_one(Period.ALL_TIME), True),
        ("leaderboard page 1 (this week)", page_one(Period.WEEK), True),
        ("player count, for paging (all time)", lambda: board.count(GUILD, Period.ALL_TIME, NOW), True),
        ("player count, for paging (this week)", lambda: board.count(GUILD, Period.WEEK, NOW), True),
        ("rank of the last-placed player (all time)",
         lambda: board.position(GUILD, Period.ALL_TIME, NOW, last), True),
        ("rank of the last-placed player (this week)",
         lambda: board.position(GUILD, Period.WEEK, NOW, last_week), True),
        ("player stats", lambda: board.stats(GUILD, last), True),
        ("whole `/leaderboard` (all time): count, page 1, caller's rank, embed",
         lambda: cog.render(guild, Period.ALL_TIME, 0, last), True),
        ("whole `/leaderboard` (this week): count, page 1, caller's rank, embed",
         lambda: cog.render(guild, Period.WEEK, 0, last_week), True),
        ("whole `/rank`: stats, all-time and weekly rank, embed", rank_command, True),
        (f"whole `/leaderboard` page {deep_page + 1:,} (Next pressed all the way to mid-table)",
         lambda: cog.render(guild, Period.ALL_TIME, deep_page, last), False),
    ]
    return [(label, judged, await timed(call, repeat)) for label, call, judged in checks]


async def measure(players: int = 100_000, answers: int = 1_000_000, repeat: int = 200) -> Section:
    """Generate the server in SQLite, copy it to PostgreSQL, and time the same calls on both."""
    started = time.perf_counter()
    section = Section(
        title="4. Leaderboard and rank in one big server, on SQLite and PostgreSQL",
        setup=(
            f"One server with {players:,} players and {answers:,} answers (generated straight into a SQLite "
            f"schema, plus weekly and monthly totals for half of the players, then `ANALYZE`), copied to "
            "PostgreSQL with `python -m bot copy-database` (which ends with `VACUUM ANALYZE`, as PostgreSQL "
            f"advises after a bulk load). Each figure is over {repeat} "
            "calls on the bot's own database layer: aiosqlite in WAL mode (the reader connection), and an "
            "asyncpg pool to a local PostgreSQL through its Unix socket (the `pgserver` package's server, "
            "default settings). Ranks are for the last-placed player, the slowest case: a rank counts "
            "everyone ahead."
        ),
        columns=["query", "SQLite median", "SQLite p99", "PostgreSQL median", "PostgreSQL p99", "target",
                 "verdict"],
    )
    with tempfile.TemporaryDirectory() as tmp, postgres_server() as server:
        path = Path(tmp) / "bench.db"
        db = await open_database(sqlite_url(path))
        await db.close()
        generated = time.perf_counter()
        generate(path, players, answers)
        generated = time.perf_counter() - generated
        async with fresh_schema(server) as postgres:
            copy_started = time.perf_counter()
            copied = await copy_database(sqlite_url(path), postgres, io.StringIO())
            copy_seconds = time.perf_counter() - copy_started
            results = {}
            for name, url in (("sqlite", sqlite_url(path)), ("postgresql", postgres)):
                db = await open_database(url)
                try:
                    results[name] = await run_checks(db, players, repeat)
                finally:
                    await db.close()
    for (label, judged, lite), (_, _, pg) in zip(results["sqlite"], results["postgresql"], strict=True):
        figures = [ms(statistics.median(lite)), ms(percentile(lite, 0.99)),
                   ms(statistics.median(pg)), ms(percentile(pg, 0.99))]
        if not judged:
            section.add(label, *figures, "", "")
        elif label.startswith("whole"):  # several queries in a row: judged on the median
            ok = max(statistics.median(lite), statistics.median(pg)) < TARGET
            section.add(label, *figures, f"median < {TARGET * 1000:.0f} ms (both)", verdict(ok))
        else:
            ok = max(percentile(lite, 0.99), percentile(pg, 0.99)) < TARGET
            section.add(label, *figures, f"p99 < {TARGET * 1000:.0f} ms (both)", verdict(ok))
    rows = sum(c.rows for c in copied)
    section.notes += [
        f"Generating the data took {generated:.1f} s (plain sqlite3, not timed above).",
        f"`copy-database` from SQLite to PostgreSQL: {rows:,} rows in {copy_seconds:.1f} s "
        f"({rows / copy_seconds:,.0f} rows/s), counts checked, including bringing the empty target to the "
        "current schema.",
        "Single queries (the target's page and rank) are judged on their p99; whole commands, four or five "
        "queries one after another, on their median, with the p99 beside it.",
        f"The deep page is shown for information: nobody presses Next "
        f"{(players // 2) // PAGE_SIZE:,} times, but it shows what OFFSET costs.",
    ]
    section.seconds = time.perf_counter() - started
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="10,000 players and 100,000 answers")
    args = parser.parse_args()
    players, answers = (10_000, 100_000) if args.quick else (args.players, args.answers)
    print(asyncio.run(measure(players, answers)).markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
