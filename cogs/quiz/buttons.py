"""The answer buttons and the typed-answer box. Their id names the round, question and option, so
a click is understood even on a message from before a restart; the Quiz cog takes the clicks and
the typed answers (`Quiz.on_answer_click`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import discord

from bot.quiz import AskedQuestion
from bot.ui.quiz import option_label

# quiz:<round id>:<question index>:<option index>, written and read only here. The round id makes
# a click on a message from an earlier round recognisable as such, even after a restart.
ANSWER_ID = re.compile(r"quiz:(?P<round>\d{1,18}):(?P<question>\d{1,2}):(?P<option>\d)")
# Typed play: quiz:<round id>:<question index>:type on the Answer button, :guess on the text box
# it opens (a modal), whose one text input is GUESS_INPUT.
TYPED_ID = re.compile(r"quiz:(?P<round>\d{1,18}):(?P<question>\d{1,2}):(?P<step>type|guess)")
GUESS_INPUT = "guess"
GUESS_MAX_LENGTH = 100  # answers are at most 80 characters; room for a few more typed


def answer_custom_id(round_id: int, question_index: int, option_index: int) -> str:
    return f"quiz:{round_id}:{question_index}:{option_index}"


class AnswerButton(discord.ui.Button):
    """One option of one question of one round."""

    def __init__(
        self,
        round_id: int,
        question_index: int,
        option_index: int,
        *,
        label: str = "?",
        disabled: bool = False,
    ) -> None:
        self.round_id = round_id
        self.question_index = question_index
        self.option_index = option_index
        super().__init__(
            label=label,
            style=discord.ButtonStyle.primary,
            custom_id=answer_custom_id(round_id, question_index, option_index),
            disabled=disabled,
        )

    def is_dispatchable(self) -> bool:
        # Not through discord.py: it would keep every question's view in memory to route clicks,
        # and its dynamic items rebuild a message's buttons for every click, which cost a click
        # ~100 µs more than reading the id in a listener (bench/RESULTS.md).
        return False


def parse_answer_id(custom_id: str) -> tuple[int, int, int] | None:
    """Return (round id, question index, option index) from an answer button's id, or None."""
    match = ANSWER_ID.fullmatch(custom_id)
    if match is None:
        return None
    return int(match["round"]), int(match["question"]), int(match["option"])


def submitted_guess(data: Mapping[str, Any]) -> str:
    """The text typed into the guess box, from a modal submit's data (rows or labels)."""
    for item in data.get("components", []):
        # A text input arrives in an action row ("components") or a label ("component").
        inner = item.get("components") or [item.get("component") or {}]
        for component in inner:
            if component.get("custom_id") == GUESS_INPUT:
                return str(component.get("value") or "")
    return ""


def parse_typed_id(custom_id: str) -> tuple[int, int, str] | None:
    """Return (round id, question index, 'type' or 'guess') from a typed-play id, or None."""
    match = TYPED_ID.fullmatch(custom_id)
    if match is None:
        return None
    return int(match["round"]), int(match["question"]), match["step"]


class TypeAnswerButton(discord.ui.Button):
    """The one button of a typed question: it opens the text box."""

    def __init__(self, round_id: int, question_index: int, *, disabled: bool = False) -> None:
        super().__init__(
            label="Answer",
            emoji="✏️",
            style=discord.ButtonStyle.primary,
            custom_id=f"quiz:{round_id}:{question_index}:type",
            disabled=disabled,
        )

    def is_dispatchable(self) -> bool:
        return False  # read by the Quiz cog's listener, like the option buttons


def guess_modal(round_id: int, question_index: int, *, open_for: float) -> discord.ui.Modal:
    """The text box a typed answer is written in. The cog's listener reads the submission.

    discord.py keeps an opened modal in memory until it is submitted or `open_for` (wall
    seconds) runs out: the question's remaining time, so an abandoned box is not kept for ever.
    """
    modal = discord.ui.Modal(
        title=f"Question {question_index + 1}",
        timeout=max(open_for, 1.0),
        custom_id=f"quiz:{round_id}:{question_index}:guess",
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Your answer",
            custom_id=GUESS_INPUT,
            max_length=GUESS_MAX_LENGTH,
            placeholder="Spelling need not be perfect",
        )
    )
    return modal


def answer_view(
    round_id: int, question_index: int, question: AskedQuestion, *, disabled: bool = False
) -> discord.ui.View:
    """Return the buttons of a question (discord.py keeps no per-message state for them)."""
    view = discord.ui.View(timeout=None)
    if question.is_typed:
        view.add_item(TypeAnswerButton(round_id, question_index, disabled=disabled))
        return view
    for i in range(len(question.options)):
        view.add_item(AnswerButton(round_id, question_index, i, label=option_label(question, i), disabled=disabled))
    return view
