"""Rounds, per-question writes and the rankings built on them, on a temporary database."""

import itertools
from datetime import UTC, datetime, timedelta

from bot.periods import Period, period_key
from bot.quiz import AskedQuestion, Round, RoundStatus
from bot.storage.leaderboard import LeaderboardRepo
from bot.storage.rounds import RoundRepo
from bot.storage.sqlite import SqliteDatabase

GUILD, OTHER = 100, 200
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday: week 47


def question(n: int) -> AskedQuestion:
    return AskedQuestion(f"q{n}", f"Q{n}?", ("a", "b", "c", "d"), 0, "because", None)


CHANNELS = itertools.count(1)  # one running round per channel: each test round gets its own


async def new_round(repo: RoundRepo, guild: int = GUILD, questions: int = 2) -> Round:
    channel = next(CHANNELS)
    round_id = await repo.create(
        guild_id=guild,
        channel_id=channel,
        starter_id=1,
        topic=None,
        question_count=questions,
        seconds=20,
        started_at=NOW.timestamp(),
        question_ids=[f"q{n}" for n in range(questions)],
        history_topic="",
    )
    return Round(round_id, guild, channel, 1, [question(n) for n in range(questions)], 20)


async def play(repo: RoundRepo, round_: Round, choices: dict[int, int], when: datetime = NOW) -> None:
    """Play the next question: each user picks an option (0 is right) at once."""
    round_.open_next(0.0)
    for user, option in choices.items():
        round_.answer(user, f"player {user}", round_.current_index, option, 1.0)
    await repo.record_question(round_.guild_id, round_.close(20.0), when.timestamp())


async def test_a_closed_question_writes_answers_and_totals(db) -> None:
    repo = RoundRepo(db)
    round_ = await new_round(repo)
    await play(repo, round_, {1: 0, 2: 1})
    await play(repo, round_, {1: 0})
    answers = await db.fetch_all(
        "SELECT user_id, correct, points FROM answers ORDER BY question_index, user_id"
    )
    assert [(a["user_id"], a["correct"]) for a in answers] == [(1, 1), (2, 0), (1, 1)]
    stats = await LeaderboardRepo(db).stats(GUILD, 1)
    assert (stats.answered, stats.correct, stats.best_streak, stats.rounds_played) == (2, 2, 2, 1)
    assert stats.points == sum(a["points"] for a in answers if a["user_id"] == 1)
    assert (await LeaderboardRepo(db).stats(GUILD, 2)).points == 0


async def test_rounds_played_counts_each_round_once(db) -> None:
    repo = RoundRepo(db)
    for _ in range(3):
        round_ = await new_round(repo)
        await play(repo, round_, {1: 0})
        await play(repo, round_, {1: 0})
    assert (await LeaderboardRepo(db).stats(GUILD, 1)).rounds_played == 3


async def test_ties_share_a_rank_and_the_next_rank_skips(db) -> None:
    repo = RoundRepo(db)
    round_ = await new_round(repo, questions=1)
    # Same speed, same correctness: 1, 2 and 3 tie; 4 is wrong.
    await play(repo, round_, {1: 0, 2: 0, 3: 0, 4: 1})
    rows = await LeaderboardRepo(db).page(GUILD, Period.ALL_TIME, NOW, offset=0, limit=10)
    assert [(r.rank, r.user_id) for r in rows] == [(1, 1), (1, 2), (1, 3), (4, 4)]
    later = await LeaderboardRepo(db).page(GUILD, Period.ALL_TIME, NOW, offset=1, limit=10)
    assert [r.rank for r in later] == [1, 1, 4]  # a page starting inside a tie keeps the shared rank
    assert (await LeaderboardRepo(db).position(GUILD, Period.ALL_TIME, NOW, 4)).rank == 4


async def test_weekly_and_monthly_views_only_count_their_period(db) -> None:
    repo = RoundRepo(db)
    last_month = NOW - timedelta(days=30)
    round_ = await new_round(repo)
    await play(repo, round_, {1: 0}, when=last_month)
    await play(repo, round_, {2: 0}, when=NOW)
    board = LeaderboardRepo(db)
    assert [r.user_id for r in await board.page(GUILD, Period.WEEK, NOW, offset=0, limit=10)] == [2]
    assert [r.user_id for r in await board.page(GUILD, Period.MONTH, NOW, offset=0, limit=10)] == [2]
    assert {r.user_id for r in await board.page(GUILD, Period.ALL_TIME, NOW, offset=0, limit=10)} == {1, 2}
    assert [r.user_id for r in await board.page(GUILD, Period.MONTH, last_month, offset=0, limit=10)] == [1]
    assert await board.count(GUILD, Period.WEEK, NOW) == 1


async def test_servers_never_see_each_other(db) -> None:
    repo = RoundRepo(db)
    await play(repo, await new_round(repo, GUILD), {1: 0})
    await play(repo, await new_round(repo, OTHER), {2: 0})
    board = LeaderboardRepo(db)
    for period in Period:
        assert [r.user_id for r in await board.page(GUILD, period, NOW, offset=0, limit=10)] == [1]
        assert [r.user_id for r in await board.page(OTHER, period, NOW, offset=0, limit=10)] == [2]
        assert await board.position(GUILD, period, NOW, 2) is None
    assert await board.stats(GUILD, 2) is None


async def test_a_reset_clears_one_server_and_one_period(db) -> None:
    repo = RoundRepo(db)
    await play(repo, await new_round(repo, GUILD), {1: 0})
    await play(repo, await new_round(repo, OTHER), {2: 0})
    board = LeaderboardRepo(db)
    assert await board.reset(GUILD, Period.WEEK, NOW) == 1
    assert await board.count(GUILD, Period.WEEK, NOW) == 0
    assert await board.count(GUILD, Period.ALL_TIME, NOW) == 1
    assert await board.reset(GUILD, Period.ALL_TIME, NOW) == 1
    assert await board.count(GUILD, Period.MONTH, NOW) == 0
    assert await board.count(OTHER, Period.ALL_TIME, NOW) == 1
    assert await db.fetch_one("SELECT COUNT(*) FROM answers WHERE guild_id = ?", (GUILD,)) is not None


async def test_running_rounds_are_marked_interrupted_at_start_up(db) -> None:
    repo = RoundRepo(db)
    running = await new_round(repo)
    done = await new_round(repo)
    await repo.set_message(running.round_id, 555)
    await repo.finish(done.round_id, RoundStatus.FINISHED, NOW.timestamp())
    interrupted = await repo.interrupt_running(NOW.timestamp())
    assert [(r.id, r.last_message_id) for r in interrupted] == [(running.round_id, 555)]
    assert await repo.status(running.round_id) == "interrupted"
    assert await repo.status(done.round_id) == "finished"
    assert await repo.interrupt_running(NOW.timestamp()) == []


async def test_question_history_is_kept_per_server_and_topic(db) -> None:
    repo = RoundRepo(db)
    await new_round(repo, GUILD, questions=2)
    assert await repo.asked(GUILD, "") == {"q0", "q1"}
    assert await repo.asked(OTHER, "") == set()
    await repo.create(
        guild_id=GUILD,
        channel_id=next(CHANNELS),
        starter_id=1,
        topic=None,
        question_count=1,
        seconds=20,
        started_at=0,
        question_ids=["q9"],
        history_topic="",
        forget_ids=["q0", "q1"],
    )
    assert await repo.asked(GUILD, "") == {"q9"}


def test_period_keys_follow_iso_weeks_and_months() -> None:
    assert period_key(Period.WEEK, NOW) == "week:2026-W47"
    assert period_key(Period.MONTH, NOW) == "month:2026-11"
    assert period_key(Period.WEEK, datetime(2027, 1, 1, tzinfo=UTC)) == "week:2026-W53"


RANKING_PAGE = (
    "SELECT user_id FROM player_totals WHERE guild_id = ? ORDER BY points DESC, correct DESC, user_id LIMIT 10",
    (GUILD,),
)
RANK_COUNT = (
    "SELECT COUNT(*) FROM period_totals AS t WHERE t.guild_id = ? AND t.period = ? AND t.points > ?",
    (GUILD, "week:2026-W47", 5),
)


async def test_ranking_queries_use_the_indexes(db) -> None:
    for (sql, params), index in ((RANKING_PAGE, "player_totals_ranking"), (RANK_COUNT, "period_totals_ranking")):
        if isinstance(db, SqliteDatabase):
            plan = " ".join(row["detail"] for row in await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params))
        else:
            async with db.transaction() as tx:
                # An empty table is cheapest to read whole; forbid that to see which index it would use.
                await tx.execute("SET LOCAL enable_seqscan = off")
                plan = " ".join(row[0] for row in await tx.fetch_all(f"EXPLAIN {sql}", params))
        assert index in plan, plan


async def test_start_up_interrupts_only_the_rounds_of_its_own_shards(db) -> None:
    from bot.sharding import ShardPlan, shard_of

    repo = RoundRepo(db)
    guilds = [(stamp << 22) for stamp in (1_000, 1_001)]  # one server on each of two shards
    assert [shard_of(g, 2) for g in guilds] == [0, 1]
    rounds = [await new_round(repo, guild) for guild in guilds]
    mine = await repo.interrupt_running(NOW.timestamp(), ShardPlan(2, (1,)))
    assert [r.id for r in mine] == [rounds[1].round_id]
    assert await repo.status(rounds[0].round_id) == "running"  # another process's live round
