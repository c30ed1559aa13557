"""/leaderboard and /rank end to end, after real rounds: order, ties, paging, periods, resets, isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.quiz import AskedQuestion, Round, RoundStatus
from tests.e2e.conftest import embed_text, press
from tests.e2e.quizkit import answer, is_question, is_standings, option_ids, start_round
from tests.fakediscord.invoking import CommandNotAvailable

MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)


async def play_round(fake, world, answers: dict, channel=None) -> None:
    """Play a one-question round where each member in `answers` clicks right (True) or wrong (False)."""
    channel = channel or world.quiz
    seen = max((m.id for m in fake.messages(channel)), default=0)
    starter = next(iter(answers))
    await start_round(fake, world.guild, channel, starter, questions=1, seconds=5)
    question = await fake.wait_for_message(channel, lambda m: m.id > seen and is_question(m, 1))
    right, wrong = option_ids(question)
    for member, correct in answers.items():
        await answer(fake, question, right if correct else wrong[0], member)
    await fake.wait_for_message(channel, lambda m: m.id > seen and is_standings(m), timeout=5)


async def board(fake, world, member, **options):
    rec = await fake.invoke(world.guild, world.general, member, "leaderboard", **options)
    await rec.response()
    return rec


async def seed_totals(bot, guild_id: int, scores: list[tuple[int, str, int]], when: datetime) -> None:
    """Record one closed question per player with the given correctness count (for big boards and exact ties)."""
    repo = bot.repos.rounds
    round_id = await repo.create(
        guild_id=guild_id,
        channel_id=1,
        starter_id=1,
        topic=None,
        question_count=1,
        seconds=20,
        started_at=when.timestamp(),
        question_ids=[],
        history_topic="seed",
    )
    quiz = Round(round_id, guild_id, 1, 1, [AskedQuestion("seed", "?", ("a", "b"), 0, "", None)], 20)
    quiz.open_next(0.0)
    for user_id, name, correct in scores:
        quiz.answer(user_id, name, 0, 0 if correct else 1, 10.0)
    await repo.record_question(guild_id, quiz.close(20.0), when.timestamp())
    await repo.finish(round_id, RoundStatus.FINISHED, when.timestamp())  # the next seed may use the channel


async def test_players_are_ranked_by_points_after_real_rounds(fake, world, bot) -> None:
    jim, pam, dwight = world.players[:3]
    await play_round(fake, world, {jim: True, pam: False, dwight: True})
    await play_round(fake, world, {jim: True, dwight: False})
    rec = await board(fake, world, pam)
    assert not rec.ephemeral
    lines = rec.embeds[0]["description"].splitlines()
    assert lines[0].startswith("**1.** Jim") and "2 correct" in lines[0]
    assert lines[1].startswith("**2.** Dwight")
    assert lines[2].startswith("**3.** Pam") and "0 pts" in lines[2]
    assert not rec.components, "one page: no paging buttons"
    assert not any(m.pings() for m in fake.messages(world.general))


async def test_ties_share_a_rank(fake, world, bot) -> None:
    ids = [p.user.id for p in world.players]
    await seed_totals(
        bot,
        world.guild.id,
        [(ids[0], "Jim", True), (ids[1], "Pam", True), (ids[2], "Dwight", False)],
        bot.timing.wall_clock(),
    )
    lines = (await board(fake, world, world.players[0])).embeds[0]["description"].splitlines()
    assert [line.split()[0] for line in lines] == ["**1.**", "**1.**", "**3.**"]


async def test_pages_of_ten_with_previous_and_next_and_the_callers_own_place(fake, world, bot) -> None:
    scores = [(10_000 + i, f"fan {i:02d}", True) for i in range(23)]
    await seed_totals(bot, world.guild.id, scores, bot.timing.wall_clock())
    await seed_totals(bot, world.guild.id, [(world.players[4].user.id, "Kevin", False)], bot.timing.wall_clock())
    rec = await board(fake, world, world.players[4])
    first = rec.embeds[0]
    ranked = [line for line in first["description"].splitlines() if line.startswith("**") and "You:" not in line]
    assert len(ranked) == 10
    assert "**You:** **24.** Kevin" in first["description"]
    assert first["footer"]["text"].startswith("Page 1 of 3")
    previous, following = rec.original.buttons
    assert previous["disabled"] and not following.get("disabled")
    click = await fake.click(rec.original, following["custom_id"], world.players[0])
    await click.response()
    assert rec.original.embeds[0]["footer"]["text"].startswith("Page 2 of 3")
    next_id = rec.original.buttons[1]["custom_id"]
    await (await fake.click(rec.original, next_id, world.players[0])).response()
    assert rec.original.embeds[0]["footer"]["text"].startswith("Page 3 of 3")
    assert "Kevin" in rec.original.embeds[0]["description"]
    assert rec.original.buttons[1]["disabled"]
    fake.assert_no_rejections()


async def test_weekly_and_monthly_views_follow_the_clock(fake, world, botctl) -> None:
    clock = botctl.wall_clock
    clock.set(MONDAY)
    await botctl.start()
    jim, pam = world.players[:2]
    await play_round(fake, world, {jim: True})
    clock.set(MONDAY + timedelta(days=8))  # next week, same month
    await play_round(fake, world, {pam: True})
    week = (await board(fake, world, jim, period="week")).embeds[0]
    assert "Pam" in week["description"] and "Jim" not in week["description"]
    assert "this week" in week["title"]
    month = (await board(fake, world, jim, period="month")).embeds[0]["description"]
    assert "Pam" in month and "Jim" in month
    clock.set(MONDAY + timedelta(days=30))  # December: nobody yet
    empty = (await board(fake, world, jim, period="month")).embeds[0]["description"]
    assert "Nobody has scored this month yet" in empty
    assert "Jim" in (await board(fake, world, jim)).embeds[0]["description"]


@pytest.mark.parametrize(
    ("last_second", "new_week", "new_month"),
    [
        (datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC), True, False),  # Sunday night into Monday
        (datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC), False, True),  # the last of November into December
    ],
)
async def test_a_week_and_a_month_turn_over_at_midnight_utc(fake, world, botctl, last_second, new_week, new_month):
    botctl.wall_clock.set(last_second)
    await botctl.start()
    jim, pam = world.players[:2]
    await play_round(fake, world, {jim: True})
    botctl.wall_clock.advance(timedelta(seconds=2))
    await play_round(fake, world, {pam: True})
    week = (await board(fake, world, jim, period="week")).embeds[0]["description"]
    month = (await board(fake, world, jim, period="month")).embeds[0]["description"]
    assert "Pam" in week and "Pam" in month
    assert ("Jim" in week) is not new_week
    assert ("Jim" in month) is not new_month


async def test_rank_for_a_player_and_for_a_stranger(fake, world, bot) -> None:
    jim, pam, dwight = world.players[:3]
    await play_round(fake, world, {jim: True, pam: False})
    await play_round(fake, world, {jim: True})
    rec = await fake.invoke(world.guild, world.general, pam, "rank", member=jim)
    await rec.response()
    text = embed_text(rec.embeds[0])
    for phrase in ("Rank (all time)\n#1", "Accuracy\n100%", "Answered\n2", "Best streak\n1", "Rounds played\n2"):
        assert phrase in text, phrase
    assert "This week\n#1" in text
    own = await fake.invoke(world.guild, world.general, pam, "rank")
    await own.response()
    assert "Accuracy\n0%" in embed_text(own.embeds[0])
    stranger = await fake.invoke(world.guild, world.general, pam, "rank", member=dwight)
    await stranger.response()
    assert "hasn't answered a quiz question on this server yet" in embed_text(stranger.embeds[0])


async def test_empty_states_read_well(fake, world, bot) -> None:
    text = (await board(fake, world, world.players[0])).embeds[0]["description"]
    assert "No quiz rounds have been played on this server yet" in text


async def test_a_moderator_resets_one_period_and_a_member_cannot(fake, world, bot) -> None:
    jim = world.players[0]
    await play_round(fake, world, {jim: True})
    with pytest.raises(CommandNotAvailable):
        await fake.invoke(world.guild, world.general, jim, "config reset-leaderboard")
    fake.grant_command(world.guild, "config", jim)
    refused = await fake.invoke(world.guild, world.general, jim, "config reset-leaderboard")
    await refused.response()
    assert "Manage Server" in refused.content

    rec = await fake.invoke(world.guild, world.general, world.mod, "config reset-leaderboard", period="week")
    await rec.response()
    assert rec.ephemeral and "this week's" in rec.content
    await press(fake, rec, world.mod)
    assert rec.original.content == "Cleared **this week's** quiz standings (1 player)."
    assert "Nobody has scored this week" in (await board(fake, world, jim, period="week")).embeds[0]["description"]
    assert "Jim" in (await board(fake, world, jim)).embeds[0]["description"]

    rec = await fake.invoke(world.guild, world.general, world.mod, "config reset-leaderboard")
    await rec.response()
    await press(fake, rec, world.mod)
    assert "Jim" not in (await board(fake, world, jim)).embeds[0]["description"]


async def test_servers_never_see_each_others_scores(fake, world, bot) -> None:
    other = fake.add_guild("Stamford Branch")
    other_channel = other.add_text_channel("quiz")
    andy = other.add_member("Andy")
    await fake.wait_until_connected()
    jim = world.players[0]
    await play_round(fake, world, {jim: True})
    await start_round(fake, other, other_channel, andy, questions=1, seconds=5)
    question = await fake.wait_for_message(other_channel, lambda m: is_question(m, 1))
    await answer(fake, question, option_ids(question)[0], andy)
    await fake.wait_for_message(other_channel, is_standings, timeout=5)
    here = (await board(fake, world, jim)).embeds[0]["description"]
    rec = await fake.invoke(other, other_channel, andy, "leaderboard")
    await rec.response()
    there = rec.embeds[0]["description"]
    assert "Jim" in here and "Andy" not in here
    assert "Andy" in there and "Jim" not in there
    own = await fake.invoke(other, other_channel, andy, "rank")
    await own.response()
    assert "Answered\n1" in embed_text(own.embeds[0])
    cross = await fake.invoke(other, other_channel, andy, "rank", member=jim.user)
    await cross.response()
    assert "hasn't answered a quiz question on this server yet" in embed_text(cross.embeds[0])


async def test_rank_works_for_a_player_who_left_and_shows_the_name_they_played_under(fake, world, bot) -> None:
    stranger = fake.add_user("Ryan")  # not a member of this server any more
    await seed_totals(bot, world.guild.id, [(stranger.id, "Ryan the Temp", True)], bot.timing.wall_clock())
    rec = await fake.invoke(world.guild, world.general, world.players[0], "rank", member=stranger)
    await rec.response()
    assert not rec.ephemeral
    text = embed_text(rec.embeds[0])
    assert text.startswith("Ryan the Temp") and "Rank (all time)\n#1" in text


async def test_the_place_under_a_page_belongs_to_whoever_pressed_the_button(fake, world, bot) -> None:
    scores = [(20_000 + i, f"fan {i:02d}", True) for i in range(25)]
    await seed_totals(bot, world.guild.id, scores, bot.timing.wall_clock())
    pam, kevin = world.players[1], world.players[4]
    await seed_totals(
        bot, world.guild.id, [(pam.user.id, "Pam", False), (kevin.user.id, "Kevin", False)], bot.timing.wall_clock()
    )
    rec = await board(fake, world, kevin)
    assert "**You:** **26.** Kevin" in rec.embeds[0]["description"]
    click = await fake.click(rec.original, rec.original.buttons[1]["custom_id"], pam)  # Next
    await click.response()
    assert "**You:** **26.** Pam" in rec.original.embeds[0]["description"]
