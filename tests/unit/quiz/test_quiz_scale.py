"""Many players in one round, and a rough size of a running round (informative, no timing)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from bot.quiz import AnswerStatus, AskedQuestion, Round

T0 = 0.0


def test_a_thousand_players_answer_one_question(make_round: Callable[..., Round]) -> None:
    rnd = make_round(questions=2, seconds=20)
    rnd.open_next(T0)
    for user_id in range(1000):
        # Options cycle A, B, C, D; the clock advances 10 ms per click.
        outcome = rnd.answer(user_id, f"player {user_id:04}", 0, user_id % 4, T0 + user_id * 0.01)
        assert outcome.status is AnswerStatus.ACCEPTED
    assert all(rnd.answer(u, "again", 0, 0, T0 + 15).status is AnswerStatus.DUPLICATE for u in range(1000))
    assert rnd.answer_count == 1000

    result = rnd.close(T0 + 20)
    assert result.option_counts == (250, 250, 250, 250)
    correct = result.correct_answers
    assert [a.user_id for a in correct] == list(range(0, 1000, 4))  # in answer order
    assert all(a.points == 100 + 50 * (2000 - a.user_id) // 2000 for a in correct)
    assert all(a.points == 0 for a in result.answers if not a.correct)

    standings = result.standings
    assert len(standings) == 1000
    assert standings[0].user_id == 0 and standings[0].points == 150
    ranks = [s.rank for s in standings]
    assert ranks == sorted(ranks)
    assert ranks[250:] == [251] * 750  # every wrong answer ties for 251st


def _run_round_of_twenty_by_twenty() -> Round:
    """Play a full-size round up to its last open question: 20 players, 20 questions."""
    questions = [
        AskedQuestion(
            question_id=f"q-kiss-{n:02}",
            prompt=f"Which was filmed first in scene {n}? " + "x" * 120,
            options=tuple(f"Option {n}.{i} " + "y" * 30 for i in range(4)),
            correct_index=n % 4,
            explanation="Because " + "z" * 200,
        )
        for n in range(20)
    ]
    rnd = Round(1, 10**18, 10**18 + 1, 10**18 + 2, questions, 20)
    for i in range(20):
        rnd.open_next(i * 30.0)
        for player in range(20):
            rnd.answer(10**18 + player, f"Player number {player}", i, player % 4, i * 30.0 + player * 0.5)
        if i < 19:
            rnd.close(i * 30.0 + 20)
    return rnd


def test_a_full_size_round_stays_small() -> None:
    gc.collect()
    tracemalloc.start()
    try:
        rnd = _run_round_of_twenty_by_twenty()
        gc.collect()
        size, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rnd.answer_count == 20
    print(f"\nrunning round, 20 players x 20 questions, question texts included: {size / 1024:.1f} KiB")
    assert size < 200 * 1024  # generous: the target is well under 50 KiB
