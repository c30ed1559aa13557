"""Reports end to end: the Report button under facts and reveals, its form, and /pack reports."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from bot.content import ContentStore
from bot.reports import NOTE_MAX
from tests.e2e.conftest import CONTENT, embed_text
from tests.e2e.quizkit import is_closed, is_question, question_of, start_round
from tests.e2e.test_packs import GOOD, run, upload
from tests.fakediscord.harness import eventually
from tests.fakediscord.interactions import CommandNotAvailable, InvocationError

FACT_TEXTS = {fact.text: fact for fact in CONTENT.facts}


async def serve_fact(fake, guild, channel, member):
    rec = await fake.invoke(guild, channel, member, "fact")
    await rec.response()
    return rec, FACT_TEXTS[rec.embeds[0]["description"]]


def report_button(message) -> dict:
    (button,) = [b for b in message.buttons if b["custom_id"].startswith("report:")]
    return button


async def open_form(fake, message, member):
    rec = await fake.click(message, report_button(message)["custom_id"], member)
    await rec.response()
    assert rec.ack_latency < 3.0
    return rec


async def report(fake, message, member, reason="wrong", note="", **submit) -> str:
    """Press Report under `message`, fill in the form, send it; return the bot's private answer."""
    opened = await open_form(fake, message, member)
    assert opened.modal is not None, opened.content
    reasons = reason if isinstance(reason, list) else [reason]
    submitted = await fake.submit_modal(opened, {"reason": reasons, "note": note}, member, **submit)
    await submitted.response()
    assert submitted.ephemeral and submitted.ack_latency < 3.0
    return submitted.content


async def stored(bot) -> list[tuple]:
    rows = await bot.db.fetch_all(
        "SELECT guild_id, entry_kind, entry_id, pack_id, reporter_id, reason, note, created_at FROM entry_reports "
        "ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def list_reports(fake, guild, channel, member):
    rec = await fake.invoke(guild, channel, member, "pack reports")
    await rec.response()
    return rec


async def test_a_fact_is_reported_through_its_form(fake, world, bot, botctl) -> None:
    jim = world.players[0]
    rec, fact = await serve_fact(fake, world.guild, world.general, jim)
    assert [b["label"] for b in rec.original.buttons] == ["Another fact", "Report"]
    opened = await open_form(fake, rec.original, jim)
    form = opened.modal
    assert form["title"] == "Report this fact" and form["custom_id"] == f"report:fact:{fact.id}:send"
    assert fact.text[:50] in form["components"][0]["content"]  # the player sees what they report
    select = form["components"][1]["component"]
    assert [o["value"] for o in select["options"]] == ["wrong", "unclear", "offensive", "other"]
    assert form["components"][2]["component"]["max_length"] == NOTE_MAX
    with pytest.raises(InvocationError, match="takes 1-1 values"):  # the client insists on a reason
        await fake.submit_modal(opened, {"reason": []}, jim)
    sent = await fake.submit_modal(opened, {"reason": ["wrong"], "note": "  It was filmed\nlast. "}, jim)
    await sent.response()
    assert sent.ephemeral and sent.content.startswith("Thanks: your report of this fact (**wrong**)")
    assert await stored(bot) == [
        (world.guild.id, "fact", fact.id, fact.pack_id, jim.user.id, "wrong", "It was filmed last.",
         botctl.wall_clock().timestamp()),
    ]
    # Reporting it again changes the player's report rather than adding one.
    again = await report(fake, rec.original, jim, "unclear")
    assert again.startswith("Updated: your report of this fact now says **unclear**")
    assert [(r[4], r[5], r[6]) for r in await stored(bot)] == [(jim.user.id, "unclear", None)]
    assert not any(m.pings() for m in fake.messages(world.general))
    # Reports are a server's: a fact in a direct message has no Report button.
    direct = await fake.invoke(None, None, jim, "fact")
    await direct.response()
    assert [b["label"] for b in direct.original.buttons] == ["Another fact"]
    fake.assert_no_rejections()


async def test_a_question_is_reported_from_its_reveal(fake, world, bot) -> None:
    jim, pam = world.players[:2]
    await start_round(fake, world.guild, world.quiz, jim, questions=1, seconds=5)
    message = await fake.wait_for_message(world.quiz, lambda m: is_question(m, 1))
    question = question_of(message)
    assert not [b for b in message.buttons if b["custom_id"].startswith("report:")]  # not while it is open
    await fake.wait_for_message(world.quiz, lambda m: m.id == message.id and is_closed(m), timeout=5)
    rows = message.components
    assert len(rows) == 2 and [b["label"] for b in rows[1]["components"]] == ["Report"]
    assert not report_button(message).get("disabled")
    answer = await report(fake, message, pam, "unclear", "Two options could be right")
    assert answer.startswith("Thanks: your report of this question (**unclear**)")
    [row] = await stored(bot)
    assert row[1:7] == ("question", question.id, question.pack_id, pam.user.id, "unclear",
                        "Two options could be right")
    fake.assert_no_rejections()


async def test_a_bad_reason_or_a_note_too_long_gets_a_clear_answer(fake, world, bot) -> None:
    jim = world.players[0]
    rec, _ = await serve_fact(fake, world.guild, world.general, jim)
    # What a stale or hostile client can send; the form itself offers only the four reasons.
    assert "`boring` is not a reason I know" in await report(fake, rec.original, jim, "boring", unchecked=True)
    assert "Pick exactly one reason" in await report(fake, rec.original, jim, ["wrong", "other"], unchecked=True)
    opened = await open_form(fake, rec.original, jim)
    with pytest.raises(InvocationError, match=f"takes 0-{NOTE_MAX} characters"):
        await fake.submit_modal(opened, {"reason": ["wrong"], "note": "x" * (NOTE_MAX + 1)}, jim)
    too_long = await report(fake, rec.original, jim, "wrong", "x" * (NOTE_MAX + 1), unchecked=True)
    assert too_long == f"Your note is {NOTE_MAX + 1} characters long; keep it to {NOTE_MAX} or fewer."
    assert await stored(bot) == []
    fake.assert_no_rejections()


async def test_a_flood_of_reports_is_refused(fake, world, bot) -> None:
    jim = world.players[0]
    bot.get_cog("Facts").cooldown.rate = 10_000
    served = [await serve_fact(fake, world.guild, world.general, jim) for _ in range(6)]
    for rec, _ in served[:5]:
        assert (await report(fake, rec.original, jim)).startswith("Thanks")
    assert "That's a lot of reports at once" in await report(fake, served[5][0].original, jim)
    assert len(await stored(bot)) == 5


async def test_an_entry_no_longer_loaded_cannot_be_reported(fake, world, botctl) -> None:
    await botctl.start()
    rec, fact = await serve_fact(fake, world.guild, world.general, world.players[0])
    # The pack loses the fact (a host edited it) and the bot restarts: the old button remains.
    packs = [
        dataclasses.replace(pack, facts=tuple(f for f in pack.facts if f.id != fact.id),
                            questions=tuple(q for q in pack.questions if q.fact_id != fact.id))
        for pack in CONTENT.packs
    ]
    botctl.content = ContentStore(packs)
    await botctl.restart()
    refused = await fake.click(rec.original, report_button(rec.original)["custom_id"], world.players[1])
    await refused.response()
    assert refused.ephemeral
    assert refused.content == "This fact is no longer in my content, so there is nothing to report."
    fake.assert_no_rejections()


async def test_moderators_list_reports_newest_first_and_dismiss_them(fake, world, bot, botctl) -> None:
    jim, pam, dwight = world.players[:3]
    first, fact_a = await serve_fact(fake, world.guild, world.general, jim)
    second, fact_b = await serve_fact(fake, world.guild, world.general, pam)
    await report(fake, first.original, jim, "wrong", "Check the 2006 interview")
    botctl.wall_clock.advance(timedelta(minutes=3))
    await report(fake, first.original, pam, "offensive")
    botctl.wall_clock.advance(timedelta(minutes=3))
    await report(fake, second.original, dwight, "other")
    listing = await list_reports(fake, world.guild, world.general, world.mod)
    assert listing.ephemeral
    embed = listing.embeds[0]
    names = [field["name"] for field in embed["fields"]]
    assert names == [f"Fact `{fact_b.id}` · pack `{fact_b.pack_id}`", f"Fact `{fact_a.id}` · pack `{fact_a.pack_id}`"]
    text = embed_text(embed)
    assert "**2 reports**: 1 wrong, 1 offensive" in text and "“Check the 2006 interview”" in text
    assert "Below: hide an entry here, or dismiss its reports." in text and fact_a.text[:40] in text
    select, _hide = [c for row in listing.original.components for c in row["components"] if c["type"] == 3]
    assert [o["value"] for o in select["options"]] == [f"fact:{fact_b.id}", f"fact:{fact_a.id}"]
    dismissed = await fake.select(listing.original, select["custom_id"], world.mod, [f"fact:{fact_a.id}"])
    await dismissed.response()
    after = embed_text(listing.original.embeds[0])
    assert f"Dismissed 2 reports of fact `{fact_a.id}`." in after and f"`{fact_a.id}`" not in after.split("\n\n", 1)[1]
    assert [f["name"] for f in listing.original.embeds[0]["fields"]] == names[:1]
    # Dismissed, the entry may be reported again.
    assert (await report(fake, first.original, jim, "wrong")).startswith("Thanks")
    fake.assert_no_rejections()


async def test_the_list_pages_within_discords_limits(fake, world, bot) -> None:
    bot.get_cog("Facts").cooldown.rate = 10_000
    reporters = world.players[:3]
    for index in range(12):
        rec, _ = await serve_fact(fake, world.guild, world.general, reporters[index % 3])
        await report(fake, rec.original, reporters[index % 3])
    listing = await list_reports(fake, world.guild, world.general, world.mod)
    assert len(listing.embeds[0]["fields"]) == 5 and listing.embeds[0]["footer"]["text"] == "Page 1 of 3"
    page = await fake.click(listing.original, "reports:1:next", world.mod)
    await page.response()
    assert listing.original.embeds[0]["footer"]["text"] == "Page 2 of 3"
    world.mod.roles.clear()  # no longer a moderator: the buttons of the old list stop working for them
    refused = await fake.click(listing.original, "reports:0:prev", world.mod)
    await refused.response()
    assert refused.ephemeral and refused.content == "You need **Manage Server** to use this."
    assert listing.original.embeds[0]["footer"]["text"] == "Page 2 of 3"
    fake.assert_no_rejections()


async def test_the_list_is_for_moderators_only(fake, world, bot) -> None:
    jim = world.players[0]
    with pytest.raises(CommandNotAvailable):  # Discord hides it from members without Manage Server
        await list_reports(fake, world.guild, world.general, jim)
    fake.grant_command(world.guild, "pack", jim)  # an admin overrode the default permission
    refused = await list_reports(fake, world.guild, world.general, jim)
    assert refused.ephemeral and refused.content == "You need **Manage Server** to use this."
    fake.assert_no_rejections()


async def test_two_servers_never_see_each_others_reports_and_a_restart_keeps_them(fake, world, botctl) -> None:
    other = fake.add_guild("Schrute Farms")
    other_channel = other.add_text_channel("general")
    other_mod = other.add_member("Mose", permissions=["manage_guild"])
    await botctl.start()
    rec, fact = await serve_fact(fake, world.guild, world.general, world.players[0])
    await report(fake, rec.original, world.players[0], "wrong")
    empty = await list_reports(fake, other, other_channel, other_mod)
    assert not empty.embeds[0].get("fields") and "No open reports" in empty.embeds[0]["description"]

    await botctl.restart()
    listing = await list_reports(fake, world.guild, world.general, world.mod)
    assert [f["name"] for f in listing.embeds[0]["fields"]] == [f"Fact `{fact.id}` · pack `{fact.pack_id}`"]
    # The button on the message from before the restart still opens the form.
    assert (await report(fake, rec.original, world.players[1], "unclear")).startswith("Thanks")
    assert "No open reports" in (await list_reports(fake, other, other_channel, other_mod)).embeds[0]["description"]
    fake.assert_no_rejections()


async def test_the_fact_of_the_day_can_be_reported(fake, world, bot) -> None:
    hour = bot.timing.wall_clock().hour  # due at once: the setting wakes the daily check
    await (await fake.invoke(world.guild, world.general, world.mod, "config daily-fact", channel=world.quiz,
                             hour=hour)).final()
    posted = await fake.wait_for_message(
        world.quiz, lambda m: m.embeds and m.embeds[0]["title"] == "Fact of the day", timeout=5
    )
    fact = FACT_TEXTS[posted.embeds[0]["description"]]
    assert (await report(fake, posted, world.players[0], "other", "Which season?")).startswith("Thanks")
    assert [(r[1], r[2]) for r in await stored(bot)] == [("fact", fact.id)]
    fake.assert_no_rejections()


async def test_a_server_packs_fact_is_reported_in_its_server(fake, world, bot) -> None:
    stored_reply, _ = await upload(fake, world, world.mod, GOOD)
    assert stored_reply.content.startswith("Stored the pack `fan-pack`")
    rec = await run(fake, world, world.players[0], "fact", topic="fan-lore")
    assert "poker chip" in rec.embeds[0]["description"]
    answer = await report(fake, rec.original, world.players[1], reason="unclear", note="which chips?")
    assert answer.startswith("Thanks: your report of this fact (**unclear**)")
    (row,) = await stored(bot)
    assert row[:6] == (world.guild.id, "fact", "fan-fact", "fan-pack", world.players[1].id, "unclear")
    listed = await list_reports(fake, world.guild, world.general, world.mod)
    text = embed_text(listed.embeds[0])
    assert "fan-fact" in text and "fan-pack" in text and "poker chip" in text


async def test_a_moderator_hides_a_reported_entry_from_the_list_and_shows_it_again(fake, world, bot) -> None:
    bot.get_cog("Facts").cooldown.rate = 10_000
    jim = world.players[0]
    rec, fact = await serve_fact(fake, world.guild, world.general, jim)
    await report(fake, rec.original, jim, "wrong")
    listing = await list_reports(fake, world.guild, world.general, world.mod)
    hide_select = next(c for row in listing.original.components for c in row["components"]
                       if c["type"] == 3 and c["custom_id"].startswith("reports:hide:"))
    assert [o["value"] for o in hide_select["options"]] == [f"hide:fact:{fact.id}"]
    hid = await fake.select(listing.original, hide_select["custom_id"], world.mod, [f"hide:fact:{fact.id}"])
    await hid.response()
    embed = listing.original.embeds[0]
    assert f"Hid fact `{fact.id}` in this server" in embed_text(embed)
    assert embed["fields"][0]["name"].endswith("· hidden here"), "its reports stay open, marked"
    # At once: the whole deck comes round and the hidden fact is never in it, in this server.
    shown = {(await serve_fact(fake, world.guild, world.general, jim))[1].id for _ in range(len(CONTENT.facts))}
    assert fact.id not in shown
    other = fake.add_guild("Scranton Branch")
    elsewhere = other.add_text_channel("general")
    await eventually(lambda: bot.get_guild(other.id) is not None, what="the second server")
    member = other.add_member("Stanley")
    seen = {(await serve_fact(fake, other, elsewhere, member))[1].id for _ in range(len(CONTENT.facts))}
    assert fact.id in seen, "another server still sees it"
    # And back: the option now offers to show it again.
    option = next(c for row in listing.original.components for c in row["components"]
                  if c["type"] == 3 and c["custom_id"].startswith("reports:hide:"))["options"][0]
    assert option["value"] == f"show:fact:{fact.id}"
    shown_again = await fake.select(listing.original, hide_select["custom_id"], world.mod, [option["value"]])
    await shown_again.response()
    assert "comes up again in this server" in embed_text(listing.original.embeds[0])
    assert (world.guild.id, "fact", fact.id) not in {
        (r["guild_id"], r["kind"], r["entry_id"]) for r in await bot.db.fetch_all("SELECT * FROM hidden_entries")
    }
    fake.assert_no_rejections()
