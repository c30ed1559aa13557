"""Leaderboard page and /rank with 100,000 players and 1,000,000 answers in one server.

Run: python bench/bench_leaderboard.py [--players N] [--answers N]. Prints figures; asserts
nothing (speed targets live here, never in the test suite). Target: under 20 ms each.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.periods import Period, period_keys
from bot.storage import open_database
from bot.storage.leaderboard import LeaderboardRepo

GUILD = 1
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


async def timed(label: str, call, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    median, p99 = statistics.median(samples), sorted(samples)[int(len(samples) * 0.99) - 1]
    print(f"{label:<42} median {median:6.2f} ms   p99 {p99:6.2f} ms")
    return median


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = await open_database(path)
        await db.close()
        start = time.perf_counter()
        generate(path, args.players, args.answers)
        print(
            f"generated {args.players:,} players and {args.answers:,} answers in {time.perf_counter() - start:.1f} s"
        )
        db = await open_database(path)
        board = LeaderboardRepo(db)
        middle = args.players // 2
        results = {
            "leaderboard page 1 (all time)": await timed(
                "leaderboard page 1 (all time)",
                lambda: board.page(GUILD, Period.ALL_TIME, NOW, offset=0, limit=10),
            ),
            "leaderboard page 1 (this week)": await timed(
                "leaderboard page 1 (this week)",
                lambda: board.page(GUILD, Period.WEEK, NOW, offset=0, limit=10),
            ),
            "leaderboard count (paging)": await timed(
                "leaderboard count (paging)", lambda: board.count(GUILD, Period.ALL_TIME, NOW)
            ),
            "rank of a mid-table player (all time)": await timed(
                "rank of a mid-table player (all time)",
                lambda: board.position(GUILD, Period.ALL_TIME, NOW, middle),
            ),
            "rank of a mid-table player (this week)": await timed(
                "rank of a mid-table player (this week)",
                lambda: board.position(GUILD, Period.WEEK, NOW, middle // 2),
            ),
            "player stats": await timed("player stats", lambda: board.stats(GUILD, middle)),
        }
        await db.close()
    worst = max(results.values())
    print(f"slowest median: {worst:.2f} ms (target < 20 ms)")


if __name__ == "__main__":
    asyncio.run(main())
