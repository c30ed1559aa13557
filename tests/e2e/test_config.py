"""/config end to end: who may use it, what each setting does, and that settings last."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.e2e.conftest import embed_text, press
from tests.fakediscord.invoking import CommandNotAvailable

EVERY_CONFIG_COMMAND = [
    ("config channel", {"channel": "quiz"}),
    ("config clear-channel", {}),
    ("config quiz-defaults", {"questions": 7}),
    ("config daily-fact", {"channel": "quiz", "hour": 9}),
    ("config daily-fact-off", {}),
    ("config fact-scope", {"where": "bot-channel"}),
    ("config show", {}),
    ("config reset", {}),
    ("config reset-leaderboard", {}),
]


def resolve(world, options: dict) -> dict:
    return {k: (world.quiz if v == "quiz" else v) for k, v in options.items()}


async def run(fake, world, member, command: str, in_channel=None, **options):
    rec = await fake.invoke(world.guild, in_channel or world.general, member, command, **options)
    await rec.final()  # setting changes are acknowledged first, then filled in
    return rec


async def test_the_config_group_is_hidden_from_members_by_default(fake, world, bot) -> None:
    with pytest.raises(CommandNotAvailable):
        await fake.invoke(world.guild, world.general, world.players[0], "config show")


@pytest.mark.parametrize(("command", "options"), EVERY_CONFIG_COMMAND)
async def test_a_member_granted_the_command_is_still_refused_and_nothing_changes(
    fake, world, bot, command, options
) -> None:
    member = world.players[0]
    fake.grant_command(world.guild, "config", member)  # an admin overrode the default permission
    before = await bot.repos.servers.load(world.guild.id)
    rec = await run(fake, world, member, command, **resolve(world, options))
    assert rec.ephemeral
    assert "You need **Manage Server**" in rec.content
    assert await bot.repos.servers.load(world.guild.id) == before


SET_FIRST = {  # commands that clear something need it set first, or there is nothing to change
    "config clear-channel": ("config channel", {"channel": "quiz"}),
    "config daily-fact-off": ("config daily-fact", {"channel": "quiz", "hour": 9}),
}


@pytest.mark.parametrize(("command", "options"), EVERY_CONFIG_COMMAND[:6])
async def test_a_moderator_can_change_every_setting(fake, world, bot, command, options) -> None:
    if command in SET_FIRST:
        first, first_options = SET_FIRST[command]
        await run(fake, world, world.mod, first, **resolve(world, first_options))
    before = await bot.repos.servers.load(world.guild.id)
    rec = await run(fake, world, world.mod, command, **resolve(world, options))
    assert rec.ephemeral
    assert rec.content.startswith("Saved.")
    assert await bot.repos.servers.load(world.guild.id) != before
    again = await run(fake, world, world.mod, command, **resolve(world, options))
    assert again.content.startswith("Nothing to change")


async def test_settings_are_stored_shown_and_survive_a_restart(fake, world, botctl) -> None:
    bot = await botctl.start()
    await run(fake, world, world.mod, "config channel", channel=world.quiz)
    await run(fake, world, world.mod, "config quiz-defaults", questions=3, seconds=15, idle_stop=4)
    await run(fake, world, world.mod, "config fact-scope", where="bot-channel")
    bot = await botctl.restart()
    settings = await bot.repos.servers.load(world.guild.id)
    assert (settings.bot_channel_id, settings.quiz_questions, settings.quiz_seconds) == (world.quiz.id, 3, 15)
    assert settings.quiz_idle_stop == 4
    show = await run(fake, world, world.mod, "config show")
    text = embed_text(show.embeds[0])
    assert f"<#{world.quiz.id}>" in text
    assert "4 unanswered questions in a row" in text
    assert f"changed by <@{world.mod.user.id}>" in text
    assert "None found." in text
    assert show.ephemeral


async def test_the_bot_channel_restricts_quiz_and_fact(fake, world, bot) -> None:
    await run(fake, world, world.mod, "config channel", channel=world.quiz)
    elsewhere = await run(fake, world, world.players[0], "quiz start")
    assert elsewhere.ephemeral and f"<#{world.quiz.id}>" in elsewhere.content
    fact = await run(fake, world, world.players[0], "fact")
    assert not fact.ephemeral, "/fact works everywhere until the scope says otherwise"
    await run(fake, world, world.mod, "config fact-scope", where="bot-channel")
    fact = await run(fake, world, world.players[1], "fact")
    assert fact.ephemeral and f"<#{world.quiz.id}>" in fact.content
    assert not (await run(fake, world, world.players[1], "fact", in_channel=world.quiz)).ephemeral
    await run(fake, world, world.mod, "config clear-channel")
    assert not (await run(fake, world, world.players[2], "fact")).ephemeral


async def test_a_channel_the_bot_cannot_use_is_refused_with_what_is_missing(fake, world, bot) -> None:
    world.quiz.restrict_bot(["view_channel"])
    rec = await run(fake, world, world.mod, "config channel", channel=world.quiz)
    assert rec.ephemeral
    assert "Send Messages, Embed Links" in rec.content
    assert (await bot.repos.servers.load(world.guild.id)).bot_channel_id is None


async def test_a_thread_needs_send_messages_in_threads(fake, world, bot) -> None:
    thread = world.quiz.add_thread("quiz-night")
    world.quiz.restrict_bot(["view_channel", "send_messages", "embed_links"])
    rec = await run(fake, world, world.mod, "config channel", channel=thread)
    assert "Send Messages in Threads" in rec.content


async def test_a_deleted_channel_clears_the_setting_and_show_reports_it(fake, world, bot) -> None:
    await run(fake, world, world.mod, "config channel", channel=world.quiz)
    await run(fake, world, world.mod, "config daily-fact", channel=world.quiz, hour=9)
    await fake.delete_channel(world.quiz)

    async def cleared() -> bool:
        return (await bot.repos.servers.load(world.guild.id)).bot_channel_id is None

    for _ in range(100):
        if await cleared():
            break
        await asyncio.sleep(0.01)
    settings = await bot.repos.servers.load(world.guild.id)
    assert settings.bot_channel_id is None and not settings.daily_fact_enabled
    text = embed_text((await run(fake, world, world.mod, "config show")).embeds[0])
    assert "#quiz was deleted" in text
    assert "changed by the bot (channel deleted)" in text


async def test_reset_asks_first_and_only_the_caller_can_confirm(fake, world, bot) -> None:
    other_mod = world.guild.add_member("Toby", permissions=["manage_guild"])
    await run(fake, world, world.mod, "config quiz-defaults", questions=12)
    rec = await run(fake, world, world.mod, "config reset")
    confirm_id = rec.components[0]["components"][0]["custom_id"]
    assert (await bot.repos.servers.load(world.guild.id)).quiz_questions == 12
    with pytest.raises(Exception, match="ephemeral"):
        await fake.click(rec.original, confirm_id, other_mod)  # they cannot even see it
    await press(fake, rec, world.mod)
    assert rec.original.content == "Every setting is back to its default."
    assert rec.original.buttons == []
    assert (await bot.repos.servers.load(world.guild.id)).quiz_questions == 5
    text = embed_text((await run(fake, world, world.mod, "config show")).embeds[0])
    assert f"Questions per round\n5\nchanged by <@{world.mod.user.id}>" in text  # who reset it, and when


@pytest.mark.parametrize(("waited", "expired"), [(59, False), (61, True)])
async def test_a_confirmation_expires_after_a_minute(fake, world, botctl, waited, expired) -> None:
    bot = await botctl.start()
    await run(fake, world, world.mod, "config quiz-defaults", questions=12)
    rec = await run(fake, world, world.mod, "config reset")
    botctl.wall_clock.advance(timedelta(seconds=waited))
    await press(fake, rec, world.mod)
    if not expired:
        assert rec.original.content == "Every setting is back to its default."
        return
    assert rec.original.content.startswith("This confirmation expired; nothing was changed.")
    assert (await bot.repos.servers.load(world.guild.id)).quiz_questions == 12


async def test_a_confirmation_still_answers_after_a_restart(fake, world, botctl) -> None:
    await botctl.start()
    await run(fake, world, world.mod, "config quiz-defaults", questions=12)
    rec = await run(fake, world, world.mod, "config reset")
    bot = await botctl.restart()
    await press(fake, rec, world.mod)
    assert rec.original.content == "Every setting is back to its default."
    assert (await bot.repos.servers.load(world.guild.id)).quiz_questions == 5


async def test_cancelling_a_reset_changes_nothing(fake, world, bot) -> None:
    await run(fake, world, world.mod, "config quiz-defaults", seconds=45)
    rec = await run(fake, world, world.mod, "config reset")
    await press(fake, rec, world.mod, 1)
    assert "nothing was changed" in rec.original.content
    assert (await bot.repos.servers.load(world.guild.id)).quiz_seconds == 45


async def test_config_changes_are_logged_with_old_and_new_values(fake, world, bot, caplog) -> None:
    caplog.set_level("INFO", logger="cogs.config")
    await run(fake, world, world.mod, "config quiz-defaults", questions=8)
    line = next(r.getMessage() for r in caplog.records if "config change" in r.getMessage())
    assert f"guild={world.guild.id}" in line and f"moderator={world.mod.user.id}" in line
    assert "setting=quiz_questions old=5 new=8" in line


async def test_a_dealt_with_problem_leaves_config_show(fake, world, bot) -> None:
    await run(fake, world, world.mod, "config channel", channel=world.quiz)
    await fake.delete_channel(world.quiz)
    for _ in range(100):
        if await bot.repos.servers.notices(world.guild.id):
            break
        await asyncio.sleep(0.01)
    await run(fake, world, world.mod, "config channel", channel=world.general)
    text = embed_text((await run(fake, world, world.mod, "config show")).embeds[0])
    assert "was deleted" not in text and "None found." in text


async def test_turning_the_daily_fact_off_clears_its_last_failure(fake, world, bot) -> None:
    notice = "Fact of the day: I'm missing **Embed Links**."
    await bot.repos.servers.add_notice(world.guild.id, "daily-fact", notice)
    await run(fake, world, world.mod, "config daily-fact", channel=world.quiz, hour=9)
    await run(fake, world, world.mod, "config daily-fact-off")
    assert await bot.repos.servers.notices(world.guild.id) == []


async def test_limiting_facts_to_an_unset_bot_channel_says_what_happens(fake, world, bot) -> None:
    rec = await run(fake, world, world.mod, "config fact-scope", where="bot-channel")
    assert "no bot channel is set, so /fact works everywhere" in rec.content
    assert "no bot channel is set" in embed_text((await run(fake, world, world.mod, "config show")).embeds[0])
    rec = await run(fake, world, world.mod, "config channel", channel=world.quiz)
    assert "no bot channel is set" not in rec.content


async def test_a_setting_change_is_acknowledged_before_its_writes(fake, world, bot) -> None:
    repo = bot.repos.servers
    change, writes_may_go = repo.change, asyncio.Event()

    async def slow_change(*args, **kwargs):  # as behind a burst of round results
        await writes_may_go.wait()
        return await change(*args, **kwargs)

    repo.change = slow_change
    rec = await fake.invoke(world.guild, world.general, world.mod, "config channel", channel=world.quiz)
    await rec.response()
    assert rec.deferred and rec.ephemeral
    writes_may_go.set()
    await rec.final()
    assert rec.original.content.startswith("Saved.")
    assert (await repo.load(world.guild.id)).bot_channel_id == world.quiz.id
