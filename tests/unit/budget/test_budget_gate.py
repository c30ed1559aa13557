"""The budget on the event loop: waiters are woken in priority order when their slot comes."""

from __future__ import annotations

import asyncio

from bot.budget import BudgetRules, Priority, RestBudget


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_requests_within_the_budget_go_at_once() -> None:
    budget = RestBudget(BudgetRules(limit=2, window=1.0), clock=FakeTime())
    assert await budget.acquire(Priority.ROUND)
    assert await budget.acquire(Priority.ROUTINE)


async def test_waiters_are_woken_by_priority_when_slots_free() -> None:
    time = FakeTime()
    budget = RestBudget(BudgetRules(limit=1, window=1.0), clock=time)
    await budget.acquire(Priority.ROUND)
    order: list[str] = []

    async def wait(name: str, priority: Priority) -> None:
        await budget.acquire(priority)
        order.append(name)

    tasks = [asyncio.create_task(wait("tidy", Priority.ROUTINE)), asyncio.create_task(wait("reveal", Priority.ROUND))]
    await asyncio.sleep(0)
    budget.pump()
    await asyncio.sleep(0)
    assert order == [], "no slot before the window has passed"
    time.now = 1.0
    budget.pump()
    await asyncio.sleep(0)
    assert order == ["reveal"]
    time.now = 2.0
    budget.pump()
    await asyncio.gather(*tasks)
    assert order == ["reveal", "tidy"]


async def test_a_droppable_request_is_refused_instead_of_waiting() -> None:
    budget = RestBudget(BudgetRules(limit=2, window=1.0, droppable_headroom=0.5), clock=FakeTime())
    assert await budget.acquire(Priority.DROPPABLE)
    assert not await budget.acquire(Priority.DROPPABLE)
    assert not budget.try_acquire()
    assert budget.try_acquire(Priority.ROUND)
    assert not budget.try_acquire(Priority.ROUND), "full"


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    time = FakeTime()
    budget = RestBudget(BudgetRules(limit=1, window=1.0), clock=time)
    await budget.acquire(Priority.ROUND)
    waiter = asyncio.create_task(budget.acquire(Priority.ROUND))
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert budget.rules.waiting == 0
    time.now = 1.0
    assert await budget.acquire(Priority.ROUND)


async def test_the_gate_wakes_waiters_on_its_own_timer() -> None:
    # Real time, a 20 ms window: only that the timer fires at all, never how fast.
    budget = RestBudget(BudgetRules(limit=1, window=0.02))
    await budget.acquire(Priority.ROUND)
    assert await asyncio.wait_for(budget.acquire(Priority.ROUND), 5.0)
