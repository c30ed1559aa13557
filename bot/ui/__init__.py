"""Builders for what the bot shows in Discord (embeds, views), with Discord's limits enforced here."""
