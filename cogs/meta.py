"""/help and /about."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.client import QuizBot
from bot.ui.help import about_embed, help_embed


class Meta(commands.Cog):
    """What the bot can do and what it is running."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction[QuizBot]) -> None:
        """List every command with what it does."""
        await interaction.response.send_message(embed=help_embed(self.bot.tree.get_commands()), ephemeral=True)

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction[QuizBot]) -> None:
        """Show the version, this server's content and the connection latency."""
        content = await self.bot.guild_content.for_guild(interaction.guild_id)  # its own packs, switches, hiding
        embed = about_embed(__version__, content, self.bot.latency)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: QuizBot) -> None:
    await bot.add_cog(Meta(bot))
