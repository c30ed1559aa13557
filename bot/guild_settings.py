"""A server's settings: what each one means, its default, and how it is shown. Pure: no Discord.

Stored as one row per (server, setting) so that `/config show` can say who changed each
setting and when.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

__all__ = [
    "QUESTIONS_RANGE",
    "SECONDS_RANGE",
    "ChangeRecord",
    "FactScope",
    "GuildSettings",
    "Setting",
    "display_value",
]

QUESTIONS_RANGE = (1, 20)
SECONDS_RANGE = (5, 60)
HOUR_RANGE = (0, 23)


class Setting(StrEnum):
    """The settings a moderator can change (values are the stored keys)."""

    BOT_CHANNEL = "bot_channel_id"
    QUIZ_QUESTIONS = "quiz_questions"
    QUIZ_SECONDS = "quiz_seconds"
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
    Setting.DAILY_FACT_CHANNEL: "Fact of the day channel",
    Setting.DAILY_FACT_HOUR: "Fact of the day hour (UTC)",
    Setting.FACT_SCOPE: "/fact works in",
}


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """Every setting of one server, with defaults for the ones never set."""

    bot_channel_id: int | None = None
    quiz_questions: int = 5
    quiz_seconds: int = 20
    daily_fact_channel_id: int | None = None
    daily_fact_hour: int | None = None
    fact_scope: FactScope = FactScope.EVERYWHERE

    @classmethod
    def from_stored(cls, values: dict[str, str | None]) -> GuildSettings:
        """Build from stored strings, ignoring unknown keys and unreadable values (defaults win)."""
        settings = cls()
        for f in fields(cls):
            raw = values.get(f.name)
            if raw is None:
                continue
            try:
                value = FactScope(raw) if f.name == Setting.FACT_SCOPE else int(raw)
            except ValueError:
                continue
            settings = replace(settings, **{f.name: value})
        return settings

    def get(self, setting: Setting) -> int | str | None:
        return getattr(self, setting.value)

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
    if setting is Setting.FACT_SCOPE:
        return "every channel" if value == FactScope.EVERYWHERE else "the bot channel only"
    return str(value)


def label(setting: Setting) -> str:
    return LABELS[setting]
