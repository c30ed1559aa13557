"""The fact dealer: draws from decks kept in memory, saved behind in batches."""

from __future__ import annotations

import asyncio
import logging
import random

import pytest

from bot.content import ContentStore
from bot.facts.dealer import FactDealer
from bot.facts.deck import Deck
from bot.host_config import DEFAULT_CONTENT_PATH
from bot.storage.facts import FactRepo

CONTENT = ContentStore.load(DEFAULT_CONTENT_PATH)
SAVE_DELAY = 0.3  # long enough that a few draws surely come before it, even on a busy machine


class CountingRepo(FactRepo):
    """The real repository, counting the saves and failing the next `fail` of them."""

    def __init__(self, db) -> None:
        super().__init__(db)
        self.saves: list[int] = []
        self.fail = 0

    async def save_decks(self, decks) -> None:
        decks = list(decks)
        if self.fail:
            self.fail -= 1
            raise OSError("disk full")
        await super().save_decks(decks)
        self.saves.append(len(decks))


def dealer_for(repo: FactRepo, seed: int = 1) -> FactDealer:
    return FactDealer(CONTENT, repo, random.Random(seed), save_delay=SAVE_DELAY)


async def settle(dealer: FactDealer) -> None:
    for _ in range(100):
        if not dealer.unsaved:
            return
        await asyncio.sleep(SAVE_DELAY / 3)
    raise AssertionError("the decks were never saved")


class BlockedRepo(CountingRepo):
    """Saves wait at a gate until the test opens it; `failing` makes the blocked save fail."""

    def __init__(self, db) -> None:
        super().__init__(db)
        self.started = asyncio.Event()
        self.gate = asyncio.Event()
        self.attempts = 0

    async def save_decks(self, decks) -> None:
        decks = list(decks)
        self.attempts += 1
        self.started.set()
        await self.gate.wait()
        await super().save_decks(decks)


def held_dealer(repo: FactRepo) -> FactDealer:
    """A dealer that never saves behind by itself: the test calls save() and close()."""
    return FactDealer(CONTENT, repo, random.Random(1), save_delay=3600)


async def test_draws_are_saved_behind_in_one_write(db) -> None:
    repo = CountingRepo(db)
    dealer = dealer_for(repo)
    first = [(await dealer.next_fact("guild:1")).id for _ in range(3)]
    await dealer.next_fact("guild:2")
    await dealer.next_fact("guild:1", "filming")
    assert repo.saves == [] and dealer.unsaved == 3, "nothing is written on the draw itself"
    assert await repo.load_deck("guild:1", "") == Deck()
    await settle(dealer)
    assert repo.saves == [3], "three decks, one transaction"
    stored = await repo.load_deck("guild:1", "")
    assert stored == Deck(frozenset(first), first[-1])
    assert (await repo.load_deck("guild:1", "filming")).drawn


async def test_a_fresh_dealer_continues_the_saved_deck(db) -> None:
    dealer = dealer_for(FactRepo(db))
    seen = [(await dealer.next_fact("guild:1")).id for _ in range(10)]
    await dealer.close()
    later = dealer_for(FactRepo(db), seed=2)
    seen += [(await later.next_fact("guild:1")).id for _ in range(len(CONTENT.facts) - 10)]
    assert sorted(seen) == sorted(f.id for f in CONTENT.facts)
    await later.close()


async def test_close_saves_at_once_and_stops_saving_behind(db) -> None:
    repo = CountingRepo(db)
    dealer = held_dealer(repo)
    fact = await dealer.next_fact("user:5")
    await dealer.close()
    assert repo.saves == [1]
    assert (await repo.load_deck("user:5", "")).last == fact.id
    await dealer.next_fact("user:5")  # a call still under way at close gets its fact, saved at once
    assert repo.saves == [1, 1] and dealer.unsaved == 0


async def test_a_deck_that_left_the_cache_unsaved_is_not_read_back_stale(db) -> None:
    repo = CountingRepo(db)
    dealer = held_dealer(repo)
    dealer.CACHED_DECKS = 1
    seen = [(await dealer.next_fact("guild:1")).id for _ in range(5)]
    await dealer.next_fact("guild:2")  # pushes guild:1 out of the cache before any save
    seen += [(await dealer.next_fact("guild:1")).id for _ in range(len(CONTENT.facts) - 5)]
    assert sorted(seen) == sorted(f.id for f in CONTENT.facts)
    await dealer.close()


async def test_a_failed_save_keeps_the_decks_and_the_next_draw_tries_again(db, caplog) -> None:
    repo = CountingRepo(db)
    repo.fail = 1
    dealer = dealer_for(repo)
    first = await dealer.next_fact("guild:1")
    with caplog.at_level(logging.ERROR, logger="bot.facts.dealer"):
        for _ in range(100):
            if "could not save 1 fact decks" in caplog.text:
                break
            await asyncio.sleep(SAVE_DELAY / 2)
    assert "could not save 1 fact decks" in caplog.text
    assert dealer.unsaved == 1 and repo.saves == []
    second = await dealer.next_fact("guild:1")
    await settle(dealer)
    assert repo.saves == [1]
    assert await repo.load_deck("guild:1", "") == Deck(frozenset({first.id, second.id}), second.id)
    await dealer.close()


async def test_draws_made_during_a_save_are_saved_by_the_next_one(db) -> None:
    repo = BlockedRepo(db)
    dealer = dealer_for(repo)
    await dealer.next_fact("guild:1")
    await repo.started.wait()  # the first save is now held at the gate
    late = await dealer.next_fact("guild:2")
    repo.gate.set()
    await settle(dealer)
    assert repo.saves == [1, 1]
    assert (await repo.load_deck("guild:2", "")).last == late.id
    await dealer.close()


async def test_a_deck_pushed_out_of_the_cache_while_it_is_being_saved_is_not_read_back_stale(db) -> None:
    repo = BlockedRepo(db)
    dealer = held_dealer(repo)
    dealer.CACHED_DECKS = 1
    seen = [(await dealer.next_fact("guild:1")).id for _ in range(5)]
    saving = asyncio.create_task(dealer.save())
    await repo.started.wait()
    await dealer.next_fact("guild:2")  # guild:1 is now only in the batch being written
    seen += [(await dealer.next_fact("guild:1")).id for _ in range(len(CONTENT.facts) - 5)]
    assert sorted(seen) == sorted(f.id for f in CONTENT.facts)
    repo.gate.set()
    await saving
    await dealer.close()


async def test_a_failed_save_does_not_overwrite_a_draw_made_while_it_ran(db) -> None:
    repo = BlockedRepo(db)
    repo.fail = 1  # the held save fails once the gate opens
    dealer = held_dealer(repo)
    await dealer.next_fact("guild:1")
    saving = asyncio.create_task(dealer.save())
    await repo.started.wait()
    newer = await dealer.next_fact("guild:1")
    repo.gate.set()
    with pytest.raises(OSError):
        await saving
    await dealer.close()
    assert (await repo.load_deck("guild:1", "")).last == newer.id


async def test_close_lets_a_save_in_progress_finish_instead_of_throwing_it_away(db) -> None:
    repo = BlockedRepo(db)
    dealer = dealer_for(repo)
    await dealer.next_fact("guild:1")
    await repo.started.wait()
    closing = asyncio.create_task(dealer.close())
    await asyncio.sleep(0)
    repo.gate.set()
    await closing
    assert repo.attempts == 1 and repo.saves == [1], "written once, not cancelled and written again"
    assert dealer.unsaved == 0
