"""Deal facts from stored decks, one draw at a time per deck."""

from __future__ import annotations

import asyncio
import random
from collections import OrderedDict, defaultdict

from bot.content import ContentStore, Fact
from bot.facts.deck import Deck, draw
from bot.storage.facts import FactRepo

__all__ = ["FactDealer", "deck_scope"]


def deck_scope(guild_id: int | None, user_id: int) -> str:
    """Return the deck's owner: the server, or the user in direct messages."""
    return f"guild:{guild_id}" if guild_id is not None else f"user:{user_id}"


class FactDealer:
    """Draw the next fact for a server (or DM user), optionally within one topic.

    Decks are read from the database once and then kept in memory (the most recently used
    CACHED_DECKS of them), so a draw costs one write, not a read and a write. The draw itself
    never awaits, so two /fact calls in one server cannot both draw the same fact, and saves reach
    the database's write lock in the order of the draws.
    """

    CACHED_DECKS = 10_000

    def __init__(self, content: ContentStore, repo: FactRepo, rng: random.Random | None = None) -> None:
        self._content = content
        self._repo = repo
        self._rng = rng or random.Random()
        self._decks: OrderedDict[tuple[str, str], Deck] = OrderedDict()
        # Only for the first read of a deck: two calls must not both load it and lose a draw.
        self._loading: defaultdict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)

    async def next_fact(self, scope: str, topic: str | None = None) -> Fact:
        key = (scope, topic or "")
        deck = self._decks.get(key)
        if deck is None:
            async with self._loading[key]:
                deck = self._decks.get(key)
                if deck is None:
                    deck = await self._repo.load_deck(*key)
            self._loading.pop(key, None)
        fact_id, deck = draw(deck, self._content.fact_ids(topic), self._rng)
        self._remember(key, deck)
        await self._repo.save_deck(*key, deck)
        return self._content.fact(fact_id)

    def _remember(self, key: tuple[str, str], deck: Deck) -> None:
        self._decks[key] = deck
        self._decks.move_to_end(key)
        if len(self._decks) > self.CACHED_DECKS:
            self._decks.popitem(last=False)
