"""Stored fact decks and fact-of-the-day claims."""

from datetime import date

from bot.facts.daily import DailyState
from bot.facts.deck import Deck
from bot.guild_settings import Setting
from bot.storage.facts import FactRepo
from bot.storage.servers import ServerRepo

GUILD, OTHER, MOD = 111, 222, 9
TODAY = date(2026, 11, 22)


async def test_decks_are_stored_per_scope_and_topic(db) -> None:
    repo = FactRepo(db)
    assert await repo.load_deck("guild:1", "") == Deck()
    await repo.save_decks([(("guild:1", ""), Deck(frozenset({"a", "b"}), "b")), (("user:7", "cast"), Deck())])
    assert await repo.load_deck("guild:1", "") == Deck(frozenset({"a", "b"}), "b")
    assert await repo.load_deck("user:7", "cast") == Deck()
    assert await repo.load_deck("guild:1", "filming") == Deck()


async def test_a_day_is_claimed_once_pending_then_finished(db) -> None:
    settings, repo = ServerRepo(db), FactRepo(db)
    await settings.change(GUILD, {Setting.DAILY_FACT_CHANNEL: 5, Setting.DAILY_FACT_HOUR: 9}, MOD)
    assert await repo.claim_daily_post(GUILD, TODAY, "fact-a") is True
    assert await repo.claim_daily_post(GUILD, TODAY, "fact-b") is False, "one claim a day"
    [target] = await repo.daily_targets()
    assert (target.day, target.state, target.fact_id) == (TODAY, DailyState.PENDING, "fact-a")
    await repo.finish_daily_post(GUILD, TODAY, DailyState.POSTED)
    assert (await repo.daily_targets())[0].state is DailyState.POSTED
    assert await repo.claim_daily_post(GUILD, date(2026, 11, 23), "fact-c") is True


async def test_daily_targets_are_servers_with_a_valid_channel_and_hour(db) -> None:
    settings = ServerRepo(db)
    await settings.change(GUILD, {Setting.DAILY_FACT_CHANNEL: 5, Setting.DAILY_FACT_HOUR: 9}, MOD)
    await settings.change(OTHER, {Setting.DAILY_FACT_CHANNEL: 6}, MOD)  # no hour: off
    # Stored by an older version (or by hand): skipped rather than breaking every check.
    for guild, hour in ((333, "0.5"), (444, "25"), (555, "nine")):
        await settings.change(guild, {Setting.DAILY_FACT_CHANNEL: 7}, MOD)
        await db.execute(
            "INSERT INTO guild_settings (guild_id, key, value, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)",
            (guild, Setting.DAILY_FACT_HOUR.value, hour, MOD, "2026-11-22T00:00:00+00:00"),
        )
    targets = await FactRepo(db).daily_targets()
    assert [(t.guild_id, t.channel_id, t.hour, t.day, t.state) for t in targets] == [
        (GUILD, 5, 9, None, DailyState.POSTED)
    ]
