"""The option checker: every kind of value Discord would refuse, against a command's definition."""

import pytest

from bot.command_options import STALE, check_autocomplete, check_options

QUIZ = {
    "name": "quiz",
    "options": [
        {
            "name": "start",
            "type": 1,
            "options": [
                {"name": "questions", "type": 4, "min_value": 1, "max_value": 20},
                {"name": "topic", "type": 3, "autocomplete": True, "max_length": 30},
            ],
        },
        {"name": "stop", "type": 1},
    ],
}
BOARD = {
    "name": "leaderboard",
    "options": [
        {"name": "period", "type": 3, "choices": [{"name": "A", "value": "all-time"}, {"name": "W", "value": "week"}]},
        {"name": "member", "type": 6},
        {"name": "where", "type": 7, "channel_types": [0, 11]},
        {"name": "ratio", "type": 10, "min_value": 0, "max_value": 1},
    ],
}


def start(*options):
    return [{"name": "start", "type": 1, "options": list(options)}]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (5, None),
        (1, None),
        (20, None),
        (0, "`questions` must be a whole number from 1 to 20."),
        (21, "`questions` must be a whole number from 1 to 20."),
        (1.5, "`questions` must be a whole number."),
        (2.0, "`questions` must be a whole number."),  # Discord sends integers as integers
        ("5", "`questions` must be a whole number."),
        (True, "`questions` must be a whole number."),
        (None, "`questions` must be a whole number."),
    ],
)
def test_whole_numbers_and_their_range(value, problem) -> None:
    assert check_options(QUIZ, start({"name": "questions", "type": 4, "value": value}), {}) == problem


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ([{"name": "period", "type": 3, "value": "week"}], None),
        ([{"name": "period", "type": 3, "value": "year"}], "`period` must be one of `all-time`, `week`."),
        ([{"name": "period", "type": 3, "value": 7}], "`period` must be text."),
        ([{"name": "ratio", "type": 10, "value": 0.5}], None),
        ([{"name": "ratio", "type": 10, "value": float("nan")}], "`ratio` must be a number."),
        ([{"name": "ratio", "type": 10, "value": 2}], "`ratio` must be a number from 0 to 1."),
        ([{"name": "period", "type": 4, "value": 1}], STALE),  # the wrong type for the option
        ([{"name": "colour", "type": 3, "value": "red"}], STALE),  # no such option
        ([{"name": "period", "type": 3, "value": "week"}] * 2, STALE),  # the same option twice
    ],
)
def test_choices_text_numbers_and_unknown_options(options, problem) -> None:
    assert check_options(BOARD, options, {}) == problem


def test_ids_must_resolve_and_channels_be_of_an_allowed_type() -> None:
    member = [{"name": "member", "type": 6, "value": "42"}]
    assert check_options(BOARD, member, {"users": {"42": {"id": "42"}}}) is None
    assert check_options(BOARD, member, {}) == "I can't find that member any more."
    assert check_options(BOARD, [{"name": "member", "type": 6, "value": "not-an-id"}], {}) == STALE
    where = [{"name": "where", "type": 7, "value": "9"}]
    assert check_options(BOARD, where, {"channels": {"9": {"id": "9", "type": 0}}}) is None
    assert check_options(BOARD, where, {"channels": {"9": {"id": "9", "type": 2}}}) == (
        "`where` can't be that kind of channel."
    )


def test_subcommands_must_exist_and_required_options_be_given() -> None:
    assert check_options(QUIZ, [{"name": "stop", "type": 1, "options": []}], {}) is None
    assert check_options(QUIZ, [{"name": "pause", "type": 1, "options": []}], {}) == STALE
    assert check_options(QUIZ, [], {}) == STALE
    required = {"name": "say", "options": [{"name": "text", "type": 3, "required": True}]}
    assert check_options(required, [], {}) == f"`text` is required. {STALE}"


def test_autocomplete_needs_one_focused_option_that_completes() -> None:
    typed = {"name": "topic", "type": 3, "value": "fil", "focused": True}
    assert check_autocomplete(QUIZ, start(typed)) is True
    assert check_autocomplete(QUIZ, start({"name": "questions", "type": 4, "value": "1", "focused": True})) is False
    assert check_autocomplete(QUIZ, start({"name": "flavour", "type": 3, "value": "", "focused": True})) is False
    assert check_autocomplete(QUIZ, start({"name": "topic", "type": 3, "value": "fil"})) is False  # nothing focused
