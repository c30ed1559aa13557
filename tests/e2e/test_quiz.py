"""/quiz end to end: a real round with clicks, stop, one round per channel, faults, and load."""

from __future__ import annotations

import asyncio

from bot.quiz import StopReason
from tests.e2e.conftest import embed_text
from tests.e2e.quizkit import answer, answer_buttons, is_closed, is_question, is_standings, option_ids, start_round
from tests.fakediscord.harness import eventually


async def test_a_two_question_round_with_five_players(fake, world, bot) -> None:
    jim, pam, dwight, angela, kevin = world.players
    start = await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
    assert not start.ephemeral and "Quiz time!" in start.content

    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, wrong = option_ids(q1)
    assert (await answer(fake, q1, right, jim)).startswith("Locked in")
    assert (await answer(fake, q1, wrong[0], pam)).startswith("Locked in")
    assert (await answer(fake, q1, right, dwight)).startswith("Locked in")
    assert "already answered" in await answer(fake, q1, wrong[0], dwight)  # a double click changes nothing

    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_closed(m), timeout=5)
    # Too late: her client still showed the open question when she clicked.
    assert await answer(fake, q1, right, angela, stale=True) == "This question is closed."
    reveal = embed_text(q1.embeds[0])
    assert "Got it right (2)" in reveal and "Jim" in reveal and "Dwight" in reveal and "Pam (" not in reveal
    assert "Why" in reveal and "Source" in reveal
    assert "— 2 votes" in reveal and "— 1 vote" in reveal
    assert all(b.get("disabled") for b in answer_buttons(q1))

    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    assert await answer(fake, q1, right, kevin, stale=True) == "This question is closed."  # an old question
    right2, _ = option_ids(q2)
    await answer(fake, q2, right2, jim)

    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    lines = final.embeds[0]["description"].splitlines()
    assert lines[0].startswith("**1.** Jim") and "(2/2 correct)" in lines[0]
    assert lines[1].startswith("**2.** Dwight")
    assert any("Pam — 0 pts" in line for line in lines)
    assert "/leaderboard" in final.embeds[0]["footer"]["text"]
    assert not any(m.pings() for m in fake.messages(world.quiz))

    rows = await bot.db.fetch_all("SELECT user_id, correct FROM answers ORDER BY question_index, user_id")
    assert len(rows) == 4  # Jim, Pam, Dwight on Q1 (one answer each), Jim on Q2
    status = await bot.db.fetch_one("SELECT status FROM rounds")
    assert status["status"] == "finished"
    fake.assert_no_rejections()


async def test_one_round_per_channel_with_a_link_to_the_running_one(fake, world, bot) -> None:
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=3, seconds=30)
    first = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    second = await start_round(fake, world.guild, world.quiz, world.players[1])
    assert second.ephemeral
    assert "already running" in second.content and str(first.id) in second.content
    other = await start_round(fake, world.guild, world.general, world.players[1], questions=1, seconds=5)
    assert not other.ephemeral  # another channel is fine


async def test_two_starts_at_once_give_one_round(fake, world, bot) -> None:
    recs = await asyncio.gather(
        *(fake.invoke(world.guild, world.quiz, p, "quiz start", questions=1, seconds=5) for p in world.players)
    )
    for rec in recs:
        await rec.response()
    assert sum(not r.ephemeral for r in recs) == 1
    await eventually(lambda: bot.get_cog("Quiz").runners, what="the round to start")
    assert len(bot.get_cog("Quiz").runners) == 1


async def test_stop_is_for_the_starter_and_moderators(fake, world, bot) -> None:
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=5, seconds=60)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, _ = option_ids(q1)
    await answer(fake, q1, right, pam)
    refused = await fake.invoke(world.guild, world.quiz, pam, "quiz stop")
    await refused.response()
    assert refused.ephemeral and "Only the player who started" in refused.content
    assert bot.get_cog("Quiz").runners
    stop = await fake.invoke(world.guild, world.quiz, jim, "quiz stop")
    await stop.response()
    assert stop.ephemeral
    final = await fake.wait_for_message(world.quiz, lambda m: is_standings(m, "Round stopped"), timeout=5)
    assert "Stopped by Jim" in final.embeds[0]["description"]
    assert q1.content == "This question was cancelled." and all(b.get("disabled") for b in answer_buttons(q1))
    status = (await bot.db.fetch_one("SELECT status FROM rounds"))["status"]
    assert status == "stopped"
    nothing = await fake.invoke(world.guild, world.quiz, jim, "quiz stop")
    await nothing.response()
    assert "No round is running" in nothing.content


async def test_a_moderator_can_stop_anyones_round_and_points_are_kept(fake, world, bot) -> None:
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=3, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await answer(fake, q1, option_ids(q1)[0], jim)
    await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    await (await fake.invoke(world.guild, world.quiz, world.mod, "quiz stop")).response()
    final = await fake.wait_for_message(world.quiz, lambda m: is_standings(m, "Round stopped"), timeout=5)
    assert "**1.** Jim" in final.embeds[0]["description"]
    totals = await bot.db.fetch_one("SELECT points, correct FROM player_totals WHERE user_id = ?", (jim.user.id,))
    assert totals["correct"] == 1 and totals["points"] >= 100


async def test_quiz_is_not_available_in_direct_messages(fake, world, bot) -> None:
    import pytest

    from tests.fakediscord.invoking import CommandNotAvailable

    with pytest.raises(CommandNotAvailable):
        await fake.invoke(None, None, world.players[0].user, "quiz start")


async def test_out_of_range_options_are_refused_before_discord_and_by_the_bot(fake, world, bot) -> None:
    import pytest

    from tests.fakediscord.interactions import InvocationError

    with pytest.raises(InvocationError):  # the Discord client enforces the declared range
        await fake.invoke(world.guild, world.quiz, world.players[0], "quiz start", questions=50)
    bad = await start_round(fake, world.guild, world.quiz, world.players[0], topic="bloopers")
    assert bad.ephemeral and "no quiz topic called `bloopers`" in bad.content


async def test_a_restart_mid_round_keeps_earned_points_and_answers_old_clicks(fake, world, botctl) -> None:
    bot = await botctl.start()
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=3, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, _ = option_ids(q1)
    await answer(fake, q1, right, jim)
    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    for _ in range(200):  # the runner records the question message right after posting it
        row = await bot.db.fetch_one("SELECT last_message_id FROM rounds")
        if row["last_message_id"] == q2.id:
            break
        await asyncio.sleep(0.01)
    # A crash: the round's task dies with the process, nothing gets to say goodbye.
    quiz = bot.get_cog("Quiz")
    for runner in list(quiz.runners.values()):
        runner.task.cancel()
    await asyncio.sleep(0.05)
    bot = await botctl.restart()
    edited = await fake.wait_for_message(world.quiz, lambda m: m.id == q2.id and "interrupted" in m.content)
    assert edited.components == []
    status = (await bot.db.fetch_one("SELECT status FROM rounds"))["status"]
    assert status == "interrupted"
    totals = await bot.db.fetch_one("SELECT correct FROM player_totals WHERE user_id = ?", (jim.user.id,))
    assert totals["correct"] == 1
    assert (await answer(fake, q1, right, jim, stale=True)).startswith("This round has ended")
    again = await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=5)
    assert not again.ephemeral, "the channel is free again"


async def test_a_graceful_shutdown_closes_rounds_with_a_notice(fake, world, botctl) -> None:
    await botctl.start()
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=3, seconds=30)
    await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await botctl.stop()
    notice = next(m for m in fake.messages(world.quiz) if is_standings(m, "Round interrupted"))
    assert "shutting down" in notice.embeds[0]["description"]


async def test_a_gateway_reconnect_does_not_disturb_a_round(fake, world, bot) -> None:
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await fake.drop_connection()
    await fake.wait_until_connected()
    await answer(fake, q1, option_ids(q1)[0], jim)
    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    await answer(fake, q2, option_ids(q2)[0], jim)
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert "(2/2 correct)" in final.embeds[0]["description"]
    assert fake.resume_count >= 1
    fake.assert_no_rejections()


async def test_a_round_outlives_the_interaction_token(fake, world, bot) -> None:
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
    fake.clock.advance(16 * 60)  # the starting interaction's token is now expired
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await answer(fake, q1, option_ids(q1)[0], jim)
    await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    # The bot's clock did not jump with the fake's, so it tried the token once; Discord said it
    # was dead, and everything after went through the channel.
    assert [(r.route, r.code) for r in fake.rejections] == [("POST /webhooks/{application_id}/{webhook_token}", 50027)]
    channel_posts = [r for r in fake.requests if r.route == "POST /channels/{channel_id}/messages"]
    assert len(channel_posts) == 3  # two questions and the standings


async def test_twenty_rounds_in_twenty_servers_at_once(fake, world, bot) -> None:
    servers = []
    for n in range(20):
        guild = fake.add_guild(f"Branch {n}")
        channel = guild.add_text_channel("quiz")
        players = [guild.add_member(f"player {n}.{i}") for i in range(3)]
        servers.append((guild, channel, players))
    await asyncio.sleep(0.2)  # GUILD_CREATE for each
    await asyncio.gather(*(start_round(fake, g, c, p[0], questions=1, seconds=5) for g, c, p in servers))
    questions = await asyncio.gather(*(fake.wait_for_message(c, lambda m: is_question(m, 1)) for _, c, _ in servers))
    clicks = []
    for (_, _, players), message in zip(servers, questions, strict=True):
        right, wrong = option_ids(message)
        clicks += [fake.click(message, right, players[0]), fake.click(message, wrong[0], players[1])]
    records = await asyncio.gather(*clicks)
    for rec in records:
        await rec.response()
        assert rec.content.startswith("Locked in")
    assert max(rec.ack_latency for rec in records) < 3.0
    finals = await asyncio.gather(*(fake.wait_for_message(c, is_standings, timeout=10) for _, c, _ in servers))
    assert all("player" in f.embeds[0]["description"] for f in finals)
    fake.assert_no_rejections()


async def test_the_open_question_shows_a_live_answer_count_without_an_edit_per_click(fake, world, bot) -> None:
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=1, seconds=20)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    for player in world.players[:3]:
        await answer(fake, q1, option_ids(q1)[0], player)
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and "3 answers so far" in embed_text(m.embeds[0]))
    assert len(q1.history) == 1, "three clicks, one edit"


async def test_questions_do_not_repeat_until_the_topic_pool_is_used_up(fake, world, bot) -> None:
    from tests.e2e.conftest import CONTENT
    from tests.e2e.quizkit import question_of

    topic = "marriages"
    pool = set(CONTENT.question_ids(topic))
    asked = []
    while len(asked) < len(pool):
        seen = max((m.id for m in fake.messages(world.quiz)), default=0)
        await start_round(fake, world.guild, world.quiz, world.players[0], questions=1, seconds=5, topic=topic)
        message = await fake.wait_for_message(world.quiz, lambda m, seen=seen: m.id > seen and is_question(m, 1))
        asked.append(question_of(message).id)
        await fake.wait_for_message(world.quiz, lambda m, seen=seen: m.id > seen and is_standings(m), timeout=5)
    assert sorted(asked) == sorted(pool)


async def test_member_names_are_shown_as_text_never_as_markdown_or_pings(fake, world, bot) -> None:
    sneaky = world.guild.add_member("[free nitro](https://example.com) **@everyone**")
    await start_round(fake, world.guild, world.quiz, sneaky, questions=1, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await answer(fake, q1, option_ids(q1)[0], sneaky)
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    for text in (embed_text(q1.embeds[0]), final.embeds[0]["description"]):
        assert "\\[free nitro]" in text and " [free nitro]" not in text  # no masked link
        assert "\\*\\*@everyone\\*\\*" in text
    assert not any(m.pings() for m in fake.messages(world.quiz))


async def test_a_click_on_an_earlier_rounds_question_is_closed_even_while_a_new_round_runs(fake, world, bot) -> None:
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=5)
    old = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, _ = option_ids(old)  # read while the question is open: the reveal rewrites the embed
    await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert await answer(fake, old, right, jim, stale=True) == "This question is closed."  # no round running
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=30)
    await fake.wait_for_message(world.quiz, lambda m: m.id != old.id and is_question(m, 1))
    assert await answer(fake, old, right, jim, stale=True) == "This question is closed."  # a new round runs


async def test_clicks_after_a_stop_are_refused(fake, world, bot) -> None:
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=3, seconds=60)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    runner = next(iter(bot.get_cog("Quiz").runners.values()))
    runner.request_stop(StopReason.STOPPED, "Stopped.")
    reply = await answer(fake, q1, option_ids(q1)[0], pam, stale=True)
    assert reply.startswith(("This round has been stopped", "This question is closed"))
