"""Interactions end to end: slash commands, options, deferrals, followups, views, selects, autocomplete,
modals and DMs, against an unmodified discord.py bot."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from .fake import FakeDiscord
from .harness import running
from .interactions import CommandNotAvailable, InvocationError
from .messages import FLAG_EPHEMERAL

TOPICS = ["filming", "film-crew", "casting", "script"]


class CounterButton(discord.ui.DynamicItem[discord.ui.Button], template=r"counter:(?P<count>\d+)"):
    """A stateless button: its count lives in the custom_id."""

    def __init__(self, count: int) -> None:
        super().__init__(discord.ui.Button(label=f"Count {count}", custom_id=f"counter:{count}"))
        self.count = count

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: Any) -> CounterButton:
        return cls(int(match["count"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None).add_item(CounterButton(self.count + 1))
        await interaction.response.edit_message(content=f"Count {self.count + 1}", view=view)


class ChoiceView(discord.ui.View):
    """Two buttons; a click replaces the message (UPDATE_MESSAGE)."""

    @discord.ui.button(label="Yes", custom_id="menu:yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content=f"{interaction.user.display_name} chose yes", view=None)

    @discord.ui.button(label="No", custom_id="menu:no")
    async def no(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("no it is", ephemeral=True)

    @discord.ui.select(custom_id="menu:topic", options=[discord.SelectOption(label=t, value=t) for t in TOPICS],
                       max_values=2)
    async def topic(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"picked {', '.join(select.values)}", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text", max_length=200)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.text.value}", ephemeral=True)


class RatingModal(discord.ui.Modal, title="Rate it"):
    score: discord.ui.Label[RatingModal] = discord.ui.Label(
        text="Score",
        component=discord.ui.Select(custom_id="rating:score", required=True, options=[
            discord.SelectOption(label=label, value=label.lower()) for label in ("Good", "Bad")]),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        select = self.score.component
        assert isinstance(select, discord.ui.Select)
        await interaction.response.send_message(f"Rated {select.values}", ephemeral=True)


@pytest.fixture
def bot(make_bot) -> discord.Client:
    """A bot with a representative command tree."""
    bot = make_bot()
    bot.seen = {}  # type: ignore[attr-defined]
    quiz = app_commands.Group(name="quiz", description="Play the quiz")
    admin = app_commands.Group(name="admin", description="Quiz admin", parent=quiz)

    @quiz.command(description="Start a round")
    @app_commands.describe(questions="How many questions", topic="Which topic")
    async def start(interaction: discord.Interaction, questions: app_commands.Range[int, 1, 10], topic: str) -> None:
        bot.seen["start"] = (questions, topic, interaction.user.id, interaction.guild_id)
        await interaction.response.send_message(f"Starting {questions} questions on {topic}", ephemeral=True)

    @start.autocomplete("topic")
    async def topic_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t.title(), value=t) for t in TOPICS if t.startswith(current)]

    @admin.command(description="Reset every score")
    async def reset(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("scores reset")

    @app_commands.command(description="Who is this")
    async def whois(interaction: discord.Interaction, user: discord.Member, where: discord.TextChannel) -> None:
        bot.seen["whois"] = (user, where)
        await interaction.response.send_message(f"{user.display_name} in {where.name}")

    @app_commands.command(description="Takes a while")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("first", wait=True)
        await interaction.followup.send("second")
        await interaction.edit_original_response(content="first (edited)",
                                                 allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(description="Shows a menu")
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick one", view=ChoiceView())

    @app_commands.command(description="Leave feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @app_commands.command(description="Rate the bot")
    async def rate(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RatingModal())

    @app_commands.command(description="Server settings")
    @app_commands.default_permissions(manage_guild=True)
    async def settings(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("settings")

    @app_commands.command(description="Say hello")
    async def hello(interaction: discord.Interaction) -> None:
        bot.seen["hello"] = (interaction.guild, interaction.context.dm_channel, type(interaction.user))
        await interaction.response.send_message(f"hello {interaction.user.name}")

    @app_commands.command(description="Announce in the channel")
    async def announce(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("posting", ephemeral=True)
        embed = discord.Embed(title="Quiz night", description="Starts soon")
        await interaction.channel.send(f"{interaction.user.mention} is hosting", embed=embed,
                                       allowed_mentions=discord.AllowedMentions(users=[interaction.user]))

    for command in (quiz, whois, slow, menu, feedback, rate, settings, hello, announce):
        bot.tree.add_command(command)
    bot.add_dynamic_items(CounterButton)
    return bot


async def test_slash_command_reaches_the_callback_and_the_reply_is_captured(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), alice, "quiz start", questions=3, topic="filming")
        response = await record.response()
    assert bot.seen["start"] == (3, "filming", alice.id, guild.id)
    assert response.type == 4
    assert record.ephemeral and record.content == "Starting 3 questions on filming"
    assert record.original is not None and record.original.flags & FLAG_EPHEMERAL
    assert 0 <= record.ack_latency < 1
    payload = record.payload
    assert payload["data"]["options"][0] == {"name": "start", "type": 1, "options": [
        {"name": "questions", "type": 4, "value": 3}, {"name": "topic", "type": 3, "value": "filming"}]}
    assert payload["member"]["permissions"] and payload["app_permissions"] and payload["context"] == 0
    assert fake.rejections == []


async def test_user_and_channel_options_arrive_resolved(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    bob = guild.add_member("bob", nick="Bobby")
    quiz_channel = guild.add_text_channel("quiz")
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "whois",
                                   user=bob, where=quiz_channel)
        await record.response()
    user, where = bot.seen["whois"]
    assert isinstance(user, discord.Member) and user.id == bob.id and user.display_name == "Bobby"
    assert where.id == quiz_channel.id
    assert record.content == "Bobby in quiz"


async def test_deferred_response_followups_and_edits(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "slow")
        await record.response()
        await record.wait_for_followup(lambda m: m.content == "second")
        await record.wait_until(lambda r: r.original.content == "first (edited)")
    assert record.deferred and record.initial.type == 5
    original = record.original
    # The first followup after a "thinking" deferral fills in the deferred message itself.
    assert record.followups[0] is original
    assert [state.content for state in original.history] == ["", "first"]
    assert original.allowed_mentions == {"parse": []}
    assert not original.loading
    assert [m.content for m in record.messages] == ["first (edited)", "second"]
    assert [m.content for m in fake.messages(guild.channel("general"))] == ["first (edited)", "second"]


async def test_button_click_reaches_the_view_and_updates_the_message(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        menu = await fake.invoke(guild, guild.channel("general"), alice, "menu")
        await menu.response()
        message = menu.original
        assert [b["label"] for b in message.buttons] == ["Yes", "No"]
        click = await fake.click(message, "menu:yes", alice)
        response = await click.response()
    assert response.type == 7  # UPDATE_MESSAGE
    assert click.payload["message"]["id"] == str(message.id)
    assert message.content == "alice chose yes" and message.components == []
    assert message.history[0].content == "Pick one"
    assert fake.rejections == []


async def test_select_menu_values_reach_the_view(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        menu = await fake.invoke(guild, guild.channel("general"), alice, "menu")
        await menu.response()
        pick = await fake.select(menu.original, "menu:topic", alice, ["casting", "script"])
        await pick.response()
        with pytest.raises(InvocationError):
            await fake.select(menu.original, "menu:topic", alice, ["not-offered"])
    assert pick.content == "picked casting, script" and pick.ephemeral


async def test_dynamic_item_button_on_a_channel_message(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    general = guild.channel("general")
    async with running(bot, fake):
        channel = bot.get_channel(general.id)
        await channel.send("Count 0", view=discord.ui.View(timeout=None).add_item(CounterButton(0)))
        message = await fake.wait_for_message(general, lambda m: m.content == "Count 0")
        click = await fake.click(message, "counter:0", guild.member_named("alice"))
        await click.response()
        second = await fake.click(message, "counter:1", guild.member_named("alice"))
        await second.response()
    assert message.content == "Count 2" and message.custom_ids == ["counter:2"]


async def test_autocomplete_round_trip(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.autocomplete(guild, guild.channel("general"), guild.member_named("alice"), "quiz start",
                                         option="topic", value="fil", questions=2)
        response = await record.response()
    assert response.type == 8
    assert record.autocomplete_choices == [{"name": "Filming", "value": "filming"},
                                           {"name": "Film-Crew", "value": "film-crew"}]
    focused = record.payload["data"]["options"][0]["options"]
    assert {"name": "topic", "type": 3, "value": "fil", "focused": True} in focused


async def test_modal_round_trip(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        opened = await fake.invoke(guild, guild.channel("general"), alice, "feedback")
        await opened.response()
        assert opened.modal is not None and opened.modal["title"] == "Feedback"
        submitted = await fake.submit_modal(opened, {"feedback:text": "great quiz"})
        await submitted.response()
    assert submitted.content == "Thanks: great quiz"


async def test_a_modal_select_is_submitted_with_the_values_picked(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        opened = await fake.invoke(guild, guild.channel("general"), alice, "rate")
        await opened.response()
        # The client checks the select before it sends: required, and only the options offered.
        with pytest.raises(InvocationError, match="takes 1-1 values, got 0"):
            await fake.submit_modal(opened, {"rating:score": []})
        with pytest.raises(InvocationError, match="offers"):
            await fake.submit_modal(opened, {"rating:score": ["great"]})
        with pytest.raises(InvocationError, match="list of values"):
            await fake.submit_modal(opened, {"rating:score": "good"})
        submitted = await fake.submit_modal(opened, {"rating:score": ["good"]})
        await submitted.response()
        assert submitted.content == "Rated ['good']"
        label = submitted.payload["data"]["components"][0]
        assert label["type"] == 18 and label["component"] == {
            "type": 3, "id": 0, "custom_id": "rating:score", "values": ["good"]}
        # A stale or hostile client sends what it likes: the bot sees it as sent.
        again = await fake.invoke(guild, guild.channel("general"), alice, "rate")
        await again.response()
        hostile = await fake.submit_modal(again, {"rating:score": ["great", "x"]}, unchecked=True)
        await hostile.response()
        assert hostile.content == "Rated ['great', 'x']"


async def test_command_in_a_dm(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    async with running(bot, fake):
        await bot.tree.sync()
        record = await fake.invoke(None, None, alice, "hello")
        await record.response()
    in_guild, in_dm, user_type = bot.seen["hello"]
    assert in_guild is None and in_dm and user_type is discord.User
    assert record.payload["context"] == 1 and "user" in record.payload and "member" not in record.payload
    assert record.original.channel is fake.dm_channel(alice)


async def test_default_member_permissions_hide_commands(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    async with running(bot, fake):
        await bot.tree.sync()
        with pytest.raises(CommandNotAvailable):
            await fake.invoke(guild, guild.channel("general"), guild.member_named("alice"), "settings")
        owner = await fake.invoke(guild, guild.channel("general"), guild.owner, "settings")
        await owner.response()
        with pytest.raises(CommandNotAvailable):
            await fake.invoke(guild, guild.channel("general"), guild.owner, "nope")
        with pytest.raises(InvocationError):
            await fake.invoke(guild, guild.channel("general"), guild.owner, "quiz start", questions=11, topic="x")


async def test_channel_message_with_embed_and_allowed_mentions(fake: FakeDiscord, bot) -> None:
    guild = fake.guilds[0]
    alice = guild.member_named("alice")
    general = guild.channel("general")
    async with running(bot, fake):
        await bot.tree.sync()
        await fake.invoke(guild, general, alice, "announce")
        message = await fake.wait_for_message(general, lambda m: not m.ephemeral)
    assert message.content == f"{alice.mention} is hosting"
    assert message.embeds[0]["title"] == "Quiz night"
    assert message.allowed_mentions == {"users": [alice.id], "replied_user": True, "parse": ["everyone", "roles"]}
    assert message.pings().users == {alice.id} and not message.pings().everyone
    assert fake.rejections == []
