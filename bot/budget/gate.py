"""The REST budget on the event loop: callers wait for their slot, by priority.

No discord here: the gate only decides when a request may go; the caller makes it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.budget.rules import BudgetRules, Priority, Ticket

__all__ = ["RestBudget"]


class RestBudget:
    """One budget for every REST call the bot makes on its own, shared by all its rounds."""

    def __init__(self, rules: BudgetRules | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = rules or BudgetRules()
        self._clock = clock
        self._waiters: dict[int, tuple[Ticket, asyncio.Future[None]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def try_acquire(self, priority: Priority = Priority.DROPPABLE) -> bool:
        """Take a slot only if one is free now and nobody waits; never queues."""
        if priority is Priority.DROPPABLE:
            return self.rules.request(priority, self._clock()) is not None
        if self.rules.waiting or self.rules.free(self._clock()) <= 0:
            return False
        ticket = self.rules.request(priority, self._clock())
        return ticket is not None and ticket.granted

    async def acquire(self, priority: Priority) -> bool:
        """Wait for a slot; False only for a droppable request the budget is too short for."""
        ticket = self.rules.request(priority, self._clock())
        if ticket is None:
            return False
        if ticket.granted:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[ticket.sequence] = (ticket, future)
        self._schedule()
        try:
            await future
        except asyncio.CancelledError:
            self.rules.withdraw(ticket)
            self._waiters.pop(ticket.sequence, None)
            raise
        return True

    def pump(self) -> None:
        """Wake every waiter whose slot has come, and set the timer for the next one."""
        self._timer = None
        for ticket in self.rules.grant_due(self._clock()):
            _, future = self._waiters.pop(ticket.sequence)
            if not future.done():
                future.set_result(None)
        self._schedule()

    def _schedule(self) -> None:
        now = self._clock()
        at = self.rules.next_grant_at(now)
        if at is None or self._timer is not None:
            return
        self._timer = asyncio.get_running_loop().call_later(max(0.0, at - now), self.pump)
