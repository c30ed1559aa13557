"""Deal facts from stored decks, one draw at a time per deck."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict

from bot.content import ContentStore, Fact
from bot.facts.deck import draw
from bot.storage.facts import FactRepo

__all__ = ["FactDealer", "deck_scope"]


def deck_scope(guild_id: int | None, user_id: int) -> str:
    """Return the deck's owner: the server, or the user in direct messages."""
    return f"guild:{guild_id}" if guild_id is not None else f"user:{user_id}"


class FactDealer:
    """Draw the next fact for a server (or DM user), optionally within one topic."""

    def __init__(self, content: ContentStore, repo: FactRepo, rng: random.Random | None = None) -> None:
        self._content = content
        self._repo = repo
        self._rng = rng or random.Random()
        # Two /fact calls in one server at once must not both draw the same fact.
        self._locks: defaultdict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)

    async def next_fact(self, scope: str, topic: str | None = None) -> Fact:
        key = (scope, topic or "")
        async with self._locks[key]:
            deck = await self._repo.load_deck(*key)
            fact_id, deck = draw(deck, self._content.fact_ids(topic), self._rng)
            await self._repo.save_deck(*key, deck)
        return self._content.fact(fact_id)
