"""One quiz round in one channel: a synchronous state machine driven by the caller's clock.

Every method takes the current time as ``now`` (seconds, any monotonic-enough clock the caller
chooses) and never awaits, so the event loop cannot interleave inside a call.

States: WAITING -> ASKING -> REVEALING -> ASKING ... -> FINISHED (closing the last question),
or STOPPED / INTERRUPTED from any running state via ``stop``. Stopping while a question is open
discards that question: nobody scores on it, and points from closed questions are kept.
``skip`` closes the open question the same void way but goes on to the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum, StrEnum

from bot.quiz.hints import HINT_AT
from bot.quiz.matching import is_right
from bot.quiz.question import AskedQuestion
from bot.quiz.results import MISSED, AnswerOutcome, AnswerStatus, PlayerAnswer, QuestionResult
from bot.quiz.scoring import PlayerTotals, Standing, rank_standings, score_answer

MIN_QUESTIONS = 1
MAX_QUESTIONS = 20
MIN_SECONDS = 5
MAX_SECONDS = 60
# A round stops by itself after this many questions in a row that nobody answered.
MIN_IDLE_STOP = 1
MAX_IDLE_STOP = MAX_QUESTIONS
DEFAULT_IDLE_STOP = 2


class RoundState(StrEnum):
    """Where a round is; the values are stable strings, fit for a database column."""

    WAITING = "waiting"
    ASKING = "asking"
    REVEALING = "revealing"
    FINISHED = "finished"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


class RoundStatus(StrEnum):
    """A round's life as stored in the `rounds.status` column (the one set of status strings).

    RUNNING covers RoundState's WAITING, ASKING and REVEALING; the ended values are RoundState's
    own, plus FAILED for a round an error ended.
    """

    RUNNING = "running"
    FINISHED = RoundState.FINISHED.value
    STOPPED = RoundState.STOPPED.value
    INTERRUPTED = RoundState.INTERRUPTED.value
    FAILED = "failed"


_RUNNING_STATES = frozenset({RoundState.WAITING, RoundState.ASKING, RoundState.REVEALING})


class StopReason(Enum):
    """Why a round ended early; each maps to its final state."""

    STOPPED = RoundState.STOPPED
    INTERRUPTED = RoundState.INTERRUPTED


class RoundStateError(RuntimeError):
    """A method was called in a state where it makes no sense (a bug in the caller)."""


# Rejections carry no per-player data, so one immutable instance serves every round.
_CLOSED = AnswerOutcome(AnswerStatus.CLOSED)
_INVALID_OPTION = AnswerOutcome(AnswerStatus.INVALID_OPTION)


class _PlayerTally:
    """A player's running totals in this round (mutable, private to the round)."""

    __slots__ = ("answered", "correct", "display_name", "points", "streak", "user_id")

    def __init__(self, user_id: int, display_name: str) -> None:
        """Start a player with nothing."""
        self.user_id = user_id
        self.display_name = display_name
        self.points = 0
        self.correct = 0
        self.answered = 0
        self.streak = 0


class Round:
    """A timed multiple-choice round in one channel."""

    __slots__ = (
        "_answers",
        "_closed_count",
        "_deadline",
        "_guesses",
        "_idle_run",
        "_idle_stop_after",
        "_index",
        "_last_result",
        "_opened_at",
        "_players",
        "_questions",
        "_seconds",
        "_state",
        "channel_id",
        "ended_at",
        "guild_id",
        "round_id",
        "starter_id",
    )

    def __init__(
        self,
        round_id: int,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        questions: Sequence[AskedQuestion],
        seconds_per_question: float,
        *,
        idle_stop_after: int = DEFAULT_IDLE_STOP,
    ) -> None:
        """Set up a round; the limits guard against callers that skipped input validation."""
        if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
            raise ValueError(f"a round needs {MIN_QUESTIONS}-{MAX_QUESTIONS} questions, got {len(questions)}")
        if not MIN_SECONDS <= seconds_per_question <= MAX_SECONDS:
            raise ValueError(f"seconds per question must be {MIN_SECONDS}-{MAX_SECONDS}, got {seconds_per_question!r}")
        if not MIN_IDLE_STOP <= idle_stop_after <= MAX_IDLE_STOP:
            raise ValueError(f"idle stop after {MIN_IDLE_STOP}-{MAX_IDLE_STOP} questions, got {idle_stop_after}")
        ids = [q.question_id for q in questions]
        if len(set(ids)) != len(ids):
            raise ValueError("a round must not ask the same question twice")
        self.round_id = round_id
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.starter_id = starter_id
        self.ended_at: float | None = None
        self._questions: tuple[AskedQuestion, ...] = tuple(questions)
        self._seconds = seconds_per_question
        self._idle_stop_after = idle_stop_after
        self._idle_run = 0  # questions closed in a row with no answer at all
        self._state = RoundState.WAITING
        self._index = -1  # the question opened last; -1 before the first
        self._closed_count = 0
        self._opened_at = 0.0
        self._deadline = 0.0
        # Answers to the current question, user_id -> (option, when answered); insertion order is
        # answer order. Kept through the reveal so answer_count still reads right, reset on open.
        self._answers: dict[int, tuple[int, float]] = {}
        self._guesses: dict[int, str] = {}  # typed play: each player's guess, as typed
        self._players: dict[int, _PlayerTally] = {}
        self._last_result: QuestionResult | None = None

    # -- reading --------------------------------------------------------------------------------

    @property
    def state(self) -> RoundState:
        """Where the round is."""
        return self._state

    @property
    def is_running(self) -> bool:
        """True until the round finishes, is stopped or is interrupted."""
        return self._state in _RUNNING_STATES

    @property
    def is_open(self) -> bool:
        """True while a question accepts answers (deadline permitting)."""
        return self._state is RoundState.ASKING

    @property
    def seconds_per_question(self) -> float:
        """Time allowed per question."""
        return self._seconds

    @property
    def question_count(self) -> int:
        """How many questions the round has."""
        return len(self._questions)

    @property
    def questions(self) -> tuple[AskedQuestion, ...]:
        """All questions of the round, in order."""
        return self._questions

    @property
    def current_index(self) -> int | None:
        """Index of the question opened last (0-based), or None before the first."""
        return self._index if self._index >= 0 else None

    @property
    def current_question(self) -> AskedQuestion | None:
        """The question opened last, or None before the first."""
        return self._questions[self._index] if self._index >= 0 else None

    @property
    def closed_count(self) -> int:
        """How many questions have been closed and scored."""
        return self._closed_count

    @property
    def opened_at(self) -> float | None:
        """When the open question was opened, or None when no question is open."""
        return self._opened_at if self._state is RoundState.ASKING else None

    @property
    def answer_count(self) -> int:
        """Answers to the current question so far (for a live count)."""
        return len(self._answers)

    @property
    def last_result(self) -> QuestionResult | None:
        """The result of the question closed last."""
        return self._last_result

    @property
    def unanswered_run(self) -> int:
        """How many questions in a row, up to the last closed one, nobody answered."""
        return self._idle_run

    @property
    def is_idle(self) -> bool:
        """True when the room looks empty: the last `idle_stop_after` questions had no answer.

        A skipped question breaks the run (someone was there to skip it).
        """
        return self._idle_run >= self._idle_stop_after

    @property
    def hint_at(self) -> float | None:
        """When the open typed question shows its hint (half time); None otherwise."""
        if self._state is not RoundState.ASKING or not self._questions[self._index].is_typed:
            return None
        return self._opened_at + self._seconds * HINT_AT

    def seconds_until_deadline(self, now: float) -> float:
        """Seconds left to answer the open question; 0.0 when none is open or time is up."""
        if self._state is not RoundState.ASKING:
            return 0.0
        return max(0.0, self._deadline - now)

    def standings(self) -> list[Standing]:
        """Current leaderboard of everyone who answered at least once."""
        return rank_standings(
            PlayerTotals(p.user_id, p.display_name, p.points, p.correct, p.answered) for p in self._players.values()
        )

    # -- driving --------------------------------------------------------------------------------

    def open_next(self, now: float) -> AskedQuestion | None:
        """Open the next question until now + seconds; None when the round is over."""
        if not self.is_running:
            return None
        if self._state is RoundState.ASKING:
            raise RoundStateError("close the open question before opening the next")
        if self._index + 1 >= len(self._questions):
            return None  # unreachable in practice: closing the last question finishes the round
        self._index += 1
        self._opened_at = now
        self._deadline = now + self._seconds
        self._answers = {}
        self._guesses = {}
        self._state = RoundState.ASKING
        return self._questions[self._index]

    def time_from(self, now: float) -> None:
        """Start the open question's time again at `now`: when its message was actually posted.

        The caller opens a question before posting it (so a click that arrives with the message is
        taken) and restarts its time once the message is out, so that however long the post waited,
        everyone gets the full time. An answer taken before counts as given at the start.
        """
        if self._state is not RoundState.ASKING:
            raise RoundStateError("no open question to time")
        self._opened_at = now
        self._deadline = now + self._seconds

    def answer(
        self, user_id: int, display_name: str, question_index: int, option_index: int, now: float
    ) -> AnswerOutcome:
        """Record a click; at most one answer per player per question, first click wins."""
        # Hot path (hundreds of clicks a second): only dict lookups, no scoring until close().
        if self._state is not RoundState.ASKING or question_index != self._index or now > self._deadline:
            return _CLOSED
        question = self._questions[self._index]
        if question.is_typed or not 0 <= option_index < len(question.options):
            return _INVALID_OPTION
        earlier = self._answers.get(user_id)
        if earlier is not None:
            return AnswerOutcome(AnswerStatus.DUPLICATE, earlier[0])
        self._record(user_id, display_name, option_index, now)
        return AnswerOutcome(AnswerStatus.ACCEPTED, option_index)

    def answer_typed(
        self, user_id: int, display_name: str, question_index: int, guess: str, now: float
    ) -> AnswerOutcome:
        """Record a typed guess, judged now (bot.quiz.matching); one per player, the first counts."""
        refusal = self.guess_refusal(user_id, question_index, now)
        if refusal is not None:
            return refusal
        question = self._questions[self._index]
        option_index = question.correct_index if is_right(guess, question.accepted) else MISSED
        self._record(user_id, display_name, option_index, now)
        self._guesses[user_id] = guess
        return AnswerOutcome(AnswerStatus.ACCEPTED, option_index, guess)

    def guess_refusal(self, user_id: int, question_index: int, now: float) -> AnswerOutcome | None:
        """Why this player cannot type a guess to this question now, or None when they can.

        Asked when the Answer button is pressed, so a text box opens only when it can be used.
        """
        if self._state is not RoundState.ASKING or question_index != self._index or now > self._deadline:
            return _CLOSED
        if not self._questions[self._index].is_typed:
            return _INVALID_OPTION
        earlier = self._answers.get(user_id)
        if earlier is not None:
            return AnswerOutcome(AnswerStatus.DUPLICATE, earlier[0], self._guesses[user_id])
        return None

    def _record(self, user_id: int, display_name: str, option_index: int, now: float) -> None:
        player = self._players.get(user_id)
        if player is None:
            self._players[user_id] = _PlayerTally(user_id, display_name)
        else:
            player.display_name = display_name  # nicknames change; show the latest
        self._answers[user_id] = (option_index, now)

    def close(self, now: float) -> QuestionResult:
        """Close and score the open question; closing it again returns the same result."""
        if self._state is not RoundState.ASKING:
            result = self._last_result
            if result is not None and result.question_index == self._index:
                return result  # a timer and a stop racing to close the same question is harmless
            raise RoundStateError(f"no question to close (state {self._state.value})")

        question = self._questions[self._index]
        counts = [0] * len(question.options)
        scored_answers: list[PlayerAnswer] = []
        # Typed play: an answer given once the hint shows earns no speed bonus.
        bonus_until = self._seconds * HINT_AT if question.is_typed else self._seconds
        for user_id, (option_index, answered_at) in self._answers.items():
            time_taken = max(0.0, answered_at - self._opened_at)
            if option_index != MISSED:
                counts[option_index] += 1
            player = self._players[user_id]
            correct = option_index == question.correct_index
            scored = score_answer(
                correct, time_taken, self._seconds, player.streak, earns_speed_bonus=time_taken < bonus_until
            )
            player.answered += 1
            if correct:
                player.correct += 1
            player.points += scored.points
            player.streak = scored.streak
            scored_answers.append(
                PlayerAnswer(
                    user_id=user_id,
                    display_name=player.display_name,
                    option_index=option_index,
                    correct=correct,
                    time_taken=time_taken,
                    points=scored.points,
                    speed_bonus=scored.speed_bonus,
                    streak_bonus=scored.streak_bonus,
                    streak=scored.streak,
                    total_points=player.points,
                )
            )
        for user_id, player in self._players.items():
            if user_id not in self._answers:
                player.streak = 0  # missing a question breaks the streak like a wrong answer

        result = QuestionResult(
            round_id=self.round_id,
            question_index=self._index,
            question=question,
            opened_at=self._opened_at,
            closed_at=now,
            option_counts=tuple(counts),
            answers=tuple(scored_answers),
            standings=tuple(self.standings()),
            is_last=self._index + 1 >= len(self._questions),
        )
        self._idle_run = 0 if scored_answers else self._idle_run + 1
        return self._finish_question(result, now)

    def skip(self, now: float) -> QuestionResult:
        """Close the open question early as void: its answers are dropped and nobody scores.

        Streaks are left as they were: a skipped question is nobody's wrong answer.
        """
        if self._state is not RoundState.ASKING:
            raise RoundStateError(f"no question to skip (state {self._state.value})")
        question = self._questions[self._index]
        self._void_open_answers()
        self._idle_run = 0
        return self._finish_question(
            QuestionResult(
                round_id=self.round_id,
                question_index=self._index,
                question=question,
                opened_at=self._opened_at,
                closed_at=now,
                option_counts=(0,) * len(question.options),
                answers=(),
                standings=tuple(self.standings()),
                is_last=self._index + 1 >= len(self._questions),
                skipped=True,
            ),
            now,
        )

    def _void_open_answers(self) -> None:
        """Drop the open question's answers, and the players whose only answer that was."""
        for user_id in self._answers:
            if self._players[user_id].answered == 0:
                del self._players[user_id]
        self._answers = {}
        self._guesses = {}

    def _finish_question(self, result: QuestionResult, now: float) -> QuestionResult:
        """Move on from a closed question: to the reveal, or to the end after the last one."""
        self._closed_count += 1
        self._last_result = result
        if result.is_last:
            self._state = RoundState.FINISHED
            self.ended_at = now
        else:
            self._state = RoundState.REVEALING
        return result

    def stop(self, now: float, reason: StopReason = StopReason.STOPPED) -> bool:
        """End the round early, discarding an open question; False if it had already ended."""
        if not self.is_running:
            return False
        # The open question is voided rather than scored: its players had not had their full time.
        self._void_open_answers()
        self._state = reason.value
        self.ended_at = now
        return True
