"""/pack: a server's own content packs, switching packs on and off, hiding entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.packs.cog import PacksCog

if TYPE_CHECKING:
    from bot.client import QuizBot

__all__ = ["PacksCog", "setup"]


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(PacksCog(bot))
