"""The typed-answer rule, as a table: what counts as the answer and what must not."""

from __future__ import annotations

import pytest

from bot.quiz.matching import allowed_typos, is_right, normalise

RIGHT = [
    # (guess, accepted answers, why it is right)
    ("Jim Halpert", ["Jim Halpert"], "the same"),
    ("jim halpert", ["Jim Halpert"], "case"),
    ("JIM HALPERT", ["Jim Halpert"], "case"),
    ("  Jim   Halpert ", ["Jim Halpert"], "spaces collapsed"),
    ("Beyonce", ["Beyoncé"], "accents"),
    ("Café", ["Cafe"], "accents, either side"),
    ("ｊｉｍ", ["Jim"], "NFKC: full-width letters"),
    ("Strasse", ["Straße"], "case folding: ß is ss"),
    ("Dunder Mifflin", ["Dunder-Mifflin"], "a dash parts words"),
    ("Dunder-Mifflin", ["Dunder Mifflin"], "a dash parts words"),
    ("dont", ["Don't"], "punctuation"),
    ("Jim!", ["Jim"], "punctuation"),
    ("Office", ["The Office"], "a leading 'the'"),
    ("the office", ["Office"], "a leading 'the' on the guess"),
    ("An Apple", ["apple"], "a leading 'an'"),
    ("a teapot", ["The teapot"], "articles on both sides"),
    ("Jim Halpret", ["Jim Halpert"], "two neighbours swapped: one edit"),
    ("Halprt", ["Halpert"], "one edit at 7 characters"),
    ("Halpet", ["Halpert"], "a dropped letter"),
    ("Halperts", ["Halpert"], "an added letter"),
    ("Kevn", ["Kevin"], "one edit at 5 characters"),
    ("Angel", ["Angela"], "one edit at 6 characters"),
    ("Dwigt Schrut", ["Dwight Schrute"], "two edits at 10 or more"),
    ("Mike Scott", ["Michael Scott", "Mike Scott"], "an alias"),
    ("Micheal Scott", ["Michael Scott"], "a typo off the answer"),
    ("Mike Scot", ["Michael Scott", "Mike Scott"], "a typo off an alias"),
    ("365", ["365"], "a number, exactly"),
    ("Season 2", ["season 2"], "a number, exactly"),
]

WRONG = [
    # (guess, accepted answers, why it is wrong)
    ("356", ["365"], "numbers never forgive a typo"),
    ("Season 3", ["Season 2"], "nor do answers with a digit"),
    ("Jim 2", ["Jim"], "nor do guesses with a digit"),
    ("Jim", ["Pam"], "short answers are exact"),
    ("Pan", ["Pam"], "one edit on 3 characters is too many"),
    ("Kelly", ["Kevin"], "two edits at 5 characters"),
    ("Hlprt", ["Halpert"], "two edits at 7 characters"),
    ("Dwight", ["Dwight Schrute"], "half the answer"),
    ("Dwigt Shrut", ["Dwight Schrute"], "three edits at 14 characters"),
    ("Scranton", ["Scranton, PA"], "a prefix is not the answer"),
    ("Michael Scott", ["Mike Scott"], "only the listed answers count"),
    ("", ["Jim"], "nothing typed"),
    ("!!!", ["Jim"], "only punctuation"),
    ("The", ["The Office"], "an article alone"),
]


@pytest.mark.parametrize(("guess", "accepted", "why"), RIGHT)
def test_a_guess_that_is_right(guess: str, accepted: list[str], why: str) -> None:
    assert is_right(guess, accepted), why


@pytest.mark.parametrize(("guess", "accepted", "why"), WRONG)
def test_a_guess_that_is_wrong(guess: str, accepted: list[str], why: str) -> None:
    assert not is_right(guess, accepted), why


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("The Office", "office"),
        ("The", "the"),  # an article alone stays: it is the whole answer
        ("  Rock–paper / scissors ", "rock paper scissors"),  # en dash and slash part words
        ("Dr. Phyllis Vance-Lapin", "dr phyllis vance lapin"),
        ("Pokémon", "pokemon"),
        ("ﬁnale", "finale"),  # NFKC: the ligature is two letters
        ("$100", "100"),
    ],
)
def test_normalise(text: str, normal: str) -> None:
    assert normalise(text) == normal


@pytest.mark.parametrize(("answer", "typos"), [("pam", 0), ("kevin", 1), ("halpert", 1), ("123456789", 0),
                                               ("scranton p", 2), ("dwight schrute", 2), ("abcd", 0)])
def test_allowed_typos_grow_with_the_answer(answer: str, typos: int) -> None:
    assert allowed_typos(answer) == typos
