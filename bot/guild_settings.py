"""A server's settings: what each one means, its default, and how it is shown. Pure: no Discord.

Stored as one row per (server, setting) so that `/config show` can say who changed each
setting and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

from bot.quiz.round import (
    DEFAULT_IDLE_STOP,
    MAX_IDLE_STOP,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_IDLE_STOP,
    MIN_QUESTIONS,
    MIN_SECONDS,
)

__all__ = [
    "BOUNDS",
    "FIRST_HOUR",
    "IDLE_STOP_RANGE",
    "LAST_HOUR",
    "QUESTIONS_RANGE",
    "SECONDS_RANGE",
    "ChangeRecord",
    "FactScope",
    "GuildSettings",
    "Setting",
    "display_value",
    "parse_setting",
]

QUESTIONS_RANGE = (MIN_QUESTIONS, MAX_QUESTIONS)  # the round's own limits, one source
SECONDS_RANGE = (MIN_SECONDS, MAX_SECONDS)
IDLE_STOP_RANGE = (MIN_IDLE_STOP, MAX_IDLE_STOP)
FIRST_HOUR, LAST_HOUR = 0, 23  # the fact-of-the-day hour, UTC
HOUR_RANGE = (FIRST_HOUR, LAST_HOUR)


class Setting(StrEnum):
    """The settings a moderator can change (values are the stored keys)."""

    BOT_CHANNEL = "bot_channel_id"
    QUIZ_QUESTIONS = "quiz_questions"
    QUIZ_SECONDS = "quiz_seconds"
    QUIZ_IDLE_STOP = "quiz_idle_stop"
    DAILY_FACT_CHANNEL = "daily_fact_channel_id"
    DAILY_FACT_HOUR = "daily_fact_hour"
    FACT_SCOPE = "fact_scope"


class FactScope(StrEnum):
    """Where /fact answers."""

    EVERYWHERE = "everywhere"
    BOT_CHANNEL = "bot-channel"


LABELS: dict[Setting, str] = {
    Setting.BOT_CHANNEL: "Bot channel",
    Setting.QUIZ_QUESTIONS: "Questions per round",
    Setting.QUIZ_SECONDS: "Seconds per question",
    Setting.QUIZ_IDLE_STOP: "Round stops after",
    Setting.DAILY_FACT_CHANNEL: "Fact of the day channel",
    Setting.DAILY_FACT_HOUR: "Fact of the day hour (UTC)",
    Setting.FACT_SCOPE: "/fact works in",
}


# The allowed range of each number setting: checked on every write and again on every read.
BOUNDS: dict[Setting, tuple[int, int]] = {
    Setting.QUIZ_QUESTIONS: QUESTIONS_RANGE,
    Setting.QUIZ_SECONDS: SECONDS_RANGE,
    Setting.QUIZ_IDLE_STOP: IDLE_STOP_RANGE,
    Setting.DAILY_FACT_HOUR: HOUR_RANGE,
}
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,20}")


def parse_setting(setting: Setting, raw: str | None) -> int | FactScope | None:
    """Return a stored value as its setting's type, or None when it is absent or not a valid value.

    Stored values are checked on read as well as on write: a value written by an older version
    (or by hand) must fall back to the default, never break a command or a background task.
    """
    if raw is None:
        return None
    if setting is Setting.FACT_SCOPE:
        try:
            return FactScope(raw)
        except ValueError:
            return None
    if not _WHOLE_NUMBER.fullmatch(raw.strip()):
        return None  # "1.5", "0.5", "" or anything else that is not a whole number
    value = int(raw)
    low, high = BOUNDS.get(setting, (1, 2**64 - 1))  # snowflakes are positive 64-bit numbers
    return value if low <= value <= high else None


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """Every setting of one server, with defaults for the ones never set."""

    bot_channel_id: int | None = None
    quiz_questions: int = 5
    quiz_seconds: int = 20
    quiz_idle_stop: int = DEFAULT_IDLE_STOP  # unanswered questions in a row
    daily_fact_channel_id: int | None = None
    daily_fact_hour: int | None = None
    fact_scope: FactScope = FactScope.EVERYWHERE

    @classmethod
    def from_stored(cls, values: dict[str, str | None]) -> GuildSettings:
        """Build from stored strings, ignoring unknown keys and invalid values (defaults win)."""
        settings = cls()
        for f in fields(cls):
            value = parse_setting(Setting(f.name), values.get(f.name))
            if value is not None:
                settings = replace(settings, **{f.name: value})  # type: ignore[arg-type]  # parse_setting typed it
        return settings

    def get(self, setting: Setting) -> int | str | None:
        return getattr(self, setting.value)

    def is_bot_channel(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """Whether quiz rounds may run here: any channel when no bot channel is set.

        A thread counts as its parent channel, so a thread of the bot channel is the bot channel too.
        """
        return self.bot_channel_id is None or self.bot_channel_id in (channel_id, parent_id)

    def allows_facts_in(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """Whether /fact answers here: everywhere, unless limited to a bot channel that is set."""
        return self.fact_scope is not FactScope.BOT_CHANNEL or self.is_bot_channel(channel_id, parent_id)

    def scope_warning(self) -> str | None:
        """Say so when /fact is limited to the bot channel but none is set (so it works everywhere)."""
        if self.fact_scope is FactScope.BOT_CHANNEL and self.bot_channel_id is None:
            return "/fact is limited to the bot channel, but no bot channel is set, so /fact works everywhere."
        return None

    @property
    def daily_fact_enabled(self) -> bool:
        return self.daily_fact_channel_id is not None and self.daily_fact_hour is not None

    def channels(self) -> dict[Setting, int]:
        """Return the channel settings that are set."""
        pairs = (
            (Setting.BOT_CHANNEL, self.bot_channel_id),
            (Setting.DAILY_FACT_CHANNEL, self.daily_fact_channel_id),
        )
        return {setting: channel for setting, channel in pairs if channel is not None}


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """Who last changed a setting, and when."""

    user_id: int
    changed_at: datetime


def display_value(setting: Setting, value: int | str | None) -> str:
    """Return a setting's value as /config show prints it (channels as mentions)."""
    if value is None:
        return {
            Setting.BOT_CHANNEL: "any channel",
            Setting.DAILY_FACT_CHANNEL: "off",
            Setting.DAILY_FACT_HOUR: "off",
        }.get(setting, "default")
    if setting in (Setting.BOT_CHANNEL, Setting.DAILY_FACT_CHANNEL):
        return f"<#{value}>"
    if setting is Setting.DAILY_FACT_HOUR:
        return f"{int(value):02d}:00 UTC"
    if setting is Setting.QUIZ_IDLE_STOP:
        return f"{value} unanswered question{'s' if int(value) != 1 else ''} in a row"
    if setting is Setting.FACT_SCOPE:
        return "every channel" if value == FactScope.EVERYWHERE else "the bot channel only"
    return str(value)


def label(setting: Setting) -> str:
    return LABELS[setting]
