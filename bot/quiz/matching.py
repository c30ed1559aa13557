"""Whether a typed guess is the answer: the same words after normalising, or a small typo off.

Both sides are normalised alike: Unicode NFKC, case folded, accents dropped ("é" is "e"),
punctuation and symbols dropped (dashes and slashes part words: "Dunder-Mifflin" is
"dunder mifflin"), a leading "the", "a" or "an" ignored, runs of spaces made one. A guess that
then equals the answer or one of its accepted aliases is right; so is one within a small edit
distance of one: at most 1 edit for a normalised answer of 5 to 9 characters, 2 from 10 on, where
an edit is a letter added, dropped, changed, or two neighbours swapped. Never for answers shorter
than 5 characters, or when either side has a digit ("365" is not "356", "Season 2" is not
"Season 3").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import OSA

__all__ = ["allowed_typos", "is_right", "normalise"]

ARTICLES = frozenset({"the", "a", "an"})
WORD_BREAKS = frozenset("/\\")  # besides dashes (category Pd)


def normalise(text: str) -> str:
    """The form guesses and answers are compared in (see the module's rule)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", folded):
        category = unicodedata.category(char)
        if category == "Mn":
            continue  # an accent, split off its letter by NFD
        if category == "Pd" or char in WORD_BREAKS or char.isspace():
            kept.append(" ")
        elif category[0] not in "PS":
            kept.append(char)
    words = "".join(kept).split()
    if len(words) > 1 and words[0] in ARTICLES:
        del words[0]
    return unicodedata.normalize("NFC", " ".join(words))


def allowed_typos(normalised_answer: str) -> int:
    """How many edits a guess may be off this (normalised) answer and still be right."""
    if any(char.isdigit() for char in normalised_answer):
        return 0
    length = len(normalised_answer)
    if length >= 10:
        return 2
    return 1 if length >= 5 else 0


def is_right(guess: str, accepted: Iterable[str]) -> bool:
    """Whether `guess` matches any of the `accepted` answers (the answer and its aliases)."""
    typed = normalise(guess)
    if not typed:
        return False
    typed_has_digit = any(char.isdigit() for char in typed)
    for answer in accepted:
        target = normalise(answer)
        if typed == target:
            return True
        typos = 0 if typed_has_digit else allowed_typos(target)
        if typos and OSA.distance(typed, target, score_cutoff=typos) <= typos:
            return True
    return False
