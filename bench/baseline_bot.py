"""The baseline: a minimal discord.py bot that answers every interaction with one fixed ephemeral
reply and does nothing else.

Whatever it costs to take an interaction from the gateway and acknowledge it is the cost of
discord.py itself on this machine; the benchmarks report the quiz bot against it. It registers
a `/fact` command with the same options as the real one (so the same invocation reaches both
bots) and answers button clicks from `on_interaction`, without views or dynamic items.

`post_buttons` is how the load generator puts messages with buttons into channels for the click
benchmark: the same embed and buttons a quiz question has, sent through discord.py's HTTP
client without registering a view (the baseline has nothing to dispatch a click to).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

REPLY = "OK."


class BaselineBot(discord.Client):
    """Answers every slash command and button click with REPLY, ephemeral."""

    def __init__(self, **options: Any) -> None:
        # The least a bot needs: its servers (and their channels) cached; interactions need no intent.
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none(),
                         **options)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(name="fact", description="A fixed reply.")
        @app_commands.describe(topic="Ignored")
        async def fact(interaction: discord.Interaction, topic: str | None = None) -> None:
            await interaction.response.send_message(REPLY, ephemeral=True)

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        # Slash commands are answered by the tree; everything else here.
        if interaction.type is discord.InteractionType.component:
            await interaction.response.send_message(REPLY, ephemeral=True)

    async def post_buttons(self, channel_id: int, embed: discord.Embed, custom_ids: list[str],
                           labels: list[str]) -> int:
        """Post a message with `embed` and one button per custom id; return its id."""
        view = discord.ui.View(timeout=None)
        for custom_id, label in zip(custom_ids, labels, strict=True):
            view.add_item(discord.ui.Button(label=label, custom_id=custom_id, style=discord.ButtonStyle.primary))
        with discord.http.handle_message_parameters(embed=embed, view=view) as params:
            data = await self.http.send_message(channel_id, params=params)
        return int(data["id"])
