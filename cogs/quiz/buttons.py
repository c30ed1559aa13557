"""The answer buttons: dynamic items, so a click is understood even on a message from before a restart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot.errors import guarded, send_ephemeral
from bot.quiz import AskedQuestion
from bot.ui.quiz import ANSWER_ID, answer_custom_id, option_label

if TYPE_CHECKING:
    from cogs.quiz.cog import Quiz


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=ANSWER_ID.pattern):
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
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=answer_custom_id(round_id, question_index, option_index),
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AnswerButton:
        return cls(int(match["round"]), int(match["question"]), int(match["option"]), label=item.label or "?")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog: Quiz | None = interaction.client.get_cog("Quiz")  # type: ignore[attr-defined]
        if cog is None:
            await send_ephemeral(interaction, "The quiz is unavailable right now; this round has ended.")
            return
        await cog.handle_answer(interaction, self.round_id, self.question_index, self.option_index)


def answer_view(
    round_id: int, question_index: int, question: AskedQuestion, *, disabled: bool = False
) -> discord.ui.View:
    """Return the buttons of a question (all dynamic, so discord.py keeps no per-message state)."""
    view = discord.ui.View(timeout=None)
    for i in range(len(question.options)):
        view.add_item(AnswerButton(round_id, question_index, i, label=option_label(question, i), disabled=disabled))
    return view
