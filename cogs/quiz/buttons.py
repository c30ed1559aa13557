"""The answer buttons. Their id names the round, question and option, so a click is understood
even on a message from before a restart; the Quiz cog takes the clicks (`Quiz.on_answer_click`).
"""

from __future__ import annotations

import re

import discord

from bot.quiz import AskedQuestion
from bot.ui.quiz import option_label

# quiz:<round id>:<question index>:<option index>, written and read only here. The round id makes
# a click on a message from an earlier round recognisable as such, even after a restart.
ANSWER_ID = re.compile(r"quiz:(?P<round>\d{1,18}):(?P<question>\d{1,2}):(?P<option>\d)")


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


def answer_view(
    round_id: int, question_index: int, question: AskedQuestion, *, disabled: bool = False
) -> discord.ui.View:
    """Return the buttons of a question (discord.py keeps no per-message state for them)."""
    view = discord.ui.View(timeout=None)
    for i in range(len(question.options)):
        view.add_item(AnswerButton(round_id, question_index, i, label=option_label(question, i), disabled=disabled))
    return view
