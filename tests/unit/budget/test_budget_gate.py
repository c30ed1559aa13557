"""The budget on the event loop: waiters are woken in priority order when their slot comes."""

from __future__ import annotations

import asyncio
import contextlib

from bot.budget import BudgetRules, Priority, RestBudget


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_requests_within_the_budget_go_at_once() -> None:
    budget = RestBudget(BudgetRules(limit=2, window=1.0), clock=FakeTime())
    async with budget.slot(Priority.ROUND) as granted, budget.slot(Priority.ROUTINE) as also:
        assert granted and also
        assert budget.rules.free(0.0) == 0


async def test_waiters_are_woken_by_priority_when_slots_free() -> None:
    time = FakeTime()
    budget = RestBudget(BudgetRules(limit=1, window=1.0), clock=time)
    order: list[str] = []

    async def request(name: str, priority: Priority) -> None:
        async with budget.slot(priority):
            order.append(name)

    await request("question", Priority.ROUND)  # done at 0.0: the slot frees at 1.0
    tasks = [asyncio.create_task(request("tidy", Priority.ROUTINE)),
             asyncio.create_task(request("reveal", Priority.ROUND))]
    await asyncio.sleep(0)
    budget.pump()
    await asyncio.sleep(0)
    assert order == ["question"], "no slot before the window has passed"
    time.now = 1.0
    budget.pump()
    await asyncio.sleep(0)
    assert order == ["question", "reveal"]
    time.now = 2.0
    budget.pump()
    await asyncio.gather(*tasks)
    assert order == ["question", "reveal", "tidy"]


async def test_a_droppable_request_is_refused_instead_of_waiting() -> None:
    budget = RestBudget(BudgetRules(limit=2, window=1.0, droppable_headroom=0.5), clock=FakeTime())
    async with budget.slot(Priority.DROPPABLE) as first, budget.slot(Priority.DROPPABLE) as second:
        assert first and not second


async def test_a_slot_is_released_when_its_request_fails() -> None:
    time = FakeTime()
    budget = RestBudget(BudgetRules(limit=1, window=1.0), clock=time)
    with contextlib.suppress(RuntimeError):
        async with budget.slot(Priority.ROUND):
            raise RuntimeError("Discord said no")
    time.now = 1.0
    assert budget.rules.free(time.now) == 1


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    time = FakeTime()
    budget = RestBudget(BudgetRules(limit=1, window=1.0), clock=time)
    async with budget.slot(Priority.ROUND):
        waiter = asyncio.create_task(budget.slot(Priority.ROUND).__aenter__())
        await asyncio.sleep(0)
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        assert budget.rules.waiting == 0
    time.now = 1.0
    async with budget.slot(Priority.ROUND) as granted:
        assert granted


async def test_the_gate_wakes_waiters_on_its_own_timer() -> None:
    # Real time, a 20 ms window: only that the timer fires at all, never how fast.
    budget = RestBudget(BudgetRules(limit=1, window=0.02))
    async with budget.slot(Priority.ROUND):
        pass

    async def second() -> bool:
        async with budget.slot(Priority.ROUND) as granted:
            return granted

    assert await asyncio.wait_for(second(), 5.0)
