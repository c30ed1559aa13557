"""/config: the bot's channel and the server's defaults (cog, and its confirmation buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.config.cog import ConfigCog

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["ConfigCog", "setup"]


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(ConfigCog(bot))
