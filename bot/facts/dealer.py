"""Deal facts from stored decks, one draw at a time per deck, and save the decks behind."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import OrderedDict, defaultdict

from bot.content import ContentStore, Fact
from bot.facts.deck import Deck, draw
from bot.storage.database import DatabaseUnavailable
from bot.storage.facts import DeckKey, FactRepo
from bot.waiting import wait_for_event

__all__ = ["FactDealer", "deck_scope"]

log = logging.getLogger(__name__)


def deck_scope(guild_id: int | None, user_id: int) -> str:
    """Return the deck's owner: the server, or the user in direct messages."""
    return f"guild:{guild_id}" if guild_id is not None else f"user:{user_id}"


class FactDealer:
    """Draw the next fact for a server (or DM user), optionally within one topic.

    Decks are read from the database once and then kept in memory (the most recently used
    CACHED_DECKS of them). The draw itself never awaits, so two /fact calls in one server cannot
    both draw the same fact.

    Decks are saved behind, not on every draw: a draw marks its deck unsaved, and SAVE_DELAY
    seconds later every unsaved deck is written in one transaction. At 500 calls a second a write
    per call was a sixth of the bot's CPU (a trip to the database thread and a commit each), and
    a server's deck is rewritten at most once per save however many facts it draws. A crash can
    lose the draws of the last SAVE_DELAY seconds; that only lets those facts come round again
    early (decks are not scores). `close()` saves the rest, at shutdown and restart.
    """

    CACHED_DECKS = 10_000
    SAVE_DELAY = 1.0

    def __init__(
        self,
        content: ContentStore,
        repo: FactRepo,
        rng: random.Random | None = None,
        *,
        save_delay: float = SAVE_DELAY,
    ) -> None:
        self._content = content
        self._repo = repo
        self._rng = rng or random.Random()
        self._save_delay = save_delay
        self._decks: OrderedDict[DeckKey, Deck] = OrderedDict()
        # Drawn from since the last save. Checked before the database on a cache miss, so a deck
        # that left the cache before its save is not read back stale.
        self._unsaved: dict[DeckKey, Deck] = {}
        self._saving: dict[DeckKey, Deck] = {}  # being written right now
        self._saver: asyncio.Task[None] | None = None
        self._save_lock = asyncio.Lock()  # one save at a time: each owns `_saving` while it runs
        self._closing = asyncio.Event()
        # Only for the first read of a deck: two calls must not both load it and lose a draw.
        self._loading: defaultdict[DeckKey, asyncio.Lock] = defaultdict(asyncio.Lock)

    def fact(self, fact_id: str, content: ContentStore | None = None) -> Fact | None:
        """The fact with this id in `content` (default: the dealer's), or None if it no longer has it
        or a moderator hid it since (a pending fact of the day is then drawn again)."""
        content = content or self._content
        return content.fact(fact_id) if content.shows_fact(fact_id) else None

    async def next_fact(
        self, scope: str, topic: str | None = None, content: ContentStore | None = None
    ) -> Fact | None:
        """Draw the scope's next fact (within `topic`) from `content`, the scope's own (default: the
        dealer's); None when there is no fact to draw. A fact new to the content is not in the deck's
        drawn set, so it comes before any repeat."""
        content = content or self._content
        pool = content.fact_ids(topic)
        if not pool:
            return None
        key = (scope, topic or "")
        deck = self._in_memory(key)
        if deck is None:
            async with self._loading[key]:
                deck = self._in_memory(key)
                if deck is None:
                    deck = await self._repo.load_deck(*key)
            self._loading.pop(key, None)
        fact_id, deck = draw(deck, pool, self._rng)
        self._remember(key, deck)
        self._unsaved[key] = deck
        if self._closing.is_set():
            # A call that was already under way when the cog closed: nothing saves behind any more.
            await self.save()
        elif self._saver is None or self._saver.done():
            self._saver = asyncio.create_task(self._save_behind(), name="fact-decks-save")
        return content.fact(fact_id)

    @property
    def unsaved(self) -> int:
        """How many decks have draws not yet in the database."""
        return len(self._unsaved.keys() | self._saving.keys())

    async def save(self) -> None:
        """Write every deck drawn from since the last save, in one transaction."""
        async with self._save_lock:
            if not self._unsaved:
                return
            batch, self._unsaved = self._unsaved, {}
            self._saving = batch
            try:
                await self._repo.save_decks(batch.items())
            except BaseException:
                # Not written: keep them for the next save, but a draw made meanwhile is newer.
                self._unsaved = batch | self._unsaved
                raise
            finally:
                self._saving = {}

    async def close(self) -> None:
        """Save what is unsaved and stop saving behind (the database is about to close)."""
        self._closing.set()  # wakes a waiting saver, which then returns without saving
        saver, self._saver = self._saver, None
        if saver is not None:
            await asyncio.wait({saver})  # a save already writing is let finish, not thrown away
        await self.save()

    async def _save_behind(self) -> None:
        # Draws made while a save is running are picked up by the next turn of the loop.
        while self._unsaved:
            await wait_for_event(self._closing, self._save_delay)
            if self._closing.is_set():
                return  # close() saves
            try:
                await self.save()
            except DatabaseUnavailable as error:
                log.warning("could not save %d fact decks (%s); trying again after the next draw", self.unsaved, error)
                return
            except Exception:
                # The decks stay unsaved in memory; the next draw starts another try.
                log.exception("could not save %d fact decks; trying again after the next draw", self.unsaved)
                return

    def _in_memory(self, key: DeckKey) -> Deck | None:
        for decks in (self._decks, self._unsaved, self._saving):
            deck = decks.get(key)
            if deck is not None:
                return deck
        return None

    def _remember(self, key: DeckKey, deck: Deck) -> None:
        self._decks[key] = deck
        self._decks.move_to_end(key)
        if len(self._decks) > self.CACHED_DECKS:
            self._decks.popitem(last=False)
