"""SIGTERM and Ctrl-C end the bot within 10 s with status 0 in every state, Discord reachable or not.

Each state is reached against the fake and held there (a back-off wait that never ends, a REST
API that never answers, a write that waits for SQLite's lock), so a shutdown that waited for it
would run past the test's 10 s.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import time

import pytest

from bot import __main__ as entry
from tests.e2e.lifecycle_kit import ManualSleep, assert_quiet, send_signal, serving, settings_for, timing
from tests.e2e.quizkit import answer, is_closed, is_question, is_standings, option_ids, start_round
from tests.fakediscord import eventually, pointed_at

SHUTTING_DOWN = "shutting down"


@pytest.fixture(autouse=True)
def _capture_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def _database(tmp_path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "bot.db")


def _round_status(tmp_path) -> str:
    with _database(tmp_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT status FROM rounds").fetchone()[0]


def _points(tmp_path, player) -> int:
    with _database(tmp_path) as conn:
        row = conn.execute("SELECT points FROM player_totals WHERE user_id = ?", (player.user.id,)).fetchone()
    return 0 if row is None else row[0]


async def _round_with_one_question_earned(fake, world):
    """A running round whose first question Jim answered right and saw revealed; the second is open."""
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=3, seconds=5)
    first = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
    right, _ = option_ids(first)
    await answer(fake, first, right, jim)
    await fake.wait_for_message(world.quiz, is_closed, timeout=5)
    await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    return jim


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_closes_running_rounds_and_the_database_within_ten_seconds(fake, world, tmp_path, signum,
                                                                                 caplog):
    async with pointed_at(fake):
        run = asyncio.create_task(entry._run_bot(settings_for(tmp_path)))
        await eventually(lambda: fake.connected and fake.sync_calls, timeout=10, what="the bot to connect")
        await asyncio.sleep(0.1)
        await start_round(fake, world.guild, world.quiz, world.players[0], questions=5, seconds=60)
        await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
        began = time.monotonic()
        send_signal(signum)
        status = await asyncio.wait_for(run, timeout=10)
    assert status == 0
    assert time.monotonic() - began < 10
    notice = next(m for m in fake.messages(world.quiz) if is_standings(m, "Round interrupted"))
    assert SHUTTING_DOWN in notice.embeds[0]["description"]
    assert _round_status(tmp_path) == "interrupted"
    # The handlers go with the bot: a later Ctrl-C is Python's own again.
    assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
    assert_quiet(caplog)


async def test_a_signal_during_a_login_that_gets_no_answer(fake, world, tmp_path, caplog):
    fake.stall_rest()
    async with pointed_at(fake):
        run = asyncio.create_task(entry._run_bot(settings_for(tmp_path)))  # production timing: 30 s per try
        await fake.wait_until(lambda: fake.held_requests == ["GET /users/@me"], 10, "the login to be held")
        send_signal()
        assert await asyncio.wait_for(run, timeout=10) == 0
    assert_quiet(caplog)


async def test_a_signal_during_the_reconnect_back_off_still_closes_the_round(fake, world, tmp_path, caplog):
    sleep = ManualSleep()  # a back-off wait that never ends unless the shutdown ends it
    async with serving(fake, tmp_path, timing(sleep)) as served:
        await served.wait_connected(fake)
        jim = await _round_with_one_question_earned(fake, world)
        await fake.refuse_gateway()  # the gateway is out; REST still answers
        await sleep.wait_for_calls(1)
        send_signal()
        await served.ended()
    notice = next(m for m in fake.messages(world.quiz) if is_standings(m, "Round interrupted"))
    assert SHUTTING_DOWN in notice.embeds[0]["description"]
    assert _round_status(tmp_path) == "interrupted"
    assert _points(tmp_path, jim) >= 100
    assert_quiet(caplog)


async def test_a_signal_mid_round_with_the_network_down(fake, world, tmp_path, caplog):
    sleep = ManualSleep()
    async with serving(fake, tmp_path, timing(sleep)) as served:
        await served.wait_connected(fake)
        jim = await _round_with_one_question_earned(fake, world)
        notices = len(fake.messages(world.quiz))
        await fake.cut_network()  # nothing of Discord can be reached
        await sleep.wait_for_calls(1)
        send_signal()
        await served.ended()
    assert len(fake.messages(world.quiz)) == notices  # nothing could be posted
    assert _round_status(tmp_path) == "interrupted"
    assert _points(tmp_path, jim) >= 100
    warnings = [r.getMessage() for r in caplog.records if r.name == "cogs.quiz.runner"]
    assert len(warnings) == 1 and "Discord could not be reached" in warnings[0]
    assert_quiet(caplog)


async def test_a_signal_mid_round_while_rest_does_not_answer(fake, world, tmp_path, caplog):
    async with serving(fake, tmp_path, timing(ManualSleep()), shutdown_wait=0.2) as served:
        await served.wait_connected(fake)
        jim = await _round_with_one_question_earned(fake, world)
        fake.stall_rest()
        send_signal()
        await served.ended()
        # The round's goodbye (cancelling the open question) was sent and never answered.
        # (through the starting interaction's token, which carries the round's messages)
        assert "PATCH /webhooks/{application_id}/{webhook_token}/messages/{message_id}" in fake.held_requests
    assert _round_status(tmp_path) == "interrupted"
    assert _points(tmp_path, jim) >= 100
    assert_quiet(caplog)


async def test_a_signal_while_a_reveal_gets_no_answer(fake, world, tmp_path, caplog):
    async with serving(fake, tmp_path, timing(ManualSleep()), shutdown_wait=0.2) as served:
        await served.wait_connected(fake)
        jim = world.players[0]
        # 20 game seconds (2 s here): the live count is edited after 0.3 s, the reveal after 2.
        await start_round(fake, world.guild, world.quiz, jim, questions=3, seconds=20)
        first = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
        right, _ = option_ids(first)
        await answer(fake, first, right, jim)
        await fake.wait_for_message(world.quiz, lambda m: m.id == first.id and "1 answer so far" in str(m.embeds))
        fake.stall_rest()  # after the live count's edit, so the one request held is the reveal
        # The question closes, its results are written, and the reveal is sent but never answered.
        await fake.wait_until(lambda: fake.held_requests, 5, "the reveal to be held")
        assert _points(tmp_path, jim) >= 100
        send_signal()
        await served.ended()
    assert _round_status(tmp_path) == "interrupted"
    assert _points(tmp_path, jim) >= 100
    assert_quiet(caplog)


async def test_a_signal_mid_write_lets_the_write_finish(fake, world, tmp_path, caplog):
    async with serving(fake, tmp_path, timing(ManualSleep())) as served:
        await served.wait_connected(fake)
        quiz = served.bot.get_cog("Quiz")
        writing = asyncio.Event()
        record_question = quiz.repo.record_question
        # Another process takes SQLite's write lock just as the question's write begins, so the
        # write waits inside its BEGIN until the test lets it through.
        blocker = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)

        async def write_behind_a_lock(*args, **kwargs):
            blocker.execute("BEGIN IMMEDIATE")
            writing.set()
            return await record_question(*args, **kwargs)

        quiz.repo.record_question = write_behind_a_lock
        jim = world.players[0]
        await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
        first = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
        right, _ = option_ids(first)
        try:
            await answer(fake, first, right, jim)
            await asyncio.wait_for(writing.wait(), 5)
            send_signal()
            await eventually(lambda: quiz._closing, what="the shutdown to reach the round")
        finally:
            if blocker.in_transaction:
                blocker.execute("COMMIT")
            blocker.close()
        await served.ended()
    assert _points(tmp_path, jim) >= 100
    assert _round_status(tmp_path) == "interrupted"
    reveal = await fake.wait_for_message(world.quiz, is_closed)
    assert "Jim" in str(reveal.embeds[0])
    assert any(is_standings(m, "Round interrupted") for m in fake.messages(world.quiz))
    assert_quiet(caplog)
