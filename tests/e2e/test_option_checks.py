"""Values Discord usually refuses, sent anyway (a stale or hostile client): the bot refuses them too.

Each case gets a clear ephemeral answer, stores nothing and logs no error; the autouse log check
fails any case that ends in a traceback.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.guild_settings import GuildSettings
from tests.e2e.conftest import embed_text
from tests.e2e.quizkit import is_standings, start_round
from tests.fakediscord.harness import eventually

STRING, INTEGER, USER, CHANNEL = 3, 4, 6, 7


def option(name: str, kind: int, value) -> dict:
    return {"name": name, "type": kind, "value": value}


def channel_option(channel) -> tuple[dict, dict]:
    resolved = {"channels": {str(channel.id): {"id": str(channel.id), "type": 0, "name": channel.name}}}
    return option("channel", CHANNEL, str(channel.id)), resolved


CASES = [
    ("leaderboard", [option("period", STRING, "year")], "`period` must be one of `all-time`, `week`, `month`."),
    ("config fact-scope", [option("where", STRING, "moon")], "`where` must be one of"),
    ("config reset-leaderboard", [option("period", STRING, "decade")], "`period` must be one of"),
    ("config quiz-defaults", [option("questions", INTEGER, 1.5)], "`questions` must be a whole number."),
    ("config quiz-defaults", [option("seconds", INTEGER, 61)], "`seconds` must be a whole number from 5 to 60."),
    ("config quiz-defaults", [option("questions", INTEGER, "five")], "`questions` must be a whole number."),
    ("quiz start", [option("questions", INTEGER, 1.5)], "`questions` must be a whole number."),
    ("quiz start", [option("seconds", INTEGER, 5.5)], "`seconds` must be a whole number."),
    ("quiz start", [option("questions", INTEGER, True)], "`questions` must be a whole number."),
    ("quiz start", [option("topic", INTEGER, 3)], "That command has changed"),  # the wrong type for the option
    ("fact", [option("subject", STRING, "filming")], "That command has changed"),  # no such option
    ("rank", [option("member", USER, "123456789012345678")], "I can't find that member any more."),
]


CASE_IDS = [f"{command} {options[0]['name']}={options[0]['value']!r}" for command, options, _ in CASES]


@pytest.mark.parametrize(("command", "options", "reply"), CASES, ids=CASE_IDS)
async def test_a_value_discord_would_refuse_gets_a_clear_private_answer(fake, world, bot, command, options, reply):
    rec = await fake.invoke_unchecked(world.guild, world.general, world.mod, command, options)
    await rec.response()
    assert rec.ephemeral
    assert reply in rec.content
    assert await bot.repos.servers.load(world.guild.id) == GuildSettings(), "nothing stored"
    assert not [m for m in fake.messages(world.general) if not m.ephemeral], "nothing public"
    assert not bot.get_cog("Quiz").runners


async def test_a_half_hour_for_the_daily_fact_is_refused_and_the_daily_loop_keeps_working(fake, world, bot):
    channel, resolved = channel_option(world.quiz)
    rec = await fake.invoke_unchecked(
        world.guild, world.general, world.mod, "config daily-fact", [channel, option("hour", INTEGER, 0.5)],
        resolved=resolved,
    )
    await rec.response()
    assert rec.ephemeral and "`hour` must be a whole number." in rec.content
    assert not (await bot.repos.servers.load(world.guild.id)).daily_fact_enabled
    assert await bot.get_cog("Facts").post_due_daily_facts() == 0  # and no error either


async def test_autocomplete_for_an_option_without_it_answers_with_no_choices(fake, world, bot):
    focused = {**option("questions", INTEGER, "1"), "focused": True}
    rec = await fake.invoke_unchecked(world.guild, world.general, world.mod, "quiz start", [focused], autocomplete=True)
    await rec.response()
    assert rec.autocomplete_choices == []
    unknown = {**option("flavour", STRING, "mint"), "focused": True}
    rec = await fake.invoke_unchecked(world.guild, world.general, world.mod, "fact", [unknown], autocomplete=True)
    await rec.response()
    assert rec.autocomplete_choices == []


async def test_quiz_start_in_a_channel_just_deleted_is_refused_privately(fake, world, bot):
    # The bot has seen the channel go (CHANNEL_DELETE), but Discord still delivers an interaction
    # the member sent from it a moment before.
    await fake.dispatch("CHANNEL_DELETE", world.quiz.payload(), 1)
    await asyncio.sleep(0.05)
    assert bot.get_channel(world.quiz.id) is None
    rec = await start_round(fake, world.guild, world.quiz, world.players[0])
    assert rec.ephemeral
    assert "this channel no longer exists" in rec.content
    assert not [m for m in fake.messages(world.quiz) if not m.ephemeral]


async def test_a_channel_deleted_as_the_round_starts_ends_the_round_quietly(fake, world, bot):
    rec = await start_round(fake, world.guild, world.quiz, world.players[0], questions=2, seconds=5)
    assert not rec.ephemeral
    await fake.delete_channel(world.quiz)
    row = None
    for _ in range(300):
        row = await bot.db.fetch_one("SELECT status FROM rounds")
        if row is not None and row["status"] != "running":
            break
        await asyncio.sleep(0.01)
    assert row is not None and row["status"] == "failed"
    await eventually(lambda: not bot.get_cog("Quiz").runners, what="the runner to let go of the channel")
    assert not [m for m in fake.messages(world.quiz) if is_standings(m)]


async def test_rank_still_works_with_a_member_discord_resolved(fake, world, bot):
    rec = await fake.invoke(world.guild, world.general, world.players[0], "rank", member=world.players[1])
    await rec.response()
    assert "Pam" in embed_text(rec.embeds[0])
