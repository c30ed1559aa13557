"""Serving facts: decks without repeats, cooldowns and the fact-of-the-day schedule. No Discord here."""
