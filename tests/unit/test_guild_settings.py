"""A server's settings: where the bot answers, how settings are shown, stored values read back safely."""

import pytest

from bot.guild_settings import FactScope, GuildSettings, Setting, display_value

BOT_CHANNEL, THREAD, ELSEWHERE = 10, 11, 12


def test_rounds_run_anywhere_until_a_bot_channel_is_set_and_its_threads_count_as_it() -> None:
    assert GuildSettings().is_bot_channel(ELSEWHERE)
    limited = GuildSettings(bot_channel_id=BOT_CHANNEL)
    assert limited.is_bot_channel(BOT_CHANNEL)
    assert limited.is_bot_channel(THREAD, parent_id=BOT_CHANNEL)
    assert not limited.is_bot_channel(ELSEWHERE)
    assert not limited.is_bot_channel(THREAD, parent_id=ELSEWHERE)


def test_facts_follow_the_bot_channel_only_when_their_scope_says_so() -> None:
    assert GuildSettings(bot_channel_id=BOT_CHANNEL).allows_facts_in(ELSEWHERE)
    scoped = GuildSettings(bot_channel_id=BOT_CHANNEL, fact_scope=FactScope.BOT_CHANNEL)
    assert scoped.allows_facts_in(THREAD, parent_id=BOT_CHANNEL)
    assert not scoped.allows_facts_in(ELSEWHERE)
    unset = GuildSettings(fact_scope=FactScope.BOT_CHANNEL)
    assert unset.allows_facts_in(ELSEWHERE)
    assert unset.scope_warning() is not None and scoped.scope_warning() is None


def test_values_are_displayed_for_people() -> None:
    assert display_value(Setting.BOT_CHANNEL, None) == "any channel"
    assert display_value(Setting.BOT_CHANNEL, 42) == "<#42>"
    assert display_value(Setting.DAILY_FACT_HOUR, 7) == "07:00 UTC"
    assert display_value(Setting.FACT_SCOPE, "bot-channel") == "the bot channel only"


@pytest.mark.parametrize(
    "stored",
    [
        {"quiz_questions": "lots", "fact_scope": "moon", "unknown": "1"},
        {"quiz_questions": "1.5", "quiz_seconds": "5.5", "daily_fact_hour": "0.5"},  # floats a stale client sent
        {"quiz_questions": "0", "quiz_seconds": "61", "daily_fact_hour": "24", "bot_channel_id": "-3"},  # out of range
    ],
)
def test_invalid_stored_values_fall_back_to_defaults(stored) -> None:
    assert GuildSettings.from_stored(stored) == GuildSettings()
