"""An imported Open Trivia Database pack, played end to end: on buttons, true/false, with its credit."""

from __future__ import annotations

from pathlib import Path

from bot.content import ContentStore
from bot.content.opentdb import CREDIT
from bot.import_content import import_opentdb
from tests.e2e.conftest import embed_text
from tests.e2e.quizkit import LETTER_LINE, answer, is_closed, is_question, is_standings, start_round

SAMPLE = Path(__file__).parents[1] / "unit" / "content" / "opentdb" / "base64.json"


async def test_an_imported_opentdb_pack_plays_on_buttons_and_credits_the_database(fake, world, botctl,
                                                                                  tmp_path) -> None:
    pack = tmp_path / "trivia.toml"
    with open(tmp_path / "import.log", "w", encoding="utf-8") as log:
        assert import_opentdb(SAMPLE, pack, None, log) == 0
    botctl.content = ContentStore.load(pack)
    await botctl.start()
    jim, pam = world.players[:2]

    refused = await start_round(fake, world.guild, world.quiz, jim, questions=1, topic="geography", mode="typed")
    assert refused.ephemeral and "typed-answer questions" in refused.content, "picked among options only"

    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=10, topic="geography")
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    description = q1.embeds[0]["description"]
    assert description.startswith("Which city is the capital of Burkina Faso?")
    letters = {text: letter for letter, text in LETTER_LINE.findall(description)}
    assert sorted(letters) == ["Bamako", "Lomé", "Niamey", "Ouagadougou"], "decoded, accents and all"
    by_label = {b["label"]: b["custom_id"] for b in q1.buttons}
    assert (await answer(fake, q1, by_label[letters["Ouagadougou"]], jim)).startswith("Locked in")
    assert (await answer(fake, q1, by_label[letters["Niamey"]], pam)).startswith("Locked in")
    await fake.wait_for_message(world.quiz, lambda m: m.id == q1.id and is_closed(m), timeout=5)
    reveal = embed_text(q1.embeds[0])
    assert "Ouagadougou" in reveal and CREDIT in reveal
    first = await fake.wait_for_message(world.quiz, is_standings, timeout=5)
    assert "**1.** Jim" in first.embeds[0]["description"]

    await start_round(fake, world.guild, world.quiz, pam, questions=1, seconds=10, topic="science-nature")
    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1) and m.id != q1.id)
    assert q2.embeds[0]["description"].startswith("π doesn't equal 3.14 exactly & never will.")
    assert [b["label"] for b in q2.buttons] == ["True", "False"]
    assert (await answer(fake, q2, q2.buttons[0]["custom_id"], pam)).startswith("Locked in")
    final = await fake.wait_for_message(world.quiz, lambda m: is_standings(m) and m.id != first.id, timeout=5)
    assert "**1.** Pam" in final.embeds[0]["description"], "True: the right answer"
    fake.assert_no_rejections()
