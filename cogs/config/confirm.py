"""Confirm / Cancel buttons for destructive moderator actions.

The buttons carry everything they need in their custom id (the action, who may press them, and
when they expire), so they keep working, or say clearly that they expired, even after a restart.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

from bot.client import bot_of
from bot.errors import guarded, send_ephemeral

__all__ = ["ConfirmButton", "ConfirmHandler", "confirm_view"]

EXPIRED = "This confirmation expired; nothing was changed. Run the command again if you still want to."


@runtime_checkable
class ConfirmHandler(Protocol):
    """A cog that carries out confirmations: the button finds it by the action."""

    def handles_confirmation(self, action: str) -> bool: ...

    async def confirmed(self, interaction: discord.Interaction, action: str, confirmed: bool) -> None: ...


class ConfirmButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"confirm:(?P<action>[a-z0-9-]{1,48}):(?P<owner>\d{1,20}):(?P<expires>\d{1,12}):(?P<answer>yes|no)",
):
    """One of the two buttons under a confirmation question."""

    def __init__(self, action: str, owner_id: int, expires_at: int, answer: str, *, label: str = "Confirm") -> None:
        self.action, self.owner_id, self.expires_at, self.answer = action, owner_id, expires_at, answer
        super().__init__(
            discord.ui.Button(
                label=label if answer == "yes" else "Cancel",
                style=discord.ButtonStyle.danger if answer == "yes" else discord.ButtonStyle.secondary,
                custom_id=f"confirm:{action}:{owner_id}:{expires_at}:{answer}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmButton:
        return cls(match["action"], int(match["owner"]), int(match["expires"]), match["answer"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        if interaction.user.id != self.owner_id:
            await send_ephemeral(interaction, "Only the moderator who asked can answer this.")
            return
        if bot.timing.timestamp() > self.expires_at:
            await interaction.response.edit_message(content=EXPIRED, view=None)
            return
        handler = next(
            (
                cog
                for cog in bot.cogs.values()
                if isinstance(cog, ConfirmHandler) and cog.handles_confirmation(self.action)
            ),
            None,
        )
        if handler is None:  # its cog is unloading (shutdown)
            await send_ephemeral(interaction, "That is unavailable right now; nothing was changed.")
            return
        await handler.confirmed(interaction, self.action, self.answer == "yes")


def confirm_view(action: str, owner_id: int, *, label: str, expires_at: int) -> discord.ui.View:
    """Return Confirm and Cancel buttons for `action`, valid until `expires_at` (Unix seconds), for one moderator."""
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmButton(action, owner_id, expires_at, "yes", label=label))
    view.add_item(ConfirmButton(action, owner_id, expires_at, "no"))
    return view
