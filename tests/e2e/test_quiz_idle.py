"""Idle stop: a round nobody answers stops by itself after a few questions, with a notice."""

from __future__ import annotations

from tests.e2e.quizkit import answer, is_question, is_standings, option_ids, start_round
from tests.fakediscord.harness import eventually


async def test_a_round_nobody_answers_stops_after_two_questions_by_default(fake, world, bot) -> None:
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=5, seconds=5)
    final = await fake.wait_for_message(world.quiz, lambda m: is_standings(m, "Round stopped"), timeout=5)
    assert "Nobody answered the last 2 questions" in final.embeds[0]["description"]
    assert not any("Question 3 of" in str(m.embeds) for m in fake.messages(world.quiz))
    assert (await bot.db.fetch_one("SELECT status FROM rounds"))["status"] == "stopped"
    # The standings are the round's last message; the runner lets go of the channel just after.
    await eventually(lambda: not bot.get_cog("Quiz").runners, what="the channel to be free for the next round")


async def test_one_answer_resets_the_count_and_the_setting_is_the_servers(fake, world, bot) -> None:
    setting = await fake.invoke(world.guild, world.quiz, world.mod, "config quiz-defaults", idle_stop=1)
    await setting.final()  # setting changes are acknowledged first, then filled in
    jim = world.players[0]
    await start_round(fake, world.guild, world.quiz, jim, questions=4, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    await answer(fake, q1, option_ids(q1)[0], jim)
    final = await fake.wait_for_message(world.quiz, lambda m: is_standings(m, "Round stopped"), timeout=5)
    assert "Nobody answered the last 1 questions" not in final.embeds[0]["description"]
    assert "Nobody answered the last question" in final.embeds[0]["description"]
    assert any("Question 2 of" in str(m.embeds) for m in fake.messages(world.quiz))
    assert not any("Question 3 of" in str(m.embeds) for m in fake.messages(world.quiz))
    assert "Jim" in final.embeds[0]["description"], "points earned before the stop are kept"
