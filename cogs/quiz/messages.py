"""How a round's messages reach Discord: through the starting interaction while its token lives,
then through the channel within the bot's REST budget; retried or skipped, never fatal to a round.

Interaction endpoints (follow-ups and their edits, made with the token of the `/quiz start` that
began the round) are outside Discord's global limit of 50 requests a second, so while the token
lives (15 minutes) a round costs the global limit nothing; a round that outlives it (or a token
Discord refuses) goes on through the channel, each request waiting for its slot in the shared
budget, by priority. bench/RESULTS.md has the measurements behind this choice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
import discord

from bot.budget import Priority, RestBudget

__all__ = ["UNREACHABLE", "RoundMessageFailed", "RoundMessages"]

log = logging.getLogger(__name__)

TOKEN_LIFETIME = 15 * 60.0  # Discord: an interaction's token works for 15 minutes
# Stop using the token this long before it dies: a request must not be on its way when it does.
TOKEN_MARGIN = 60.0
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)  # wall seconds between tries of a transient failure
# Discord's answers to a token that no longer works: 50027 Invalid Webhook Token, 10015 Unknown Webhook.
DEAD_TOKEN_CODES = frozenset({50027, 10015})

Fields = dict[str, Any]
T = TypeVar("T")


class RoundMessageFailed(Exception):
    """A round message could not be posted at all (the channel is gone or refuses the bot)."""


# What a network that is down raises from discord.py's REST calls (not HTTP answers: those are
# discord.HTTPException).
UNREACHABLE = (TimeoutError, aiohttp.ClientError, OSError)
REQUEST_ERRORS = (discord.HTTPException, *UNREACHABLE)


def _is_transient(error: Exception) -> bool:
    if isinstance(error, discord.HTTPException):
        return error.status == 429 or error.status >= 500
    return isinstance(error, UNREACHABLE)


async def _uncancellable(request: Awaitable[T]) -> T:
    """Await a token request so that cancelling the caller leaves the request to finish (see
    RoundMessages); how an abandoned one ends is the caller's no longer, so it is read here."""
    task = asyncio.ensure_future(request)
    task.add_done_callback(_read_outcome)
    return await asyncio.shield(task)


def _read_outcome(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.debug("a round request whose caller had gone ended with %r", task.exception())


class RoundMessages:
    """Posts and edits the messages of one round.

    A request through the token is shielded from cancellation: discord.py 2.7's webhook lock
    (`AsyncDeferredLock`) sleeps out an exhausted bucket before it releases, and a cancel during
    that sleep leaves the lock held, so every later request with the token would hang. Shielded,
    a cancelled caller stops waiting but the request ends normally and releases it.
    """

    def __init__(
        self,
        *,
        round_id: int,
        channel: discord.abc.Messageable,
        interaction: discord.Interaction | None,
        budget: RestBudget,
        monotonic: Callable[[], float],
    ) -> None:
        self._round_id = round_id
        self._channel = channel
        self._interaction = interaction
        self._budget = budget
        self._monotonic = monotonic
        self._token_until = monotonic() + TOKEN_LIFETIME - TOKEN_MARGIN
        self._hurried = False

    def hurry(self) -> None:
        """Try each request once from now on: the round is being cut off (shutdown), and a retry
        would only hold the process up."""
        self._hurried = True

    @property
    def _token_usable(self) -> bool:
        return self._interaction is not None and self._monotonic() < self._token_until

    @staticmethod
    def _is_dead_token(error: Exception) -> bool:
        return isinstance(error, discord.HTTPException) and (error.code in DEAD_TOKEN_CODES or error.status == 401)

    def _token_died(self, error: Exception) -> None:
        log.info("round %s: the starting interaction's token stopped working (%s); posting through the channel",
                 self._round_id, error)
        self._interaction = None

    async def send(self, build: Callable[[], Fields], what: str) -> discord.Message:
        """Post a message; `build` is called right before each try (so a time in it is fresh).

        Raises RoundMessageFailed when the channel refuses for good or keeps failing.
        """
        if self._token_usable:
            assert self._interaction is not None
            try:
                return await _uncancellable(self._interaction.followup.send(wait=True, **build()))
            except REQUEST_ERRORS as error:
                if self._is_dead_token(error):
                    self._token_died(error)
                else:  # this one message goes by the channel instead
                    log.warning("round %s: the interaction refused %s (%s); posting it through the channel",
                                self._round_id, what, error)
        message = await self._through_channel(lambda: self._channel.send(**build()), Priority.ROUND, what)
        if message is None:
            raise RoundMessageFailed(f"could not post {what}")
        return message

    async def edit(self, message: discord.Message, fields: Fields, what: str, *,
                   priority: Priority = Priority.ROUND) -> bool:
        """Edit a round message; False when it was skipped (short budget, or Discord refused)."""
        if self._token_usable and isinstance(message, discord.WebhookMessage):
            try:
                await _uncancellable(message.edit(**fields))
                return True
            except REQUEST_ERRORS as error:
                if self._is_dead_token(error):
                    self._token_died(error)
                elif priority is Priority.DROPPABLE or not _is_transient(error):
                    log.warning("round %s: skipped %s: %s", self._round_id, what, error)
                    return False
        partial = self._channel.get_partial_message(message.id)  # type: ignore[attr-defined]
        return await self._through_channel(lambda: partial.edit(**fields), priority, what) is not None

    async def _through_channel(self, request: Callable[[], Any], priority: Priority, what: str) -> Any:
        """Make a channel request within the budget, retrying transient failures; None if given up.

        A live count is tried once, and only if the budget can spare it now. Whatever happens, at
        most one warning line per request.
        """
        if priority is Priority.DROPPABLE:
            async with self._budget.slot(priority) as granted:
                if not granted:
                    return None
                try:
                    return await request()
                except REQUEST_ERRORS as error:
                    log.warning("round %s: skipped %s: %s", self._round_id, what, error)
                    return None
        last_error: Exception | None = None
        delays = (0.0,) if self._hurried else (0.0, *RETRY_DELAYS)
        for attempt, delay in enumerate(delays):
            if delay:
                await asyncio.sleep(delay)
            try:
                async with self._budget.slot(priority):
                    result = await request()
            except REQUEST_ERRORS as error:
                last_error = error
                if _is_transient(error):
                    continue
                log.warning("round %s: Discord refused %s: %s", self._round_id, what, error)
                return None
            if last_error is not None:
                log.warning("round %s: %s went through on try %d (before: %s)", self._round_id, what,
                            attempt + 1, last_error)
            return result
        log.warning("round %s: gave up %s after %d tr%s: %s", self._round_id, what, len(delays),
                    "y" if len(delays) == 1 else "ies", last_error)
        return None
