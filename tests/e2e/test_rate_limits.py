"""Rounds against Discord's rate limits: messages through the channel stay under the global limit
by the budget, and a 429 or a refused edit never ends a round."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.budget import Priority
from cogs.quiz.messages import RoundMessages
from tests.e2e.quizkit import answer, is_closed, is_question, is_standings, option_ids, start_round
from tests.fakediscord.harness import eventually

WEBHOOK_MESSAGE = "/webhooks/{application_id}/{webhook_token}/messages/{message_id}"


def warnings_from(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


async def channels_of(bot, world, count: int):
    created = [world.guild.add_text_channel(f"quiz-{n}") for n in range(count)]
    await eventually(lambda: all(bot.get_channel(c.id) for c in created), what="the channels to reach the bot")
    return created, [bot.get_channel(c.id) for c in created]


async def test_round_messages_through_channels_stay_under_the_global_limit(fake, world, bot) -> None:
    # 60 rounds whose tokens are gone post and reveal at the same moment: 120 requests that
    # would be 429s without the budget (Discord allows 50 a second).
    created, channels = await channels_of(bot, world, 60)
    senders = [RoundMessages(round_id=n, channel=c, interaction=None, budget=bot.rest_budget,
                          monotonic=bot.timing.monotonic)
               for n, c in enumerate(channels)]
    posted = await asyncio.gather(*(s.send(lambda: {"content": "Question 1"}, "question 1") for s in senders))
    edited = await asyncio.gather(*(s.edit(m, {"content": "Revealed"}, "the reveal")
                                    for s, m in zip(senders, posted, strict=True)))
    assert all(edited)
    assert all(fake.messages(c)[0].content == "Revealed" for c in created)
    fake.assert_no_rejections()


async def test_live_counts_are_dropped_when_the_budget_is_short(fake, world, bot) -> None:
    created, channels = await channels_of(bot, world, 1)
    sender = RoundMessages(round_id=1, channel=channels[0], interaction=None, budget=bot.rest_budget,
                          monotonic=bot.timing.monotonic)
    message = await sender.send(lambda: {"content": "Question 1"}, "question 1")
    budget = bot.rest_budget
    async with contextlib.AsyncExitStack() as others:  # other rounds' requests hold half the slots
        for _ in range(budget.rules.limit // 2):
            assert await others.enter_async_context(budget.slot(Priority.ROUND))
        assert not await sender.edit(message, {"content": "3 answers so far"}, "a live count",
                                     priority=Priority.DROPPABLE)
        assert await sender.edit(message, {"content": "Revealed"}, "the reveal"), "the reveal still goes"
    assert fake.messages(created[0])[0].content == "Revealed"
    assert [state.content for state in fake.messages(created[0])[0].history] == ["Question 1"], "no count edit"
    fake.assert_no_rejections()


async def test_a_429_after_discord_pys_own_retries_is_retried_once_more_with_one_warning(
        fake, world, bot, caplog) -> None:
    created, channels = await channels_of(bot, world, 1)
    sender = RoundMessages(round_id=1, channel=channels[0], interaction=None, budget=bot.rest_budget,
                          monotonic=bot.timing.monotonic)
    # discord.py tries five times, then raises; the round's next try, a second later, goes through.
    fake.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.01, count=5)
    await sender.send(lambda: {"content": "Question 1"}, "question 1")
    assert [m.content for m in fake.messages(created[0])] == ["Question 1"]
    assert len(warnings_from(caplog, "cogs.quiz.messages")) == 1
    fake.assert_no_rejections()


async def test_a_question_whose_post_waited_still_gets_its_full_time(fake, world, bot) -> None:
    # The first question's post is held up for longer than the question lasts (0.6 s is 6 game
    # seconds here); its time starts when the message is out, so a click right after still counts.
    fake.rate_limit_next("POST", "/webhooks/{application_id}/{webhook_token}", retry_after=0.6)
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    assert (await answer(fake, q1, option_ids(q1)[0], jim)).startswith("Locked in")
    await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    fake.assert_no_rejections()


async def test_a_refused_reveal_is_skipped_and_the_round_goes_on(fake, world, bot, caplog) -> None:
    fake.fail_next("PATCH", WEBHOOK_MESSAGE, status=404, code=10008, message="Unknown Message")
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=2, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert final is not None and not is_closed(q1), "question 1's reveal was skipped"
    skipped = warnings_from(caplog, "cogs.quiz.messages")
    assert len(skipped) == 1 and "the reveal of question 1" in skipped[0]
    status = (await bot.db.fetch_one("SELECT status FROM rounds"))["status"]
    assert status == "finished"


async def test_a_round_posts_through_its_starting_interaction_outside_the_global_limit(fake, world, bot) -> None:
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=2, seconds=5)
    await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    routes = [r.route for r in fake.requests]
    assert "POST /channels/{channel_id}/messages" not in routes
    assert routes.count("POST /webhooks/{application_id}/{webhook_token}") == 3  # two questions, the standings
    fake.assert_no_rejections()


async def test_a_cancelled_request_through_the_token_never_jams_the_next(fake, world, bot) -> None:
    # discord.py sleeps out an exhausted webhook bucket before releasing its lock; a cancel in
    # that sleep (a count edit given up before a reveal, a shutdown) must not leave it held.
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=1, seconds=60)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    runner = bot.get_cog("Quiz").runners[world.quiz.id]
    await eventually(lambda: runner.message is not None, what="the runner to hold its question")
    sender, message = runner._messages, runner.message
    for n in range(3):  # with the post, four of the token's five requests per 2 s
        assert await sender.edit(message, {"content": f"edit {n}"}, "an edit")
    fifth = asyncio.create_task(sender.edit(message, {"content": "edit 3"}, "the fifth"))
    await fake.wait_until(lambda: q1.content == "edit 3", what="the fifth edit to land")
    fifth.cancel()  # while discord.py sleeps out the bucket, holding the token's lock
    await asyncio.gather(fifth, return_exceptions=True)
    assert await asyncio.wait_for(sender.edit(message, {"content": "after"}, "the next"), 5)
    assert q1.content == "after"
    fake.assert_no_rejections()
