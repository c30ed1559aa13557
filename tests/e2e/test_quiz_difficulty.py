"""/quiz start difficulty: rounds of one difficulty, and a clear answer when there are too few."""

from __future__ import annotations

from tests.e2e.conftest import CONTENT
from tests.e2e.quizkit import is_question, question_of, start_round


def count(difficulty: str, topic: str | None = None) -> int:
    return sum(CONTENT.question(qid).difficulty == difficulty for qid in CONTENT.question_ids(topic))


async def test_a_hard_round_asks_only_hard_questions(fake, world, bot) -> None:
    start = await start_round(fake, world.guild, world.quiz, world.players[0], questions=2, seconds=5,
                              difficulty="hard")
    assert not start.ephemeral and "2 hard questions" in start.content
    q1 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    assert question_of(q1).difficulty == "hard"
    q2 = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 2), timeout=5)
    assert question_of(q2).difficulty == "hard"


async def test_more_questions_than_the_difficulty_has_are_refused_with_what_would_work(fake, world, bot) -> None:
    hard = count("hard")
    refused = await start_round(fake, world.guild, world.quiz, world.players[0], questions=hard + 1,
                                difficulty="hard")
    assert refused.ephemeral
    assert f"only {hard} hard questions" in refused.content and f"questions:{hard}" in refused.content
    assert f"{count('easy')} easy" in refused.content and "another difficulty" in refused.content
    assert not bot.get_cog("Quiz").runners and await bot.db.fetch_all("SELECT id FROM rounds") == []


async def test_a_topic_without_questions_at_that_difficulty_says_so(fake, world, bot) -> None:
    topic = next(t for t in CONTENT.topics() if CONTENT.question_ids(t) and not count("hard", t))
    refused = await start_round(fake, world.guild, world.quiz, world.players[0], topic=topic, difficulty="hard")
    assert refused.ephemeral and "There are no hard questions about" in refused.content


async def test_a_mixed_round_with_a_small_topic_plays_what_there_is(fake, world, bot) -> None:
    topic = min((t for t in CONTENT.topics() if CONTENT.question_ids(t)), key=lambda t: len(CONTENT.question_ids(t)))
    size = len(CONTENT.question_ids(topic))
    start = await start_round(fake, world.guild, world.quiz, world.players[0], questions=size + 1, topic=topic)
    assert not start.ephemeral and f"{size} questions" in start.content
