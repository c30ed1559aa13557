"""Stored server settings: changes with who and when, resets, deleted channels, notices."""


from bot.guild_settings import FactScope, GuildSettings, Setting
from bot.storage.servers import ServerRepo

GUILD, OTHER, MOD = 111, 222, 9


async def test_a_new_server_has_the_defaults(db) -> None:
    settings = await ServerRepo(db).load(GUILD)
    assert settings == GuildSettings()
    assert (settings.quiz_questions, settings.quiz_seconds) == (5, 20)
    assert settings.fact_scope is FactScope.EVERYWHERE


async def test_changes_are_stored_per_server_with_who_made_them(db) -> None:
    repo = ServerRepo(db)
    changes = await repo.change(GUILD, {Setting.QUIZ_QUESTIONS: 10, Setting.BOT_CHANNEL: 5}, MOD)
    assert {(c.setting, c.old, c.new) for c in changes} == {
        (Setting.QUIZ_QUESTIONS, 5, 10),
        (Setting.BOT_CHANNEL, None, 5),
    }
    fresh = ServerRepo(db)  # no cache: read back from the database
    assert (await fresh.load(GUILD)).quiz_questions == 10
    assert (await fresh.load(OTHER)).quiz_questions == 5
    records = await fresh.change_records(GUILD)
    assert records[Setting.QUIZ_QUESTIONS].user_id == MOD
    assert await repo.change(GUILD, {Setting.QUIZ_QUESTIONS: 10}, MOD) == []


async def test_reset_returns_to_defaults_for_that_server_only(db) -> None:
    repo = ServerRepo(db)
    await repo.change(GUILD, {Setting.QUIZ_SECONDS: 30}, MOD)
    await repo.change(OTHER, {Setting.QUIZ_SECONDS: 40}, MOD)
    changes = await repo.reset(GUILD, MOD)
    assert [(c.setting, c.old, c.new) for c in changes] == [(Setting.QUIZ_SECONDS, 30, 20)]
    assert (await repo.load(GUILD)).quiz_seconds == 20
    assert (await repo.load(OTHER)).quiz_seconds == 40


async def test_a_deleted_channel_clears_the_settings_that_pointed_at_it(db) -> None:
    repo = ServerRepo(db)
    await repo.change(
        GUILD, {Setting.BOT_CHANNEL: 5, Setting.DAILY_FACT_CHANNEL: 5, Setting.DAILY_FACT_HOUR: 9}, MOD
    )
    changes = await repo.clear_channel(GUILD, 5)
    assert {c.setting for c in changes} == {
        Setting.BOT_CHANNEL,
        Setting.DAILY_FACT_CHANNEL,
        Setting.DAILY_FACT_HOUR,
    }
    settings = await repo.load(GUILD)
    assert settings.bot_channel_id is None and not settings.daily_fact_enabled
    assert (await repo.change_records(GUILD))[Setting.BOT_CHANNEL] is None  # changed by the bot
    assert await repo.clear_channel(GUILD, 5) == []


async def test_notices_are_replaced_per_subject_and_cleared(db) -> None:
    repo = ServerRepo(db)
    await repo.add_notice(GUILD, "daily-fact", "first")
    await repo.add_notice(GUILD, "daily-fact", "second")
    assert [n.message for n in await repo.notices(GUILD)] == ["second"]
    assert await repo.notices(OTHER) == []
    await repo.clear_notice(GUILD, "daily-fact")
    assert await repo.notices(GUILD) == []


async def test_a_read_that_a_change_overtook_is_not_cached(db) -> None:
    # At start-up the channel check reads every server's settings while commands already run: a
    # read made before a change but finished after it must not keep the old settings cached.
    import asyncio

    repo = ServerRepo(db)
    read_done, let_go = asyncio.Event(), asyncio.Event()
    real_fetch = db.fetch_all
    held = []

    async def slow_first_read(sql, params=()):
        rows = await real_fetch(sql, params)
        if not held:  # the first read: it has its (old) rows, then waits
            held.append(sql)
            read_done.set()
            await let_go.wait()
        return rows

    db.fetch_all = slow_first_read
    try:
        early = asyncio.create_task(repo.load(GUILD))
        await read_done.wait()
        await repo.change(GUILD, {Setting.QUIZ_SECONDS: 45}, MOD)
        let_go.set()
        assert (await early).quiz_seconds == 20  # what it read, before the change
    finally:
        db.fetch_all = real_fetch
    assert (await repo.load(GUILD)).quiz_seconds == 45
