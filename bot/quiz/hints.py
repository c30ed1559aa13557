"""The hint a typed question shows at half time: the answer's letter pattern, a few letters shown."""

from __future__ import annotations

__all__ = ["HINT_AT", "letter_hint"]

HINT_AT = 0.5  # the share of a typed question's time after which its hint shows
SHOWN_EVERY = 4  # in each word, letters 1, 5, 9 … are shown, the others blanked


def letter_hint(answer: str) -> str:
    """The answer with most letters and digits blanked: 'Jim Halpert' -> 'J _ _   H _ _ _ e _ _'.

    The first letter of each word (and of each part after a dash or an apostrophe) is shown, then
    every fourth; anything that is not a letter or a digit is shown as it is. Spaced out so the
    length can be counted.
    """
    words = []
    for word in answer.split():
        shown = []
        position = 0
        for char in word:
            if char.isalnum():
                shown.append(char if position % SHOWN_EVERY == 0 else "_")
                position += 1
            else:
                shown.append(char)
                position = 0  # "Dunder-Mifflin", "O'Brien": the part after it starts afresh
        words.append(" ".join(shown))
    return "   ".join(words)
