"""/pack end to end: uploads from the interaction's attachment, replacing, listing, exporting,
switching packs, removing, hiding entries; each server sees only its own packs, across a restart."""

from __future__ import annotations

import pytest

from bot.packs.limits import MAX_PACK_BYTES, MAX_PACKS, TOO_MANY_PACKS, UPLOADS_PER_WINDOW
from bot.packs.template import TEMPLATE
from cogs.packs.cog import NOT_WAITING
from tests.e2e.conftest import CONTENT, embed_text, press
from tests.e2e.quizkit import is_standings, start_round
from tests.fakediscord.invoking import CommandNotAvailable

SHIPPED_PACK = CONTENT.packs[0].id
SHIPPED_FACT = CONTENT.facts[0]

GOOD = """\
[pack]
id = "fan-pack"
title = "Fan pack"

[[sources]]
url = "https://example.com/fans"
headline = "What the fans found"

[[facts]]
id = "fan-fact"
text = "Fans counted every poker chip on the set."
topics = ["fan-lore"]
sources = ["https://example.com/fans"]

[[questions]]
id = "q-fan-fact"
fact = "fan-fact"
prompt = "What did the fans count on the set?"
answer = "Poker chips"
wrong = ["Cards", "Chairs", "Lamps"]
explanation = "They counted every poker chip."
difficulty = "easy"
"""

BROKEN = GOOD.replace('answer = "Poker chips"', 'answer = "Cards"').replace('topics = ["fan-lore"]', "topics = []")


async def upload(fake, world, member, text: str | bytes, filename: str = "fan-pack.toml", guild=None, channel=None):
    data = text.encode() if isinstance(text, str) else text
    channel = channel or world.general
    file = fake.attach(channel, filename, data)
    rec = await fake.invoke(guild or world.guild, channel, member, "pack upload", file=file)
    await rec.final()
    return rec, file


async def run(fake, world, member, command: str, guild=None, channel=None, **options):
    rec = await fake.invoke(guild or world.guild, channel or world.general, member, command, **options)
    await rec.final()
    return rec


async def fact_texts(fake, world, member, count: int, guild=None, channel=None) -> list[str]:
    """The texts of `count` /fact answers (the cooldown allows three per member: several members ask)."""
    texts = []
    guild = guild or world.guild
    askers = [member, *(guild.add_member(f"asker-{n}-{len(guild.members)}") for n in range(count // 3))]
    for n in range(count):
        rec = await fake.invoke(guild, channel or world.general, askers[n // 3], "fact")
        await rec.response()
        texts.append(rec.embeds[0]["description"])
    return texts


async def test_a_good_pack_is_stored_and_plays_in_fact_and_quiz(fake, world, bot) -> None:
    rec, file = await upload(fake, world, world.mod, GOOD)
    assert rec.ephemeral and rec.deferred
    assert rec.content.startswith("Stored the pack `fan-pack` (1 facts, 1 questions)")
    assert file.downloads == 1
    # The topic is offered at once, and /fact topic: draws the new fact.
    auto = await fake.autocomplete(world.guild, world.general, world.mod, "fact", option="topic", value="fan")
    await auto.response()
    assert [c["value"] for c in auto.autocomplete_choices] == ["fan-lore"]
    fact = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert fact.embeds[0]["description"] == "Fans counted every poker chip on the set."
    assert "What the fans found" in embed_text(fact.embeds[0])
    await run(fake, world, world.mod, "quiz start", channel=world.quiz, topic="fan-lore", questions=1)
    question = await fake.wait_for_message(
        world.quiz, lambda m: bool(m.embeds) and "What did the fans count" in embed_text(m.embeds[0])
    )
    assert all(option in embed_text(question.embeds[0]) for option in ("Poker chips", "Cards", "Chairs", "Lamps"))
    fake.assert_no_rejections()


async def test_a_broken_pack_lists_every_problem_and_stores_nothing(fake, world, bot) -> None:
    rec, _ = await upload(fake, world, world.mod, BROKEN)
    assert rec.ephemeral
    assert rec.content.startswith("`fan-pack.toml` was not stored: 2 problems.")
    assert "fact fan-fact: field 'topics'" in rec.content
    assert "question q-fan-fact: field 'wrong': repeats the answer 'Cards'" in rec.content
    assert await bot.repos.packs.pack_infos(world.guild.id) == []
    # Many problems come as a file.
    many = GOOD + "".join(f'\n[[facts]]\nid = "bad-{n}"\ntext = ""\n' for n in range(12))
    rec, _ = await upload(fake, world, world.mod, many)
    assert "Every one of them is in the attached problems.txt" in rec.content
    attachment = rec.original.attachments[0]
    text = fake.sent_file(attachment).decode()
    assert attachment["filename"] == "problems.txt" and text.count("\n") >= 12
    assert "fact bad-11: field 'text': must not be empty" in text
    fake.assert_no_rejections()


async def test_replacing_asks_first_and_listing_exporting_switching_removing(fake, world, bot) -> None:
    await upload(fake, world, world.mod, GOOD)
    newer = GOOD.replace("Fans counted every poker chip on the set.", "Fans counted every chair on the set.")
    rec, _ = await upload(fake, world, world.mod, newer)
    assert "already has the pack `fan-pack`" in rec.content and "Replace it" in rec.content
    assert [b["label"] for b in rec.original.buttons] == ["Replace", "Cancel"]
    assert f"uploaded by <@{world.mod.user.id}>" in rec.content and not rec.original.pings()  # named, never pinged
    await press(fake, rec, world.mod, 1)  # Cancel
    assert rec.original.content == "Cancelled; nothing was changed."
    assert "poker chip" in (await bot.repos.packs.pack(world.guild.id, "fan-pack")).toml
    rec, _ = await upload(fake, world, world.mod, newer)
    await press(fake, rec, world.mod, 0)  # Replace
    assert rec.original.content.startswith("Stored the pack `fan-pack`")
    fact = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert fact.embeds[0]["description"] == "Fans counted every chair on the set."

    listing = await run(fake, world, world.mod, "pack list")
    text = embed_text(listing.embeds[0])
    assert f"`{SHIPPED_PACK}`" in text and "`fan-pack`: Fan pack (1 facts, 1 questions; on) by <@" in text
    assert "256 KiB" in text  # the limits

    exported = await run(fake, world, world.mod, "pack export", pack="fan-pack")
    assert fake.sent_file(exported.original.attachments[0]).decode() == newer
    shipped = await run(fake, world, world.mod, "pack export", pack=SHIPPED_PACK)
    assert fake.sent_file(shipped.original.attachments[0]) == CONTENT.packs[0].path.read_bytes()

    off = await run(fake, world, world.mod, "pack disable", pack="fan-pack")
    assert off.content.startswith("The pack `fan-pack` is off")
    refused = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert "There is no topic called `fan-lore`" in refused.content
    assert "(1 facts, 1 questions; **off**)" in embed_text((await run(fake, world, world.mod, "pack list")).embeds[0])
    await run(fake, world, world.mod, "pack enable", pack="fan-pack")
    assert (await run(fake, world, world.players[1], "fact", topic="fan-lore")).embeds

    rec = await run(fake, world, world.mod, "pack remove", pack="fan-pack")
    await press(fake, rec, world.mod, 0)
    assert rec.original.content.startswith("Removed the pack `fan-pack`")
    assert await bot.repos.packs.pack_infos(world.guild.id) == []
    gone = await run(fake, world, world.players[2], "fact", topic="fan-lore")
    assert "There is no topic called" in gone.content
    fake.assert_no_rejections()


async def fill_packs(bot, guild_id: int, count: int, start: int = 0) -> None:
    """Store `count` packs straight into the database (the upload limit would take an hour)."""
    for n in range(start, start + count):
        await bot.repos.packs.save_pack(guild_id, f"filler-{n:02}", "Filler", TEMPLATE, 2, 3, 1)
    bot.guild_content.changed(guild_id)


async def test_a_replacement_whose_pack_was_removed_meanwhile_is_refused_at_the_cap(fake, world, bot) -> None:
    await fill_packs(bot, world.guild.id, MAX_PACKS - 1)
    await upload(fake, world, world.mod, GOOD)
    rec, _ = await upload(fake, world, world.mod, GOOD.replace("poker chip", "chair"))
    assert "Replace it" in rec.content
    # Meanwhile fan-pack is removed and another pack takes its place: replacing it would be a 21st.
    assert await bot.repos.packs.remove_pack(world.guild.id, "fan-pack")
    await fill_packs(bot, world.guild.id, 1, start=MAX_PACKS)
    click = await press(fake, rec, world.mod, 0)
    assert rec.original.content == TOO_MANY_PACKS  # in place of "Working on it…", not beside it
    assert not click.followups
    assert len(await bot.repos.packs.pack_infos(world.guild.id)) == MAX_PACKS
    fake.assert_no_rejections()


async def test_a_replacement_no_longer_waiting_says_so_in_its_message(fake, world, botctl) -> None:
    await botctl.start()
    await upload(fake, world, world.mod, GOOD)
    rec, _ = await upload(fake, world, world.mod, GOOD.replace("poker chip", "chair"))
    await botctl.restart()  # the waiting upload was in memory only
    click = await press(fake, rec, world.mod, 0)
    assert rec.original.content == NOT_WAITING and not click.followups
    fake.assert_no_rejections()


async def test_about_counts_the_servers_own_content(fake, world, bot) -> None:
    await upload(fake, world, world.mod, GOOD)
    await run(fake, world, world.mod, "pack disable", pack=SHIPPED_PACK)
    here = embed_text((await run(fake, world, world.players[0], "about")).embeds[0])
    mine = await bot.guild_content.for_guild(world.guild.id)
    assert mine.counts.facts == 1 and "1 pack(s), 1 facts" in here and "• Fan pack" in here
    assert CONTENT.packs[0].title not in here  # switched off here
    other = fake.add_guild("Schrute Farms")
    other_general = other.add_text_channel("general")
    member = other.add_member("Dwight")
    await fake.wait_until(lambda: bot.get_guild(other.id) is not None, what="the bot to see the new server")
    there = await fake.invoke(other, other_general, member, "about")
    await there.response()
    there_text = embed_text(there.embeds[0])
    assert f"{CONTENT.counts.facts} facts" in there_text and "Fan pack" not in there_text


async def test_a_shipped_pack_switched_off_leaves_only_the_servers_facts(fake, world, bot) -> None:
    await upload(fake, world, world.mod, GOOD)
    await run(fake, world, world.mod, "pack disable", pack=SHIPPED_PACK)
    assert set(await fact_texts(fake, world, world.mod, 3)) == {"Fans counted every poker chip on the set."}
    rec = await run(fake, world, world.mod, "pack remove", pack=SHIPPED_PACK)
    assert "is a shipped pack: it cannot be removed" in rec.content


async def test_two_servers_never_see_each_others_packs_and_a_restart_keeps_them(fake, world, botctl) -> None:
    other = fake.add_guild("Schrute Farms")
    other_general = other.add_text_channel("general")
    other_mod = other.add_member("Dwight", permissions=["manage_guild"])
    await botctl.start()
    await upload(fake, world, world.mod, GOOD)
    mine = GOOD.replace("fan-pack", "beet-pack").replace("Fans counted every poker chip on the set.", "Beets.")
    # The same fact and question ids in another server are its own business.
    rec, _ = await upload(fake, world, other_mod, mine, guild=other, channel=other_general)
    assert rec.content.startswith("Stored the pack `beet-pack`")
    bot = await botctl.restart()
    here = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert here.embeds[0]["description"] == "Fans counted every poker chip on the set."
    there = await fake.invoke(other, other_general, other_mod, "fact", topic="fan-lore")
    await there.response()
    assert there.embeds[0]["description"] == "Beets."
    listing = await run(fake, world, world.mod, "pack list")
    assert "beet-pack" not in embed_text(listing.embeds[0])
    third = fake.add_guild("Vance Refrigeration")
    third_general = third.add_text_channel("general")
    third_mod = third.add_member("Bob", permissions=["manage_guild"])
    await fake.wait_until(lambda: bot.get_guild(third.id) is not None, what="the bot to see the new server")
    refused = await run(fake, world, third_mod, "quiz start", guild=third, channel=third_general, topic="fan-lore")
    assert "There is no quiz topic called `fan-lore`" in refused.content
    assert [i.pack_id for i in await bot.repos.packs.pack_infos(other.id)] == ["beet-pack"]
    fake.assert_no_rejections()


async def test_new_entries_come_before_repeats(fake, world, bot) -> None:
    shipped = len(CONTENT.fact_ids())
    seen = await fact_texts(fake, world, world.mod, shipped - 1)  # all but one shipped fact drawn
    await upload(fake, world, world.mod, GOOD)
    rest = await fact_texts(fake, world, world.players[1], 2)
    assert "Fans counted every poker chip on the set." in rest  # new, so before any repeat
    assert not set(rest) & set(seen)


SECOND_QUESTION = """
[[questions]]
id = "q-fan-fact-2"
fact = "fan-fact"
prompt = "Who counted the poker chips on the set?"
answer = "The fans"
wrong = ["The crew", "The cast", "Nobody"]
explanation = "The fans did."
difficulty = "easy"
"""


async def round_prompts(fake, world, topic: str, questions: int) -> list[str]:
    """Play a round of `topic` to its end; the prompts it asked, in order."""
    seen = max((m.id for m in fake.messages(world.quiz)), default=0)
    await start_round(fake, world.guild, world.quiz, world.players[0], questions=questions, seconds=5, topic=topic)
    await fake.wait_for_message(world.quiz, lambda m: m.id > seen and is_standings(m), timeout=10)
    embeds = [m.embeds[0] for m in fake.messages(world.quiz) if m.id > seen and m.embeds]
    return [e["description"].split("\n")[0] for e in embeds if e.get("title", "").startswith("Question")]


async def test_new_questions_on_a_played_topic_come_before_repeats(fake, world, bot) -> None:
    topic = "marriages"
    shipped = CONTENT.question_ids(topic)
    played = await round_prompts(fake, world, topic, len(shipped))  # every shipped question asked
    assert len(played) == len(shipped)
    on_topic = GOOD.replace('topics = ["fan-lore"]', f'topics = ["{topic}"]') + SECOND_QUESTION
    await upload(fake, world, world.mod, on_topic)
    new = await round_prompts(fake, world, topic, 2)
    assert sorted(new) == sorted(["What did the fans count on the set?", "Who counted the poker chips on the set?"])
    assert (await bot.repos.rounds.asked(world.guild.id, topic)) >= {"q-fan-fact", "q-fan-fact-2", *shipped}
    fake.assert_no_rejections()


async def test_hide_and_unhide_a_shipped_fact_and_a_server_question(fake, world, bot) -> None:
    await upload(fake, world, world.mod, GOOD)
    rec = await run(fake, world, world.mod, "pack hide", entry="fan-fact")
    assert rec.content.startswith("Hid the fact `fan-fact`")
    assert "`q-fan-fact`" in rec.content  # its question is an entry of its own
    gone = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert "There is no topic called `fan-lore`" in gone.content
    await run(fake, world, world.mod, "pack hide", entry=SHIPPED_FACT.id)
    drawn = await fact_texts(fake, world, world.mod, len(CONTENT.fact_ids()) - 1)
    assert SHIPPED_FACT.text not in drawn
    again = await run(fake, world, world.mod, "pack hide", entry=SHIPPED_FACT.id)
    assert "is already hidden" in again.content
    back = await run(fake, world, world.mod, "pack unhide", entry="fan-fact")
    assert back.content == "The fact `fan-fact` can come up again in this server."
    assert (await run(fake, world, world.players[4], "fact", topic="fan-lore")).embeds
    unknown = await run(fake, world, world.mod, "pack hide", entry="no-such-thing")
    assert unknown.content.startswith("No fact or question here has the id `no-such-thing`")
    await run(fake, world, world.mod, "pack hide", entry="q-fan-fact")
    refused = await run(fake, world, world.mod, "quiz start", channel=world.quiz, topic="fan-lore")
    assert "There is no quiz topic called `fan-lore`" in refused.content
    fake.assert_no_rejections()


@pytest.mark.parametrize(
    ("command", "option", "value", "answer"),
    [
        ("pack disable", "pack", SHIPPED_PACK, f"The pack `{SHIPPED_PACK}` is off"),
        ("pack enable", "pack", SHIPPED_PACK, f"The pack `{SHIPPED_PACK}` is already on here."),
        ("pack disable", "pack", "no-such-pack", "There is no pack `no-such-pack` here."),
        ("pack hide", "entry", SHIPPED_FACT.id, f"Hid the fact `{SHIPPED_FACT.id}`"),
        ("pack unhide", "entry", SHIPPED_FACT.id, f"The fact `{SHIPPED_FACT.id}` is not hidden here."),
        ("pack hide", "entry", "no`such", "No fact or question here has the id `no'such`"),
    ],
)
async def test_switching_and_hiding_acknowledge_first_and_answer_in_that_message(
    fake, world, bot, command, option, value, answer
) -> None:
    rec = await run(fake, world, world.mod, command, **{option: value})
    assert rec.deferred and rec.ephemeral  # acknowledged before the view is built and written
    assert rec.content.startswith(answer)
    assert len(rec.messages) == 1  # the answer, errors too, fills in the "thinking" message
    fake.assert_no_rejections()


async def test_a_file_over_the_limit_is_refused_before_it_is_downloaded(fake, world, bot) -> None:
    rec, file = await upload(fake, world, world.mod, "#" * (MAX_PACK_BYTES + 512))
    assert rec.ephemeral
    assert rec.content == "That file is 256.5 KiB; a pack is at most 256 KiB."
    assert file.downloads == 0
    rec, file = await upload(fake, world, world.mod, GOOD, filename="fan-pack.txt")
    assert "A pack is a .toml file" in rec.content and file.downloads == 0
    assert await bot.repos.packs.pack_infos(world.guild.id) == []


async def test_uploads_are_rate_limited_per_server(fake, world, bot) -> None:
    for _ in range(UPLOADS_PER_WINDOW):
        await upload(fake, world, world.mod, BROKEN)
    rec, file = await upload(fake, world, world.mod, GOOD)
    assert f"This server has uploaded {UPLOADS_PER_WINDOW} packs in the last 10 minutes" in rec.content
    assert file.downloads == 0
    # Another server uploads as usual.
    other = fake.add_guild("Schrute Farms")
    other_general = other.add_text_channel("general")
    other_mod = other.add_member("Dwight", permissions=["manage_guild"])
    await fake.wait_until(lambda: bot.get_guild(other.id) is not None, what="the bot to see the new server")
    rec, _ = await upload(fake, world, other_mod, GOOD, guild=other, channel=other_general)
    assert rec.content.startswith("Stored the pack `fan-pack`")


async def test_a_failed_download_does_not_cost_an_upload(fake, world, bot) -> None:
    for _ in range(UPLOADS_PER_WINDOW + 1):
        file = fake.attach(world.general, "fan-pack.toml", GOOD.encode())
        del fake.cdn.files[file.id]  # gone from the CDN: it answers 404
        rec = await run(fake, world, world.mod, "pack upload", file=file)
        assert rec.content == "I couldn't download that file (Discord's CDN answered 404); attach it again."
    rec, _ = await upload(fake, world, world.mod, GOOD)
    assert rec.content.startswith("Stored the pack `fan-pack`")
    fake.assert_no_rejections()


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("pack list", {}),
        ("pack template", {}),
        ("pack disable", {"pack": SHIPPED_PACK}),
        ("pack hide", {"entry": SHIPPED_FACT.id}),
    ],
)
async def test_a_member_without_manage_server_is_refused(fake, world, bot, command, options) -> None:
    member = world.players[0]
    with pytest.raises(CommandNotAvailable):
        await fake.invoke(world.guild, world.general, member, command, **options)
    fake.grant_command(world.guild, "pack", member)  # an admin overrode the default permission
    rec = await run(fake, world, member, command, **options)
    assert rec.ephemeral and "You need **Manage Server**" in rec.content
    assert (await bot.repos.packs.guild_state(world.guild.id)).is_default


async def test_a_member_granted_upload_is_refused_without_downloading(fake, world, bot) -> None:
    member = world.players[0]
    fake.grant_command(world.guild, "pack", member)
    rec, file = await upload(fake, world, member, GOOD)
    assert "You need **Manage Server**" in rec.content and file.downloads == 0


async def test_the_template_validates_and_uploads(fake, world, bot) -> None:
    rec = await run(fake, world, world.mod, "pack template")
    attachment = rec.original.attachments[0]
    assert attachment["filename"] == "my-pack.toml"
    text = fake.sent_file(attachment)
    assert text.decode() == TEMPLATE
    stored, _ = await upload(fake, world, world.mod, text, filename="my-pack.toml")
    assert stored.content.startswith("Stored the pack `my-pack` (2 facts, 3 questions)")
