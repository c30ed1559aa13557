"""wait_for_event: set, timed out, and a cancel that arrives as the event is set is never lost."""

import asyncio

import pytest

from bot.waiting import wait_for_event


async def test_it_returns_whether_the_event_was_set() -> None:
    event = asyncio.Event()
    assert await wait_for_event(event, 0.01) is False
    asyncio.get_running_loop().call_soon(event.set)
    assert await wait_for_event(event, 5) is True


async def test_a_cancel_as_the_event_is_set_still_cancels() -> None:
    # The race asyncio.wait_for loses on Python 3.11: the event is set and the waiting task is
    # cancelled in the same turn of the loop. A loop that waits again must still end.
    event = asyncio.Event()
    turns = 0

    async def loop_forever() -> None:
        nonlocal turns
        while True:
            await wait_for_event(event, 60)
            turns += 1
            event.clear()

    task = asyncio.create_task(loop_forever())
    await asyncio.sleep(0)  # let it start waiting
    event.set()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)
