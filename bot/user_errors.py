"""The error whose message is for the user. Pure: core code raises it; bot.errors shows it."""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """An error caused by the user's input or situation; its message is shown to them as is."""
