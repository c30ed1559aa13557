"""/quiz: timed multiple-choice rounds with buttons (cog, round runner, answer buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.quiz.cog import Quiz

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["Quiz", "setup"]


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Quiz(bot))
