"""The bot's palette, so every embed of one kind looks the same."""

import discord

FACT = discord.Colour(0x2B6CB0)
QUIZ = discord.Colour(0xD69E2E)
CORRECT = discord.Colour(0x38A169)
INFO = discord.Colour(0x4A5568)
WARNING = discord.Colour(0xDD6B20)
