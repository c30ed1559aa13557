"""Waiting for an event with a timeout, without losing a cancel. Pure: no Discord."""

from __future__ import annotations

import asyncio

__all__ = ["wait_for_event"]


async def wait_for_event(event: asyncio.Event, timeout: float) -> bool:
    """Wait until `event` is set or `timeout` seconds pass; return whether it is set.

    `asyncio.wait_for(event.wait(), timeout)` on Python 3.11 swallows a cancel that arrives just as
    the event is set: the cancelled task runs on, and whoever awaits it (a cog unloading at
    shutdown) waits for its next timeout, or forever. `asyncio.wait` never swallows a cancel.
    """
    if event.is_set():
        return True
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({waiter}, timeout=timeout)
    finally:
        waiter.cancel()
    return event.is_set()
