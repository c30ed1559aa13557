"""/quiz skip: the open question closes void, is revealed, and the round goes on."""

from __future__ import annotations

from tests.e2e.conftest import embed_text
from tests.e2e.quizkit import answer, answer_buttons, is_question, is_skipped, is_standings, option_ids, start_round


async def test_skip_reveals_the_question_without_points_and_moves_on(fake, world, bot) -> None:
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=60)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    right, _ = option_ids(q1)
    await answer(fake, q1, right, pam)

    refused = await fake.invoke(world.guild, world.quiz, pam, "quiz skip")
    await refused.response()
    assert refused.ephemeral and "Only the player who started this round" in refused.content
    assert "skip a question" in refused.content

    skip = await fake.invoke(world.guild, world.quiz, jim, "quiz skip")
    await skip.response()
    assert skip.ephemeral and "Skipping" in skip.content
    # Well before its 60 seconds (6 s of test time) are up.
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_skipped(m), timeout=2)
    reveal = embed_text(q1.embeds[0])
    assert "Skipped by Jim" in reveal and "vote" not in reveal and "Why" in reveal
    assert all(b.get("disabled") for b in answer_buttons(q1))

    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    await answer(fake, q2, option_ids(q2)[0], pam)
    await (await fake.invoke(world.guild, world.quiz, world.mod, "quiz skip")).response()  # a moderator may
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert "Nobody answered" in final.embeds[0]["description"]
    assert await bot.db.fetch_all("SELECT * FROM answers") == []
    assert (await bot.db.fetch_one("SELECT status FROM rounds"))["status"] == "finished"
    fake.assert_no_rejections()


async def test_skip_without_a_round_or_an_open_question_says_so(fake, world, botctl) -> None:
    botctl.reveal_pause = 600.0  # a minute of test time between the reveal and the next question
    bot = await botctl.start()
    jim = world.players[0]
    nothing = await fake.invoke(world.guild, world.quiz, jim, "quiz skip")
    await nothing.response()
    assert nothing.ephemeral and "No round is running" in nothing.content

    await start_round(fake, world.guild, world.quiz, jim, questions=2, seconds=5)
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    runner = next(iter(bot.get_cog("Quiz").runners.values()))
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and not is_question(m), timeout=5)
    assert not runner.round.is_open  # the reveal pause: nothing to skip
    between = await fake.invoke(world.guild, world.quiz, jim, "quiz skip")
    await between.response()
    assert between.ephemeral and "No question is open" in between.content
