"""The subjects of the notices shown to moderators in /config show. Pure: no Discord."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["NoticeSubject"]


class NoticeSubject(StrEnum):
    """What a stored notice is about; a new notice on a subject replaces the old one."""

    DAILY_FACT = "daily-fact"  # the last fact of the day could not be posted
    CHANNEL_DELETED = "deleted:"  # + the channel id: a channel setting was cleared
