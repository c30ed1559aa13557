"""Typed rounds end to end: the Answer button opens a text box, guesses are judged, hints show."""

from __future__ import annotations

from tests.e2e.conftest import CONTENT, embed_text
from tests.e2e.quizkit import (
    answer_buttons,
    is_closed,
    is_question,
    is_standings,
    open_answer_box,
    question_of,
    start_round,
    type_answer,
)


def with_typo(answer: str) -> str:
    """The answer with two neighbouring letters swapped (one edit), for an answer of 5+ letters."""
    return answer[:1] + answer[2] + answer[1] + answer[3:]


async def test_a_typed_round_judges_guesses_and_reveals_how_many_got_it(fake, world, bot) -> None:
    jim, pam, dwight, angela = world.players[:4]
    start = await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=30, mode="typed")
    assert not start.ephemeral and "type it" in start.content

    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    question = question_of(q1)
    assert question.typed_play and "Press **Answer**" in q1.embeds[0]["description"]
    assert [b["label"] for b in q1.buttons] == ["Answer"]
    box = await open_answer_box(fake, q1, jim)
    assert box.modal["title"] == "Question 1" and box.modal["custom_id"].endswith(":guess")

    assert (await type_answer(fake, q1, jim, question.answer.upper())).startswith("Locked in")
    assert (await type_answer(fake, q1, pam, "Definitely not it")).startswith("Locked in")  # right or wrong: secret
    again = await open_answer_box(fake, q1, pam)
    assert again.modal is None and "already answered" in again.content and "Definitely not it" in again.content
    slow = await open_answer_box(fake, q1, angela)  # she opens the box but sends it too late

    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_closed(m), timeout=5)
    reveal = embed_text(q1.embeds[0])
    assert f"✅ **{question.answer}**" in reveal
    assert "Got it right (1 of 2)" in reveal and "Jim" in reveal and "Pam (" not in reveal
    assert all(b.get("disabled") for b in answer_buttons(q1))
    late = await open_answer_box(fake, q1, dwight, stale=True)
    assert late.modal is None and late.content == "This question is closed."
    too_late = await fake.submit_modal(slow, {"guess": question.answer}, angela)
    await too_late.response()
    assert too_late.ephemeral and too_late.content == "This question is closed."

    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert "**1.** Jim" in final.embeds[0]["description"]
    rows = await bot.db.fetch_all("SELECT user_id, choice, correct FROM answers ORDER BY user_id")
    assert [(r["user_id"], r["correct"]) for r in rows] == sorted([(jim.user.id, 1), (pam.user.id, 0)])
    assert angela.user.id not in {r["user_id"] for r in rows}
    fake.assert_no_rejections()


async def test_a_typo_and_an_alias_are_right(fake, world, bot) -> None:
    topic = "crew"  # its typed questions: one with a long one-word answer, one with aliases
    pool = [CONTENT.question(qid) for qid in CONTENT.question_ids(topic) if CONTENT.question(qid).typed_play]
    assert any(q.accept for q in pool) and any(len(q.answer) >= 6 and q.answer.isalpha() for q in pool)
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=len(pool), seconds=5, topic=topic, mode="typed")
    guesses = []
    for number in range(1, len(pool) + 1):
        message = await fake.wait_for_message(world.quiz, lambda m, n=number: is_question(m, n), timeout=5)
        question = question_of(message)
        if question.accept:
            guess = question.accept[-1].lower()
        elif len(question.answer) >= 6 and question.answer.isalpha():
            guess = with_typo(question.answer)
        else:
            guess = f"the {question.answer}!"
        guesses.append(guess)
        await type_answer(fake, message, pam, guess)
        await fake.wait_for_message(world.quiz, lambda m, message=message: m.id == message.id and is_closed(m),
                                    timeout=5)
        assert "Got it right (1 of 1)" in embed_text(message.embeds[0]), (question.answer, guess)
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert f"({len(pool)}/{len(pool)} correct)" in final.embeds[0]["description"], guesses


async def test_the_hint_shows_at_half_time_and_later_answers_get_no_speed_bonus(fake, world, bot) -> None:
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=30, mode="typed")
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    question = question_of(q1)
    await type_answer(fake, q1, jim, question.answer)
    assert "Hint" not in q1.embeds[0]["description"]
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and "**Hint:**" in m.embeds[0]["description"],
                                timeout=5)
    assert f"`{question.answer[0]}" in q1.embeds[0]["description"]
    await type_answer(fake, q1, pam, question.answer)
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_closed(m), timeout=5)
    points = {r["user_id"]: r["points"] for r in await bot.db.fetch_all("SELECT user_id, points FROM answers")}
    assert points[jim.user.id] > 100 and points[pam.user.id] == 100


async def test_true_false_and_untyped_questions_are_never_asked_typed(fake, world, bot) -> None:
    typed = [q for q in CONTENT.questions if q.typed_play]
    assert typed and all(not q.is_true_false for q in typed)
    topic, level = next(
        (t, d)
        for t in CONTENT.topics()
        for d in ("easy", "medium", "hard")
        if (pool := [CONTENT.question(qid) for qid in CONTENT.question_ids(t) if CONTENT.question(qid).difficulty == d])
        and not any(q.typed_play for q in pool)
    )
    refused = await start_round(fake, world.guild, world.quiz, world.players[0], questions=1, topic=topic,
                                difficulty=level, mode="typed")
    assert refused.ephemeral and f"There are no {level} typed-answer questions about" in refused.content


async def test_an_imported_red_list_plays_typed_and_never_on_buttons(fake, world, botctl, tmp_path) -> None:
    from bot.content import ContentStore
    from bot.import_content import import_red_trivia

    red_list = tmp_path / "Paper Trivia.yaml"
    red_list.write_text("AUTHOR: Jane\nWhich paper company?:\n- Dunder Mifflin\n- DM\n", encoding="utf-8")
    pack = tmp_path / "paper.toml"
    with open(tmp_path / "import.log", "w", encoding="utf-8") as log:
        assert import_red_trivia(red_list, pack, "easy", log) == 0
    botctl.content = ContentStore.load(pack)
    await botctl.start()
    jim = world.players[0]
    refused = await start_round(fake, world.guild, world.quiz, jim, questions=1)
    assert refused.ephemeral and "to type: start it with `mode:typed`" in refused.content
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=10, mode="typed")
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    assert q1.embeds[0]["description"].startswith("Which paper company?")
    assert (await type_answer(fake, q1, jim, "dunder miflin")).startswith("Locked in")
    final = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert "**1.** Jim" in final.embeds[0]["description"] and "(1/1 correct)" in final.embeds[0]["description"]
    reveal = embed_text(q1.embeds[0])
    assert "✅ **Dunder Mifflin**" in reveal and "Also accepted: DM" in reveal and "Got it right (1 of 1)" in reveal
    assert "From the Red-DiscordBot trivia list “Paper Trivia” by Jane." in reveal
    fake.assert_no_rejections()
