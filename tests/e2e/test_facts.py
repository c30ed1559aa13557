"""/fact end to end: embeds, no repeats (also across a restart), topics, cooldown, fact of the day."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import CONTENT, embed_text
from tests.fakediscord.harness import eventually

FACT_TEXTS = {fact.text: fact for fact in CONTENT.facts}


def fact_of(rec) -> object:
    """The fact an answer showed (by its text)."""
    return FACT_TEXTS[rec.embeds[0]["description"]]


async def ask(fake, world, member, channel=None, **options):
    rec = await fake.invoke(world.guild, channel or world.general, member, "fact", **options)
    await rec.response()
    return rec


async def wait_for_daily_state(bot, state: str) -> None:
    """Wait until the daily loop has recorded how its post ended (it runs beside the test)."""
    rows: list = []

    async def reached() -> bool:
        rows[:] = await bot.db.fetch_all("SELECT state FROM daily_fact_posts")
        return bool(rows) and all(row["state"] == state for row in rows)

    for _ in range(300):
        if await reached():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the daily post never reached {state!r}: {[dict(r) for r in rows]}")


def no_cooldown(bot) -> None:
    bot.get_cog("Facts").cooldown.rate = 10_000


async def test_a_fact_is_an_embed_with_topic_source_and_a_button(fake, world, bot) -> None:
    rec = await ask(fake, world, world.players[0])
    assert not rec.ephemeral
    assert rec.ack_latency < 3.0
    embed = rec.embeds[0]
    fact = fact_of(rec)
    assert embed["fields"][0]["name"] == "Topic"
    headline = CONTENT.source(fact.sources[0]).headline
    assert headline in embed["footer"]["text"]
    assert rec.components[0]["components"][0]["label"] == "Another fact"
    fake.assert_no_rejections()


async def test_contested_facts_say_so(fake, world, bot) -> None:
    no_cooldown(bot)
    replies = [await ask(fake, world, world.players[0]) for _ in CONTENT.facts]
    seen = [fact_of(rec) for rec in replies]
    assert {f.id for f in seen if f.contested} == {f.id for f in CONTENT.facts if f.contested}
    for rec in replies:
        fact = fact_of(rec)
        notes = [f["value"] for f in rec.embeds[0]["fields"] if f["name"].startswith("Contested")]
        assert notes == ([fact.contested] if fact.contested else [])


async def test_every_fact_once_before_any_repeat_and_the_deck_survives_a_restart(fake, world, botctl) -> None:
    bot = await botctl.start()
    no_cooldown(bot)
    half = len(CONTENT.facts) // 2
    seen = [fact_of(await ask(fake, world, world.players[i % 5])).id for i in range(half)]
    bot = await botctl.restart()
    no_cooldown(bot)
    seen += [fact_of(await ask(fake, world, world.players[i % 5])).id for i in range(len(CONTENT.facts) - half)]
    assert sorted(seen) == sorted(f.id for f in CONTENT.facts)
    after = fact_of(await ask(fake, world, world.players[0])).id
    assert after != seen[-1], "a new cycle must not start with the fact just shown"
    fake.assert_no_rejections()


async def test_the_another_fact_button_serves_the_next_fact(fake, world, bot) -> None:
    first = await ask(fake, world, world.players[0])
    click = await fake.click(first.original, "fact:more:", world.players[1])
    await click.response()
    assert not click.ephemeral
    assert fact_of(click).id != fact_of(first).id


async def test_a_topic_narrows_the_facts(fake, world, bot) -> None:
    no_cooldown(bot)
    topic = "marriages"
    pool = set(CONTENT.fact_ids(topic))
    shown = {fact_of(await ask(fake, world, world.players[0], topic=topic)).id for _ in pool}
    assert shown == pool


async def test_an_unknown_topic_lists_the_valid_ones(fake, world, bot) -> None:
    rec = await ask(fake, world, world.players[0], topic="bloopers")
    assert rec.ephemeral
    assert "no topic called `bloopers`" in rec.content
    for topic in CONTENT.topics():
        assert f"`{topic}`" in rec.content


async def test_topic_autocomplete_returns_matching_topics(fake, world, bot) -> None:
    rec = await fake.autocomplete(world.guild, world.general, world.players[0], "fact", option="topic", value="film")
    await rec.response()
    assert [c["value"] for c in rec.autocomplete_choices] == ["filming"]
    rec = await fake.autocomplete(world.guild, world.general, world.players[0], "fact", option="topic", value="")
    await rec.response()
    assert [c["value"] for c in rec.autocomplete_choices] == list(CONTENT.topics())


async def test_a_flood_meets_a_cooldown_that_says_when_to_try_again(fake, world, bot) -> None:
    replies = [await ask(fake, world, world.players[0]) for _ in range(4)]
    assert not any(r.ephemeral for r in replies[:3])
    assert replies[3].ephemeral
    assert "You can ask again <t:" in replies[3].content
    assert not (await ask(fake, world, world.players[1])).ephemeral  # the cooldown is per member


async def test_facts_work_in_direct_messages_with_a_deck_per_user(fake, world, bot) -> None:
    user = world.players[0].user if hasattr(world.players[0], "user") else world.players[0]
    dm = fake.dm_channel(user)
    rec = await fake.invoke(None, dm, user, "fact")
    await rec.response()
    assert rec.embeds and not rec.ephemeral
    dealer = bot.get_cog("Facts").dealer
    await eventually(lambda: dealer.unsaved == 0, timeout=3, what="the deck saved behind")
    assert await bot.db.fetch_one("SELECT 1 FROM fact_decks WHERE scope = ?", (f"user:{user.id}",))


@pytest.mark.parametrize("hour", [9, 23])
async def test_the_fact_of_the_day_posts_once_at_the_hour_also_across_a_restart(fake, world, botctl, hour) -> None:
    clock = botctl.wall_clock
    at_the_hour = datetime(2026, 11, 22, hour, tzinfo=UTC)
    clock.set(at_the_hour - timedelta(seconds=1))
    bot = await botctl.start()
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=hour)
    ).final()
    facts = bot.get_cog("Facts")
    assert await facts.post_due_daily_facts() == 0  # a second before the hour: not yet
    clock.set(at_the_hour)
    assert await facts.post_due_daily_facts() == 1
    assert await facts.post_due_daily_facts() == 0  # once a day
    clock.set(at_the_hour.replace(minute=59, second=59))
    assert await facts.post_due_daily_facts() == 0, "still today"
    posted = [m for m in fake.messages(world.quiz) if m.embeds and m.embeds[0]["title"] == "Fact of the day"]
    assert len(posted) == 1

    bot = await botctl.restart()
    assert await bot.get_cog("Facts").post_due_daily_facts() == 0, "not again after a restart"
    clock.set(at_the_hour + timedelta(days=1) - timedelta(seconds=1))
    assert await bot.get_cog("Facts").post_due_daily_facts() == 0, "tomorrow, before the hour"
    clock.set(at_the_hour + timedelta(days=1, minutes=40))  # the bot was down at the hour: post on return
    assert await bot.get_cog("Facts").post_due_daily_facts() == 1
    fake.assert_no_rejections()


async def test_the_fact_of_the_day_at_midnight_turns_over_with_the_utc_date(fake, world, botctl) -> None:
    clock = botctl.wall_clock
    clock.set(datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC))
    bot = await botctl.start()
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=0)
    ).final()
    # Hour 0 is due all day, so the check woken by the setting posts today's fact at once.
    await fake.wait_for_message(world.quiz, lambda m: m.embeds and m.embeds[0]["title"] == "Fact of the day")
    await wait_for_daily_state(bot, "posted")
    facts = bot.get_cog("Facts")
    assert await facts.post_due_daily_facts() == 0
    clock.advance(timedelta(seconds=2))  # 00:00:01 on the first of the next month
    assert await facts.post_due_daily_facts() == 1
    assert await facts.post_due_daily_facts() == 0
    assert len([m for m in fake.messages(world.quiz) if m.embeds]) == 2


@pytest.mark.parametrize("crash", ["before the post", "after Discord created the message"])
async def test_a_crash_mid_post_loses_the_fact_of_the_day_and_doubles_it_never(fake, world, botctl, crash) -> None:
    clock = botctl.wall_clock
    clock.set(datetime(2026, 11, 22, 8, 59, tzinfo=UTC))
    bot = await botctl.start()
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=9)
    ).final()
    clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    facts = bot.get_cog("Facts")
    hang = asyncio.Event()  # never set: the process "dies" while waiting here

    async def stuck(*args, **kwargs):
        await hang.wait()

    if crash == "before the post":
        facts._post_daily = stuck
    else:
        facts.repo.finish_daily_post = stuck
    check = asyncio.create_task(facts.post_due_daily_facts())
    if crash == "before the post":
        await eventually(lambda: facts.daily._in_flight, what="the claim")
    else:
        await fake.wait_for_message(world.quiz, lambda m: bool(m.embeds))
    check.cancel()  # the crash: nothing after this point runs
    await asyncio.gather(check, return_exceptions=True)

    clock.advance(timedelta(minutes=1))
    bot = await botctl.restart()  # the first check after the start finds today's claim pending
    await wait_for_daily_state(bot, "posted")
    assert await bot.get_cog("Facts").post_due_daily_facts() == 0
    posted = [m for m in fake.messages(world.quiz) if m.embeds and m.embeds[0]["title"] == "Fact of the day"]
    assert len(posted) == 1
    fake.assert_no_rejections()


async def test_the_daily_loop_fires_by_itself(fake, world, botctl) -> None:
    botctl.wall_clock.set(datetime(2026, 11, 22, 6, 1, tzinfo=UTC))
    botctl.daily_check_seconds = 0.05
    await botctl.start()
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=6)
    ).final()
    message = await fake.wait_for_message(world.quiz, lambda m: m.embeds and m.embeds[0]["title"] == "Fact of the day")
    assert embed_text(message.embeds[0])
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=5)
    ).final()
    await asyncio.sleep(0.3)  # woken again, then several more checks: still one post today
    assert len([m for m in fake.messages(world.quiz) if m.embeds]) == 1


async def test_a_daily_fact_without_permission_is_reported_and_others_still_post(fake, world, botctl) -> None:
    other = fake.add_guild("Scranton Branch")
    other_channel = other.add_text_channel("facts")
    other_mod = other.add_member("Jan", permissions=["manage_guild"])
    botctl.wall_clock.set(datetime(2026, 11, 22, 8, tzinfo=UTC))
    bot = await botctl.start()
    for guild, channel, mod in ((world.guild, world.quiz, world.mod), (other, other_channel, other_mod)):
        await (await fake.invoke(guild, channel, mod, "config daily-fact", channel=channel, hour=9)).final()
    await asyncio.sleep(0.1)  # the woken check: before the hour, nothing to post
    world.quiz.restrict_bot(["view_channel", "send_messages"])  # no Embed Links any more
    botctl.wall_clock.set(datetime(2026, 11, 22, 10, tzinfo=UTC))
    assert await bot.get_cog("Facts").post_due_daily_facts() == 1
    assert [m for m in fake.messages(other_channel) if m.embeds]
    notices = await bot.repos.servers.notices(world.guild.id)
    assert [n.subject for n in notices] == ["daily-fact"]
    assert "Embed Links" in notices[0].message
    show = await fake.invoke(world.guild, world.general, world.mod, "config show")
    await show.response()
    assert "Fact of the day: I'm missing **Embed Links**" in embed_text(show.embeds[0])


async def test_a_passing_failure_does_not_use_up_the_day(fake, world, botctl) -> None:
    botctl.wall_clock.set(datetime(2026, 11, 22, 8, tzinfo=UTC))  # before the hour: the woken check posts nothing
    bot = await botctl.start()
    await (
        await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz, hour=9)
    ).final()
    await asyncio.sleep(0.1)
    botctl.wall_clock.set(datetime(2026, 11, 22, 10, tzinfo=UTC))
    facts = bot.get_cog("Facts")
    fake.fail_next("POST", "/channels/{channel_id}/messages", status=503, message="503: Service Unavailable")
    assert await facts.post_due_daily_facts() == 0
    assert not [m for m in fake.messages(world.quiz) if m.embeds]
    assert await facts.post_due_daily_facts() == 1, "the next check tries again"
    assert await facts.post_due_daily_facts() == 0
