"""The typed-play ids and the text a modal submission carries, in both of Discord's layouts."""

from __future__ import annotations

import pytest

from cogs.quiz.buttons import GUESS_INPUT, parse_answer_id, parse_typed_id, submitted_guess


@pytest.mark.parametrize(
    ("custom_id", "parsed"),
    [
        ("quiz:12:3:type", (12, 3, "type")),
        ("quiz:12:3:guess", (12, 3, "guess")),
        ("quiz:12:3:1", None),  # an option button
        ("quiz:12:3:typed", None),
        ("quiz:x:3:type", None),
    ],
)
def test_typed_ids(custom_id: str, parsed: tuple[int, int, str] | None) -> None:
    assert parse_typed_id(custom_id) == parsed


def test_an_option_id_is_not_a_typed_one() -> None:
    assert parse_answer_id("quiz:12:3:type") is None and parse_answer_id("quiz:12:3:1") == (12, 3, 1)


def test_the_guess_is_read_from_an_action_row_or_a_label() -> None:
    row = {"components": [{"type": 1, "components": [{"type": 4, "custom_id": GUESS_INPUT, "value": "Jim"}]}]}
    label = {"components": [{"type": 18, "component": {"type": 4, "custom_id": GUESS_INPUT, "value": "Pam"}}]}
    assert submitted_guess(row) == "Jim" and submitted_guess(label) == "Pam"
    assert submitted_guess({"components": []}) == ""
    other = {"components": [{"type": 1, "components": [{"type": 4, "custom_id": "other", "value": "x"}]}]}
    assert submitted_guess(other) == ""
