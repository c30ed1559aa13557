"""Views shared by cogs: an owner-only confirmation, and the base that routes errors."""

from __future__ import annotations

import contextlib

import discord

from bot.errors import report_error, send_ephemeral

__all__ = ["BaseView", "ConfirmView"]


class BaseView(discord.ui.View):
    """A view whose callback errors go through the bot's one error path."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:
        await report_error(interaction, error)


class ConfirmView(BaseView):
    """Confirm / Cancel buttons that only one user may press, and that expire.

    After a choice or the timeout, `result` is True, False or None and the buttons are disabled
    on the message (the caller sets `message` after sending it).
    """

    def __init__(self, owner_id: int, *, confirm_label: str, timeout: float = 60.0) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.result: bool | None = None
        self.interaction: discord.Interaction | None = None
        self.message: discord.InteractionMessage | None = None
        self.confirm.label = confirm_label

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await send_ephemeral(interaction, "Only the moderator who asked can answer this.")
            return False
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._finish(interaction, True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._finish(interaction, False)

    async def _finish(self, interaction: discord.Interaction, result: bool) -> None:
        self.result = result
        self.interaction = interaction
        self._disable()
        self.stop()

    async def on_timeout(self) -> None:
        self._disable()
        if self.message is not None:
            # The message may be gone or its token expired: then there is nothing left to tidy.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(content="This confirmation expired; nothing was changed.", view=self)

    def _disable(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
