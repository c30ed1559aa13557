"""The REST budget on the event loop: callers wait for their slot, by priority, and hold it
while their request is on its way.

No discord here: the gate only decides when a request may go; the caller makes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from bot.budget.rules import BudgetRules, Priority, Ticket

__all__ = ["RestBudget"]


class RestBudget:
    """One budget for every REST call the bot makes on its own, shared by all its rounds.

        async with budget.slot(Priority.ROUND):
            await channel.send(...)
    """

    def __init__(self, rules: BudgetRules | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = rules or BudgetRules()
        self._clock = clock
        self._waiters: dict[int, tuple[Ticket, asyncio.Future[None]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    @contextlib.asynccontextmanager
    async def slot(self, priority: Priority) -> AsyncIterator[bool]:
        """Wait for a slot and hold it for the block; False (at once) for a droppable request the
        budget is too short for: the block then must not make its request."""
        ticket = await self._acquire(priority)
        try:
            yield ticket is not None
        finally:
            if ticket is not None:
                self.rules.release(ticket, self._clock())
                self.pump()

    async def _acquire(self, priority: Priority) -> Ticket | None:
        ticket = self.rules.request(priority, self._clock())
        if ticket is None or ticket.granted:
            return ticket
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[ticket.sequence] = (ticket, future)
        self._schedule()
        try:
            await future
        except asyncio.CancelledError:
            if ticket.granted:  # granted just as the caller gave up
                self.rules.release(ticket, self._clock())
            else:
                self.rules.withdraw(ticket)
            self._waiters.pop(ticket.sequence, None)
            raise
        return ticket

    def pump(self) -> None:
        """Wake every waiter whose slot has come, and set the timer for the next one."""
        if self._timer is not None:
            self._timer.cancel()
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
