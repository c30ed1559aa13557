"""The rules of the bot's REST budget: how many requests may go, and whose goes first.

Discord allows a bot 50 requests a second across every route (interaction endpoints excepted).
The bot hands its own requests (round messages sent through a channel, the fact of the day,
tidying old messages) slots from one budget kept under that limit, so that it stays under it by
design instead of by retrying 429s. Pure: every method takes the time as an argument.

- A slot is held from its grant until its request is done, and `window` seconds after that.
  At most `limit` slots are held at once, so no stretch of `window` seconds, however it falls
  against Discord's own window, sees more than `limit` requests arrive, even when a busy event
  loop sends a request long after its grant (a request arrives between its grant and its end).
- Waiting requests are granted by priority, first come first served within one priority.
- A droppable request (a live answer count) is never queued: it is granted at once only while
  the budget has `droppable_headroom` of its window to spare and nobody waits, or it is dropped.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["BudgetRules", "Priority", "Ticket"]

DISCORD_GLOBAL_LIMIT = 50  # requests a second per bot
# What the bot's own budget may use: discord.py's unbudgeted calls (log-in, command sync) share
# the same 50, so leave them room.
DEFAULT_LIMIT = 40


class Priority(IntEnum):
    """Lower goes first."""

    ROUND = 0  # a round's next question, its reveal, its standings: players are waiting on these
    ROUTINE = 1  # the fact of the day, tidying messages of interrupted rounds
    DROPPABLE = 2  # a live answer count: the next one will say the same and more


@dataclass(order=True)
class Ticket:
    """One request's place in the budget."""

    priority: Priority
    sequence: int
    granted: bool = field(default=False, compare=False)
    released: bool = field(default=False, compare=False)
    withdrawn: bool = field(default=False, compare=False)


class BudgetRules:
    """At most `limit` requests in any `window` seconds, their slots handed out by priority."""

    def __init__(self, limit: int = DEFAULT_LIMIT, window: float = 1.0, droppable_headroom: float = 0.5) -> None:
        if limit < 1 or window <= 0 or not 0 <= droppable_headroom < 1:
            raise ValueError("need limit >= 1, window > 0 and 0 <= droppable_headroom < 1")
        self.limit = limit
        self.window = window
        # A droppable request may only use the budget while this many slots stay free after it.
        self._droppable_reserve = int(limit * droppable_headroom)
        self._in_flight = 0  # granted, not yet released
        self._released: deque[float] = deque()  # when each request of the last window ended
        self._waiting: list[Ticket] = []  # a heap by (priority, sequence)
        self._sequence = itertools.count()
        self.dropped = 0  # droppable requests refused so far

    def free(self, now: float) -> int:
        """Slots that could be granted right now."""
        self._expire(now)
        return self.limit - self._in_flight - len(self._released)

    @property
    def waiting(self) -> int:
        """Requests queued for a slot."""
        return sum(not t.withdrawn for t in self._waiting)

    def request(self, priority: Priority, now: float) -> Ticket | None:
        """Ask for a slot: a granted ticket, a queued one (see `grant_due`), or None when dropped.

        Every granted ticket must be released when its request is done.
        """
        ticket = Ticket(priority, next(self._sequence))
        free = self.free(now)
        if priority is Priority.DROPPABLE:
            if self.waiting or free - 1 < self._droppable_reserve:
                self.dropped += 1
                return None
            self._grant(ticket, now)
            return ticket
        if free > 0 and not self._ahead_of(ticket):
            self._grant(ticket, now)
        else:
            heapq.heappush(self._waiting, ticket)
        return ticket

    def grant_due(self, now: float) -> list[Ticket]:
        """Grant queued tickets while slots are free, highest priority first; return them."""
        granted = []
        while self._waiting and self.free(now) > 0:
            ticket = heapq.heappop(self._waiting)
            if not ticket.withdrawn:
                self._grant(ticket, now)
                granted.append(ticket)
        return granted

    def next_grant_at(self, now: float) -> float | None:
        """When the next slot frees up, if anyone is waiting for one (None: at the next release)."""
        self._discard_withdrawn()
        if not self._waiting:
            return None
        if self.free(now) > 0:
            return now
        return self._released[0] + self.window if self._released else None

    def release(self, ticket: Ticket, now: float) -> None:
        """The granted request is done (whatever its outcome); its slot frees `window` later."""
        if not ticket.granted or ticket.released:
            raise ValueError("release a granted ticket once")
        ticket.released = True
        self._in_flight -= 1
        self._released.append(now)

    def withdraw(self, ticket: Ticket) -> None:
        """Give up a queued ticket (its caller stopped waiting); a granted one must be released."""
        if not ticket.granted:
            ticket.withdrawn = True

    def _ahead_of(self, ticket: Ticket) -> bool:
        self._discard_withdrawn()
        return bool(self._waiting) and self._waiting[0] < ticket

    def _grant(self, ticket: Ticket, now: float) -> None:
        ticket.granted = True
        self._in_flight += 1

    def _expire(self, now: float) -> None:
        while self._released and self._released[0] + self.window <= now:  # as next_grant_at adds it
            self._released.popleft()

    def _discard_withdrawn(self) -> None:
        while self._waiting and self._waiting[0].withdrawn:
            heapq.heappop(self._waiting)
