"""Players' reports of facts and questions: the Report button and its form, and /pack reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.reports.cog import Reports

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["Reports", "setup"]


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Reports(bot))
