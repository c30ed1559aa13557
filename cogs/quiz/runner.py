"""One running round in one channel: post, wait, close, write, reveal, repeat.

The runner's messages go through `RoundMessages` (the starting interaction's token while it
lives, then the channel within the bot's REST budget), and its timing is on a monotonic game
clock, so a gateway reconnect does not touch it. A question's time starts when its message is
posted, so however long the post waited for its turn, everyone gets the full time. A stop or
skip request wakes the runner at its next wait, so a question's results are never cut off
halfway through being written.

A database that is unavailable for a moment (a PostgreSQL restart or failover) costs at most the
open question: its results are tried a few times, then given up with a note in the channel, and
the round goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

import discord

from bot.budget import Priority, RestBudget
from bot.clock import GameClock, Timing
from bot.content import ContentStore, EntryKind
from bot.quiz import AskedQuestion, QuestionResult, Round, RoundStatus, StopReason
from bot.quiz.hints import letter_hint
from bot.quiz.lag import ClickLag
from bot.storage import Conflict, DatabaseUnavailable
from bot.storage.rounds import RoundRepo
from bot.ui.facts import source_line
from bot.ui.quiz import question_embed, reveal_embed, standings_embed
from bot.waiting import wait_for_event
from cogs.quiz.buttons import answer_view
from cogs.quiz.messages import RoundMessageFailed, RoundMessages
from cogs.reports.buttons import ReportButton

__all__ = ["RoundRunner"]

log = logging.getLogger(__name__)

LIVE_COUNT_EVERY = 3.0  # game seconds between edits of the live answer count (rate limits)
COUNT_EDIT_GRACE = 1.0  # wall seconds a count edit in flight may delay the reveal
SAVE_TRIES = 3  # a question's results are written at most this many times while the database is away
SAVE_RETRY_WAIT = 1.0  # wall seconds between those tries
UNSAVED_NOTE = "The database was unavailable for a moment, so this question's points could not be saved."


class RoundRunner:
    """Drive one Round in one channel until it finishes, is stopped, or is interrupted."""

    def __init__(
        self,
        *,
        round_: Round,
        channel: discord.abc.Messageable,
        repo: RoundRepo,
        content: ContentStore,
        timing: Timing,
        on_done: Callable[[RoundRunner], None],
        budget: RestBudget,
        click_lag: ClickLag,
        interaction: discord.Interaction | None = None,
    ) -> None:
        self.round = round_
        self.channel = channel
        self.clock: GameClock = timing.game_clock
        self.message: discord.Message | None = None
        self._repo = repo
        self._content = content
        self._timing = timing
        self._reveal_pause = timing.reveal_pause
        self._on_done = on_done
        self._wall_clock = timing.wall_clock
        self._click_lag = click_lag
        self._messages = RoundMessages(
            round_id=round_.round_id, channel=channel, interaction=interaction, budget=budget,
            monotonic=timing.monotonic,
        )
        self._stop_requested = asyncio.Event()
        self._stop_reason = StopReason.STOPPED
        self._stop_note: str | None = None
        self._skip_note: str | None = None  # set while a skip of the open question is pending
        self._wake = asyncio.Event()  # a stop or a skip was requested
        self._shown_count = 0
        self._hint_shown = False  # the open typed question's hint has been edited in
        self._count_edit: asyncio.Task[None] | None = None
        self.task: asyncio.Task[None] | None = None
        self.save_retry_wait = SAVE_RETRY_WAIT

    @property
    def stopping(self) -> bool:
        """Whether a stop was requested (the round ends at its next wait)."""
        return self._stop_requested.is_set()

    @property
    def jump_url(self) -> str | None:
        return self.message.jump_url if self.message else None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name=f"quiz-round-{self.round.round_id}")
        self.task.add_done_callback(self._task_done)

    def click_time(self, clicked_at: datetime) -> float:
        """The game time of a click Discord stamped at `clicked_at` (its interaction's creation).

        Discord's stamp is compared with `Timing.stamp_clock`, the clock Discord stamps by, on
        purpose: the lag is how long the click waited for the bot (bot/quiz/lag.py caps what it
        may credit).
        """
        lag = (self._timing.stamp_clock() - clicked_at).total_seconds()
        return self.clock.ago(self._click_lag.credit(lag, self._timing.monotonic()))

    def request_stop(self, reason: StopReason, note: str) -> None:
        """Ask the round to end at its next wait; points already written stay."""
        if not self._stop_requested.is_set():
            if reason is StopReason.INTERRUPTED:
                self._messages.hurry()
            self._stop_reason, self._stop_note = reason, note
            self._stop_requested.set()
            self._wake.set()

    def request_skip(self, note: str) -> bool:
        """Ask the round to close the open question now, void, and go on; False if none is open."""
        if not self.round.is_open or self.stopping or self._skip_note is not None:
            return False
        self._skip_note = note
        self._wake.set()
        return True

    async def _run(self) -> None:
        guild_id = self.round.guild_id
        try:
            while (question := self.round.open_next(self.clock.now())) is not None:
                await self._post_question(question)
                if await self._wait_for_deadline():
                    break
                if self._skip_note is None:
                    await self._let_late_clicks_in()
                result, skip_note = self._close_question()
                saved = await self._record(guild_id, result)
                await self._reveal(result, skip_note)
                if not saved:
                    with contextlib.suppress(RoundMessageFailed):
                        await self._messages.send(lambda: {"content": UNSAVED_NOTE}, "the unsaved-points note")
                if result.is_last or self._stop_if_idle() or await self._wait_or_stop(self._reveal_pause):
                    break
            await self._finish()
        except RoundMessageFailed as failure:
            # The channel was deleted, the bot lost its access, or Discord kept failing: nobody
            # would see a notice either.
            log.warning("round %s in channel %s ended: %s", self.round.round_id, self.round.channel_id, failure)
            self.round.stop(self.clock.now(), StopReason.INTERRUPTED)
            await self._record_failed()
        except Exception:
            log.exception("round %s in channel %s failed", self.round.round_id, self.round.channel_id)
            self.round.stop(self.clock.now(), StopReason.INTERRUPTED)
            await self._record_failed()
            with contextlib.suppress(RoundMessageFailed):
                notice = "Something went wrong and this round had to end. Points earned so far are kept."
                await self._messages.send(lambda: {"content": notice}, "the failure notice")

    async def _post_question(self, question: AskedQuestion) -> None:
        """Post the open question; its time runs from when the message is out."""
        self._shown_count = 0
        self._hint_shown = False

        def build() -> dict[str, object]:
            self.round.time_from(self.clock.now())  # the closing time shown is from this moment on
            return {"embed": self._question_embed(question), "view": self._view(question)}

        number = (self.round.current_index or 0) + 1
        self.message = await self._messages.send(build, f"question {number}")
        self.round.time_from(self.clock.now())
        # Only for tidying its buttons after a restart: not worth holding the question for.
        await self._quietly(self._repo.set_message(self.round.round_id, self.message.id), "record its message")

    async def _record(self, guild_id: int, result: QuestionResult) -> bool:
        """Write a closed question's results; False if the database stayed unavailable."""
        for attempt in range(1, SAVE_TRIES + 1):
            try:
                # Shielded: a cancel during shutdown must not roll back points already earned.
                await asyncio.shield(self._repo.record_question(guild_id, result, self._wall_clock().timestamp()))
                return True
            except Conflict:
                if attempt == 1:
                    raise
                # The answers are there already: an earlier try was committed, only its answer was lost.
                return True
            except DatabaseUnavailable as error:
                if attempt == SAVE_TRIES:
                    log.warning(
                        "round %s: question %d not saved after %d tries: %s",
                        self.round.round_id, result.question_index + 1, SAVE_TRIES, error,
                    )
                    return False
                await asyncio.sleep(self.save_retry_wait)
        return False

    async def _quietly(self, write: Awaitable[None], what: str) -> None:
        """Run a write the round can do without while the database is away."""
        try:
            await write
        except DatabaseUnavailable as error:
            log.warning("round %s: could not %s: %s", self.round.round_id, what, error)

    def _question_embed(self, question: AskedQuestion) -> discord.Embed:
        now = self.clock.now()
        remaining = self.clock.to_real(self.round.seconds_until_deadline(now))
        closes_at = int(self._wall_clock().timestamp() + remaining)
        index = self.round.current_index or 0
        hint = letter_hint(question.correct_option) if self._hint_due(now) else None
        return question_embed(question, index + 1, self.round.question_count, closes_at, self._shown_count, hint=hint)

    def _hint_due(self, now: float) -> bool:
        hint_at = self.round.hint_at
        return hint_at is not None and now >= hint_at

    def _view(self, question: AskedQuestion, *, disabled: bool = False) -> discord.ui.View:
        return answer_view(self.round.round_id, self.round.current_index or 0, question, disabled=disabled)

    async def _wait_for_deadline(self) -> bool:
        """Wait until the open question's deadline or a skip; return True if a stop was requested."""
        while (remaining := self.round.seconds_until_deadline(self.clock.now())) > 0 and self._skip_note is None:
            if await self._wait_or_stop(min(remaining, LIVE_COUNT_EVERY, self._until_hint())):
                return True
            if not await self._show_hint_when_due():
                await self._refresh_live_count()
        return False

    async def _let_late_clicks_in(self) -> None:
        """Stay open past the deadline as long as clicks are reaching the bot late, so that a
        click made in time is taken (it counts from Discord's stamp, see `click_time`)."""
        monotonic = self._timing.monotonic
        past_deadline = monotonic()
        while (left := past_deadline + self._click_lag.close_delay(monotonic()) - monotonic()) > 0:
            if await wait_for_event(self._wake, left):
                return  # a stop or a skip: nobody is owed the grace any more

    def _until_hint(self) -> float:
        """Game seconds until the open question's hint is due; infinity once shown, or with none."""
        hint_at = self.round.hint_at
        if hint_at is None or self._hint_shown:
            return float("inf")
        return max(0.0, hint_at - self.clock.now())

    async def _show_hint_when_due(self) -> bool:
        """Edit the hint into a typed question at half time; True if this was that edit.

        Unlike a count edit, the hint is never dropped: an edit in flight is let land first.
        """
        question = self.round.current_question
        if self._hint_shown or question is None or self.message is None or not self._hint_due(self.clock.now()):
            return False
        self._hint_shown = True
        await self._settle_count_edit()
        self._shown_count = self.round.answer_count
        self._count_edit = asyncio.create_task(self._edit_hint(self.message, self._question_embed(question)))
        return True

    async def _wait_or_stop(self, game_seconds: float) -> bool:
        """Wait `game_seconds` or until a stop or skip is requested; return True on a stop."""
        await wait_for_event(self._wake, self.clock.to_real(game_seconds))
        return self._stop_requested.is_set()

    def _stop_if_idle(self) -> bool:
        """Stop the round when nobody answered its last questions; True if it was stopped."""
        if not self.round.is_idle:
            return False
        run = self.round.unanswered_run
        last = "the last question" if run == 1 else f"the last {run} questions"
        self.request_stop(
            StopReason.STOPPED,
            f"Nobody answered {last}, so the round stopped here. "
            "`/quiz start` plays again; moderators set this with `/config quiz-defaults`.",
        )
        return True

    def _close_question(self) -> tuple[QuestionResult, str | None]:
        """Close the open question: void when a skip was requested, else scored. Returns the
        result and the skip's note."""
        note, self._skip_note = self._skip_note, None
        if note is None:
            return self.round.close(self.clock.now()), None
        if not self.stopping:
            self._wake.clear()
        return self.round.skip(self.clock.now()), note

    async def _refresh_live_count(self) -> None:
        """Start an edit of the live answer count, unless one is still on its way.

        The edit runs beside the timer, not in its way: a rate-limited edit must never hold up
        the close of the question.
        """
        count = self.round.answer_count
        question = self.round.current_question
        if count == self._shown_count or question is None or self.message is None:
            return
        if self.round.seconds_until_deadline(self.clock.now()) < 1:
            return  # the reveal is about to replace it anyway
        if self._count_edit is not None and not self._count_edit.done():
            return
        self._shown_count = count
        self._count_edit = asyncio.create_task(self._edit_count(self.message, self._question_embed(question)))

    async def _edit_count(self, message: discord.Message, embed: discord.Embed) -> None:
        await self._messages.edit(message, {"embed": embed}, "a live answer count", priority=Priority.DROPPABLE)

    async def _edit_hint(self, message: discord.Message, embed: discord.Embed) -> None:
        await self._messages.edit(message, {"embed": embed}, "the hint")

    async def _settle_count_edit(self) -> None:
        """Let a count edit in flight land before the reveal, so it cannot overwrite the reveal."""
        if self._count_edit is None or self._count_edit.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._count_edit), COUNT_EDIT_GRACE)
        except TimeoutError:
            self._count_edit.cancel()

    async def _reveal(self, result: QuestionResult, skip_note: str | None = None) -> None:
        await self._settle_count_edit()
        if self.message is None:
            return
        fact = self._content.fact(result.question.fact_id) if result.question.fact_id else None
        source = source_line(fact, self._content) if fact else None
        embed = reveal_embed(result, self.round.question_count, source, skip_note=skip_note)
        view = self._view(result.question, disabled=True)
        # On a row of its own under the closed options (at most 4 of the 5 a row holds).
        view.add_item(ReportButton(EntryKind.QUESTION, result.question.question_id, row=1))
        fields = {"embed": embed, "view": view}
        await self._messages.edit(self.message, fields, f"the reveal of question {result.question_index + 1}")

    async def _finish(self) -> None:
        stopped = self._stop_requested.is_set() and self.round.is_running
        question = self.round.current_question if stopped and self.round.is_open else None
        if stopped:
            self.round.stop(self.clock.now(), self._stop_reason)
        status = self._status(stopped)
        # Closed in the database before a word goes to Discord, which may not answer (shutdown).
        # If this is lost, the row stays "running" until the channel's next round or a restart.
        await self._quietly(
            self._repo.finish(self.round.round_id, status, self._wall_clock().timestamp()), "record its end"
        )
        title = {
            RoundStatus.FINISHED: "Final standings",
            RoundStatus.STOPPED: "Round stopped",
            RoundStatus.INTERRUPTED: "Round interrupted",
        }[status]
        embed = standings_embed(self.round.standings(), title=title, note=self._stop_note if stopped else None)
        try:
            if question is not None and self.message is not None:
                # The open question is void: nobody scores on it, so its buttons simply close.
                await self._settle_count_edit()
                fields = {"content": "This question was cancelled.", "view": self._view(question, disabled=True)}
                await self._messages.edit(self.message, fields, "the cancelled question")
            await self._messages.send(lambda: {"embed": embed}, "the standings")
        except RoundMessageFailed as error:
            # Discord cannot be reached: the round is closed and its points are written; only the
            # notice is lost. (An HTTP error answer is not this: it ends in "Something went wrong".)
            log.warning("round %s ended but Discord could not be reached to say so: %s", self.round.round_id, error)

    async def _record_failed(self) -> None:
        ended_at = self._wall_clock().timestamp()
        await self._quietly(self._repo.finish(self.round.round_id, RoundStatus.FAILED, ended_at), "record its end")

    def _status(self, stopped: bool) -> RoundStatus:
        if not stopped:
            return RoundStatus.FINISHED
        return RoundStatus.INTERRUPTED if self._stop_reason is StopReason.INTERRUPTED else RoundStatus.STOPPED

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._on_done(self)
        if not task.cancelled() and task.exception() is not None:
            log.error("round %s task ended with an error", self.round.round_id, exc_info=task.exception())
