"""/quiz start and /quiz stop, the answer clicks, and the registry of running rounds."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.budget import Priority
from bot.content import ContentStore
from bot.errors import UserError, guild_of, report_error, send_ephemeral
from bot.permissions import missing_channel_permissions, missing_message
from bot.quiz import (
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
    AnswerOutcome,
    AnswerStatus,
    Difficulty,
    PoolTooSmall,
    Round,
    RoundStatus,
    StopReason,
    check_pool,
    plan_round,
)
from bot.quiz.lag import ClickLag
from bot.storage import Conflict
from bot.storage.rounds import RoundRecord
from bot.topics import resolve_topic
from bot.ui.facts import topic_choices
from bot.ui.limits import player_name, typed_text
from bot.ui.quiz import option_label, pool_too_small_message, round_announcement
from bot.waiting import wait_for_event
from cogs.quiz.buttons import guess_modal, parse_answer_id, parse_typed_id, submitted_guess
from cogs.quiz.runner import RoundRunner

if TYPE_CHECKING:
    from bot.client import QuizBot

log = logging.getLogger(__name__)

SHUTDOWN_BEFORE_START = "The bot is shutting down, so this round could not start. Try again in a minute."
INTERRUPTED_NOTE = "The bot restarted, so this round was interrupted. Points earned before that are kept."

GUESS_BOX_GRACE = 5.0  # wall seconds a text box stays usable past the deadline (to be told it closed)

ANSWER_REPLIES = {
    AnswerStatus.CLOSED: "This question is closed.",
    AnswerStatus.INVALID_OPTION: "That option is not part of this question.",
}


@dataclass(frozen=True, slots=True)
class RoundOptions:
    """What /quiz start asked for, with the server's defaults filled in."""

    count: int
    seconds: int
    topic: str | None
    difficulty: Difficulty
    typed: bool
    idle_stop_after: int


@app_commands.guild_only()
class Quiz(commands.GroupCog, group_name="quiz"):
    """Timed multiple-choice rounds with buttons."""

    def __init__(self, bot: QuizBot) -> None:
        self.bot = bot
        self.repo = bot.repos.rounds
        self.runners: dict[int, RoundRunner] = {}  # by channel id
        self._starting: set[int] = set()  # channels between the start check and the runner
        self._no_start_pending = asyncio.Event()
        self._no_start_pending.set()
        self.rng = random.Random()
        self.click_lag = ClickLag(bot.timing.late_click_grace)  # how late clicks reach the bot, across every round
        self._tidy_task: asyncio.Task[None] | None = None
        self._interrupted: set[int] = set()  # rounds a restart cut off, for clicks on their messages
        self._closing = False
        super().__init__()

    async def cog_load(self) -> None:
        # Registered by hand rather than as a Cog listener, so that it lives exactly as long as
        # the cog: until cog_unload has let the rounds post their closing notices.
        self.bot.add_listener(self.on_answer_click, "on_interaction")
        # Rounds a crash or restart left running cannot continue (their state was in memory):
        # mark them now, before any click can be taken for a live round, and tell the channel.
        interrupted = await self.repo.interrupt_running(self.bot.timing.timestamp(), self.bot.host_config.shards)
        self._interrupted = {record.id for record in interrupted}
        if interrupted:
            log.info("marked %d rounds left running as interrupted", len(interrupted))
            self._tidy_task = asyncio.create_task(self._mark_interrupted_messages(interrupted))

    async def cog_unload(self) -> None:
        self._closing = True
        # A /quiz start still setting up its round finishes first (it sees _closing and ends the
        # round as interrupted), before the database closes under it.
        await wait_for_event(self._no_start_pending, self.bot.timing.shutdown_wait)
        for runner in list(self.runners.values()):
            runner.request_stop(
                StopReason.INTERRUPTED,
                "The bot is shutting down, so this round ends here. Points earned so far are kept.",
            )
        rounds = {r.task: r.round for r in self.runners.values() if r.task is not None}
        if rounds:
            _, pending = await asyncio.wait(rounds, timeout=self.bot.timing.shutdown_wait)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in pending:
                # Still waiting on Discord (a post that is never answered): closed here instead.
                # Points are safe either way: a question's results are written before its reveal.
                await self.repo.finish(rounds[task].round_id, RoundStatus.INTERRUPTED, self.bot.timing.timestamp())
        if self._tidy_task is not None:
            self._tidy_task.cancel()
        self.bot.remove_listener(self.on_answer_click, "on_interaction")

    async def on_answer_click(self, interaction: discord.Interaction) -> None:
        """Take a click on an answer button or a typed answer; every other interaction is someone else's."""
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            return
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        try:
            if interaction.type is discord.InteractionType.component and (answer := parse_answer_id(custom_id)):
                await self.handle_answer(interaction, *answer)
            elif typed := parse_typed_id(custom_id):
                round_id, question_index, step = typed
                if step == "type" and interaction.type is discord.InteractionType.component:
                    await self.open_guess_box(interaction, round_id, question_index)
                elif step == "guess" and interaction.type is discord.InteractionType.modal_submit:
                    await self.handle_guess(interaction, round_id, question_index, submitted_guess(data))
        except Exception as error:
            await report_error(interaction, error)

    @app_commands.command(name="start")
    @app_commands.describe(
        questions=f"How many questions ({MIN_QUESTIONS}-{MAX_QUESTIONS}; default: the server's setting)",
        seconds=f"Seconds to answer each question ({MIN_SECONDS}-{MAX_SECONDS}; default: the server's setting)",
        topic="Only questions about this topic",
        difficulty="Only easy, medium or hard questions (default: mixed)",
        mode="Click one of the options (buttons), or type the answer (typed)",
    )
    async def start(
        self,
        interaction: discord.Interaction[QuizBot],
        questions: app_commands.Range[int, MIN_QUESTIONS, MAX_QUESTIONS] | None = None,
        seconds: app_commands.Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
        topic: str | None = None,
        difficulty: Literal["easy", "medium", "hard", "mixed"] = "mixed",
        mode: Literal["buttons", "typed"] = "buttons",
    ) -> None:
        """Start a quiz round in this channel."""
        guild, channel = guild_of(interaction), interaction.channel
        if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel) or (
            guild.get_channel_or_thread(channel.id) is None
        ):
            # Discord can deliver a command from a channel that was deleted a moment before.
            raise UserError("I can't run a round here: this channel no longer exists.")
        settings = await self.bot.repos.servers.load(guild.id)
        # Options were checked against their ranges before the command ran, stored defaults when read.
        count = questions if questions is not None else settings.quiz_questions
        secs = seconds if seconds is not None else settings.quiz_seconds
        content = await self.bot.guild_content.for_guild(guild.id)  # the server's own packs and switches
        topic = resolve_topic(content.question_topics(), topic, kind="quiz topic")
        if not settings.is_bot_channel(channel.id, getattr(channel, "parent_id", None)):
            raise UserError(f"On this server, quiz rounds run in <#{settings.bot_channel_id}>.")
        missing = missing_channel_permissions(
            interaction.app_permissions, is_thread=isinstance(channel, discord.Thread)
        )
        if missing:
            raise UserError("I can't run a round here: " + missing_message(missing, "in this channel"))
        # No await between this check and the reservation: two starts can never both pass it.
        running = self.runners.get(channel.id)
        if running is not None or channel.id in self._starting:
            where = f" Here it is: {running.jump_url}" if running and running.jump_url else ""
            raise UserError(f"A round is already running in this channel.{where}")
        options = RoundOptions(
            count=count,
            seconds=secs,
            topic=topic,
            difficulty=Difficulty(difficulty),
            typed=mode == "typed",
            idle_stop_after=settings.quiz_idle_stop,
        )
        try:
            planned = check_pool(content, topic, options.difficulty, count, typed=options.typed)
        except PoolTooSmall as error:
            raise UserError(pool_too_small_message(error)) from None
        self._starting.add(channel.id)
        self._no_start_pending.clear()
        try:
            # Answer first: the round's database writes may queue behind other rounds' results,
            # and Discord waits three seconds at most. The round's own messages come after.
            await interaction.response.send_message(
                round_announcement(
                    planned,
                    options.difficulty,
                    topic,
                    secs,
                    typed=options.typed,
                    starter=interaction.user.display_name,
                )
            )
            runner = await self._create_round(interaction, guild, channel, options, content)
            if self._closing:  # the bot began shutting down while the round was being set up
                self._forget(runner)
                await self.repo.finish(runner.round.round_id, RoundStatus.INTERRUPTED, self.bot.timing.timestamp())
                with contextlib.suppress(discord.HTTPException):
                    await channel.send(SHUTDOWN_BEFORE_START)
                return
            runner.start()
        finally:
            # cog_unload waits for this, so a start in flight never outlives the database.
            self._starting.discard(channel.id)
            if not self._starting:
                self._no_start_pending.set()

    @start.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[QuizBot], current: str
    ) -> list[app_commands.Choice[str]]:
        content = await self.bot.guild_content.for_guild(interaction.guild_id)
        return topic_choices(content.question_topics(), current)

    @app_commands.command(name="stop")
    async def stop(self, interaction: discord.Interaction[QuizBot]) -> None:
        """End the round in this channel early; points so far are kept."""
        runner = self._runner_to_steer(interaction, "stop it")
        name = player_name(interaction.user.display_name)
        runner.request_stop(StopReason.STOPPED, f"Stopped by {name}. Points earned so far are kept.")
        await interaction.response.send_message("Stopping the round; the final standings follow.", ephemeral=True)

    @app_commands.command(name="skip")
    async def skip(self, interaction: discord.Interaction) -> None:
        """Close the open question with no points, reveal it and go on to the next."""
        runner = self._runner_to_steer(interaction, "skip a question")
        name = player_name(interaction.user.display_name)
        if not runner.request_skip(f"Skipped by {name}: nobody scores on this one."):
            raise UserError("No question is open right now; the next one is on its way.")
        await interaction.response.send_message("Skipping this question; its answer follows.", ephemeral=True)

    def _runner_to_steer(self, interaction: discord.Interaction, action: str) -> RoundRunner:
        """The round in this channel, if this member may stop it or skip its questions."""
        runner = self.runners.get(interaction.channel_id or 0)
        if runner is None:
            raise UserError("No round is running in this channel.")
        is_starter = interaction.user.id == runner.round.starter_id
        if not is_starter and not interaction.permissions.manage_messages:
            raise UserError(
                f"Only the player who started this round, or a member with Manage Messages, can {action}."
            )
        return runner

    async def handle_answer(
        self, interaction: discord.Interaction, round_id: int, question_index: int, option_index: int
    ) -> None:
        """Take a click on an answer button: in memory only, answered at once."""
        runner = await self._live_runner(interaction, round_id)
        if runner is None:
            return
        outcome = runner.round.answer(
            interaction.user.id,
            interaction.user.display_name,
            question_index,
            option_index,
            runner.click_time(interaction.created_at),
        )
        question = runner.round.questions[question_index] if 0 <= question_index < runner.round.question_count else None
        if outcome.status is AnswerStatus.ACCEPTED and question is not None:
            reply = f"Locked in: **{option_label(question, option_index)}**."
        elif outcome.status is AnswerStatus.DUPLICATE and question is not None:
            earlier_choice = option_label(question, outcome.option_index or 0)
            reply = f"You already answered this question (**{earlier_choice}**); your first answer counts."
        else:
            reply = ANSWER_REPLIES.get(outcome.status, "This question is closed.")
        await interaction.response.send_message(reply, ephemeral=True)

    async def open_guess_box(self, interaction: discord.Interaction, round_id: int, question_index: int) -> None:
        """Open the text box for a typed answer, unless this player cannot answer now."""
        runner = await self._live_runner(interaction, round_id)
        if runner is None:
            return
        now = runner.clock.now()
        refusal = runner.round.guess_refusal(interaction.user.id, question_index, now)
        if refusal is None:
            open_for = runner.clock.to_real(runner.round.seconds_until_deadline(now)) + GUESS_BOX_GRACE
            await interaction.response.send_modal(guess_modal(round_id, question_index, open_for=open_for))
        else:
            await interaction.response.send_message(self._guess_reply(refusal), ephemeral=True)

    async def handle_guess(
        self, interaction: discord.Interaction, round_id: int, question_index: int, guess: str
    ) -> None:
        """Take a typed answer: judged and locked in memory, answered at once (right or wrong stays secret)."""
        runner = await self._live_runner(interaction, round_id)
        if runner is None:
            return
        outcome = runner.round.answer_typed(
            interaction.user.id, interaction.user.display_name, question_index, guess,
            runner.click_time(interaction.created_at),
        )
        await interaction.response.send_message(self._guess_reply(outcome), ephemeral=True)

    @staticmethod
    def _guess_reply(outcome: AnswerOutcome) -> str:
        if outcome.status is AnswerStatus.ACCEPTED:
            return f"Locked in: **{typed_text(outcome.guess or '')}**. The answer shows when time is up."
        if outcome.status is AnswerStatus.DUPLICATE:
            earlier = typed_text(outcome.guess or "")
            return f"You already answered this question (**{earlier}**); your first answer counts."
        return ANSWER_REPLIES.get(outcome.status, "This question is closed.")

    async def _live_runner(self, interaction: discord.Interaction, round_id: int) -> RoundRunner | None:
        """The running round an answer is for; None, with the player told why, when there is none."""
        runner = self.runners.get(interaction.channel_id or 0)
        if runner is None or runner.round.round_id != round_id:
            await send_ephemeral(interaction, await self._reply_to_old_round(round_id))
            return None
        if runner.stopping:
            await send_ephemeral(interaction, "This round has been stopped; answers are closed.")
            return None
        return runner

    async def _create_round(
        self,
        interaction: discord.Interaction[QuizBot],
        guild: discord.Guild,
        channel: discord.abc.Messageable,
        options: RoundOptions,
        content: ContentStore,
    ) -> RoundRunner:
        topic = options.topic
        asked = await self.repo.asked(guild.id, topic or "")
        plan = plan_round(content, topic, asked, options.count, self.rng, options.difficulty, typed=options.typed)
        record = functools.partial(
            self.repo.create,
            guild_id=guild.id,
            channel_id=interaction.channel_id or 0,
            starter_id=interaction.user.id,
            topic=topic,
            question_count=len(plan.questions),
            seconds=options.seconds,
            question_ids=plan.question_ids,
            history_topic=plan.history_topic,
            forget_ids=plan.forget_ids,
        )
        try:
            round_id = await record(started_at=self.bot.timing.timestamp())
        except Conflict:
            # The database holds a running round here that this process, which owns the channel,
            # is not running: one whose end could not be written while the database was away.
            await self.repo.interrupt_in_channel(interaction.channel_id or 0, self.bot.timing.timestamp())
            round_id = await record(started_at=self.bot.timing.timestamp())
        round_ = Round(
            round_id,
            guild.id,
            interaction.channel_id or 0,
            interaction.user.id,
            plan.questions,
            options.seconds,
            idle_stop_after=options.idle_stop_after,
        )
        runner = RoundRunner(
            round_=round_,
            channel=channel,
            repo=self.repo,
            content=content,
            timing=self.bot.timing,
            on_done=self._forget,
            budget=self.bot.rest_budget,
            click_lag=self.click_lag,
            interaction=interaction,  # its token carries the round's messages while it lives
        )
        self.runners[round_.channel_id] = runner
        return runner

    async def _reply_to_old_round(self, round_id: int) -> str:
        """Say why a click on a round that is not running here counts for nothing."""
        if round_id in self._interrupted:
            return "This round has ended: the bot restarted while it was running."
        status = await self.repo.status(round_id)
        if status in (RoundStatus.FINISHED, RoundStatus.STOPPED):
            return "This question is closed."
        return "This round has ended."

    def _forget(self, runner: RoundRunner) -> None:
        if self.runners.get(runner.round.channel_id) is runner:
            del self.runners[runner.round.channel_id]

    async def _mark_interrupted_messages(self, records: list[RoundRecord]) -> None:
        await self.bot.wait_until_ready()
        for record in records:
            if record.last_message_id is None:
                continue
            channel = self.bot.get_partial_messageable(record.channel_id, guild_id=record.guild_id)
            with contextlib.suppress(discord.HTTPException):
                async with self.bot.rest_budget.slot(Priority.ROUTINE):
                    # view=None removes the buttons; a late click would be answered anyway.
                    message = channel.get_partial_message(record.last_message_id)
                    await message.edit(content=INTERRUPTED_NOTE, view=None)
