"""Network failures at start and after: one line per attempt, retried with back-off until Discord answers."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot import __main__ as entry
from bot.host_config import PORTAL_HINT
from tests.e2e.lifecycle_kit import (
    ManualDeadlines,
    ManualSleep,
    assert_quiet,
    retry_lines,
    send_signal,
    serving,
    settings_for,
    timing,
)
from tests.e2e.quizkit import answer, is_question, is_standings, option_ids, start_round
from tests.fakediscord import eventually, pointed_at


@pytest.fixture(autouse=True)
def _capture_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


async def _next_try_connects_then_stop(served, sleep: ManualSleep, fake) -> None:
    await sleep.release()
    await served.wait_connected(fake)
    send_signal()
    await served.ended()


async def test_a_network_down_at_login_is_one_line_per_attempt_until_it_comes_up(fake, world, tmp_path, caplog):
    await fake.cut_network()  # the host booted before its network
    sleep = ManualSleep()
    async with pointed_at(fake):
        run = asyncio.create_task(entry._run_bot(settings_for(tmp_path), timing(sleep)))
        await sleep.wait_for_calls(1)
        await sleep.release()
        await sleep.wait_for_calls(2)
        await sleep.release()
        await sleep.wait_for_calls(3)
        lines = retry_lines(caplog)
        assert len(lines) == 3
        for attempt, (line, delay) in enumerate(zip(lines, sleep.delays, strict=True), start=1):
            assert line == (f"cannot log in to Discord: cannot connect to 127.0.0.1:{fake.port} "
                            f"(Connection refused); trying again in {delay:.1f} s (attempt {attempt})")
        # Doubling, with jitter: retry n waits between half and all of 2**(n-1) seconds.
        assert all(2 ** n / 2 <= d <= 2 ** n for n, d in enumerate(sleep.delays))
        await fake.restore_network()
        await sleep.release()
        await eventually(lambda: fake.connected and fake.sync_calls, 10, what="the bot to connect and sync")
        assert len(retry_lines(caplog)) == 3  # the attempt that got through says nothing
        send_signal()
        assert await asyncio.wait_for(run, 10) == 0
    assert_quiet(caplog)
    fake.assert_no_rejections()


async def test_a_login_that_gets_no_answer_is_given_up_and_tried_again(fake, world, tmp_path, caplog):
    fake.stall_rest()
    sleep, deadlines = ManualSleep(), ManualDeadlines()
    async with serving(fake, tmp_path, timing(sleep, deadlines)) as served:
        await fake.wait_until(lambda: fake.held_requests == ["GET /users/@me"], what="the login to be held")
        assert deadlines.requested == [30.0]
        deadlines.expire()  # 30 s pass without an answer
        await sleep.wait_for_calls(1)
        assert retry_lines(caplog) == [
            f"cannot log in to Discord: Discord did not answer within 30 s; "
            f"trying again in {sleep.delays[0]:.1f} s (attempt 1)"
        ]
        fake.answer_rest()
        await _next_try_connects_then_stop(served, sleep, fake)
    assert_quiet(caplog)


async def test_a_command_sync_that_fails_is_retried_with_the_login(fake, world, tmp_path, caplog):
    # 503 is the 5xx discord.py does not retry itself: the whole login is tried again.
    fake.fail_next("PUT", "/applications/{application_id}/commands", status=503, message="503: Service Unavailable")
    sleep = ManualSleep()
    async with serving(fake, tmp_path, timing(sleep)) as served:
        await sleep.wait_for_calls(1)
        assert retry_lines(caplog) == [
            f"cannot log in to Discord: Discord answered 503 Service Unavailable; "
            f"trying again in {sleep.delays[0]:.1f} s (attempt 1)"
        ]
        await _next_try_connects_then_stop(served, sleep, fake)  # the cogs loaded once, the sync went through
    assert len(fake.sync_calls) == 1
    assert_quiet(caplog)


async def test_a_gateway_down_at_start_is_retried_like_a_disconnect(fake, world, tmp_path, caplog):
    await fake.refuse_gateway()  # REST answers: login works, the websocket does not
    sleep = ManualSleep()
    async with serving(fake, tmp_path, timing(sleep)) as served:
        await sleep.wait_for_calls(1)
        assert retry_lines(caplog) == [
            "no connection to Discord's gateway: the gateway answered 503 Service Unavailable; "
            f"trying again in {sleep.delays[0]:.1f} s (attempt 1)"
        ]
        fake.accept_gateway()
        await _next_try_connects_then_stop(served, sleep, fake)
    assert fake.gateway.refused_handshakes == 1
    assert_quiet(caplog)


async def test_a_token_the_gateway_refuses_is_one_line_and_exit_2(fake, world, tmp_path, caplog, capsys):
    async with pointed_at(fake):
        run = asyncio.create_task(entry._run_bot(settings_for(tmp_path), timing(ManualSleep())))
        await eventually(lambda: fake.connected, 10, what="the bot to connect")
        fake.token = "reset-in-the-portal"  # the old token no longer resumes
        await fake.drop_connection()
        assert await asyncio.wait_for(run, 10) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: DISCORD_TOKEN was refused by Discord (401 Unauthorized): it was reset or mistyped. "
        f"Get a new one from {PORTAL_HINT}"
    ]
    assert [r.code for r in fake.rejections] == [4004]
    assert_quiet(caplog)


async def test_after_an_outage_mid_round_the_session_resumes_and_the_round_completes(fake, world, tmp_path, caplog):
    sleep = ManualSleep()
    async with serving(fake, tmp_path, timing(sleep)) as served:
        await served.wait_connected(fake)
        jim = world.players[0]
        # 20 game seconds (2 s at the test's speed): the outage lasts a few milliseconds of them.
        await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=20)
        first = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1), timeout=5)
        await fake.cut_network()
        await sleep.wait_for_calls(1)
        await sleep.release()  # still down: a second line, a longer wait
        await sleep.wait_for_calls(2)
        assert [line.split(":")[0] for line in retry_lines(caplog)] == ["no connection to Discord's gateway"] * 2
        assert sleep.delays[1] > sleep.delays[0]
        await fake.restore_network()
        await sleep.release()
        await fake.wait_until_connected()
        right, _ = option_ids(first)
        await answer(fake, first, right, jim)  # the buttons work again, on the same session
        final = await fake.wait_for_message(world.quiz, is_standings, timeout=10)
        send_signal()
        await served.ended()
    assert (fake.identify_count, fake.resume_count) == (1, 1)
    assert "Jim" in final.embeds[0]["description"]
    assert len(retry_lines(caplog)) == 2
    assert_quiet(caplog)
