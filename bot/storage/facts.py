"""Fact decks and fact-of-the-day records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.facts.deck import Deck
from bot.guild_settings import Setting
from bot.storage.database import Database

__all__ = ["DailyFactTarget", "DeckKey", "FactRepo"]

# (scope, topic): scope from deck_scope(), topic "" for all topics.
DeckKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class DailyFactTarget:
    guild_id: int
    channel_id: int
    hour: int
    last_posted_on: date | None


class FactRepo:
    """Stored decks (one per server or DM user, per topic) and the last daily post of each server."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def load_deck(self, scope: str, topic: str) -> Deck:
        row = await self._db.fetch_one(
            "SELECT drawn, last_id FROM fact_decks WHERE scope = ? AND topic = ?", (scope, topic)
        )
        if row is None:
            return Deck()
        return Deck(frozenset(json.loads(row["drawn"])), row["last_id"])

    async def save_decks(self, decks: Iterable[tuple[DeckKey, Deck]]) -> None:
        """Store these decks, all in one transaction."""
        await self._db.executemany(
            """INSERT INTO fact_decks (scope, topic, drawn, last_id) VALUES (?, ?, ?, ?)
               ON CONFLICT (scope, topic) DO UPDATE SET drawn = excluded.drawn, last_id = excluded.last_id""",
            # Sorted: two saves never wait on each other's rows.
            [(scope, topic, json.dumps(sorted(deck.drawn)), deck.last) for (scope, topic), deck in sorted(decks)],
        )

    async def daily_targets(self) -> list[DailyFactTarget]:
        """Return every server with the fact of the day on."""
        rows = await self._db.fetch_all(
            """SELECT c.guild_id, c.value AS channel_id, h.value AS hour, p.last_posted_on
               FROM guild_settings AS c
               JOIN guild_settings AS h ON h.guild_id = c.guild_id AND h.key = ?
               LEFT JOIN daily_fact_posts AS p ON p.guild_id = c.guild_id
               WHERE c.key = ? AND c.value IS NOT NULL AND h.value IS NOT NULL""",
            (Setting.DAILY_FACT_HOUR.value, Setting.DAILY_FACT_CHANNEL.value),
        )
        return [
            DailyFactTarget(
                int(r["guild_id"]),
                int(r["channel_id"]),
                int(r["hour"]),
                date.fromisoformat(r["last_posted_on"]) if r["last_posted_on"] else None,
            )
            for r in rows
        ]

    async def claim_daily_post(self, guild_id: int, day: date) -> bool:
        """Record that today's fact is being posted; False if it already was (exactly once a day)."""
        # One statement, so one winner however many processes claim at once: the others find the
        # row already dated today (PostgreSQL re-checks the WHERE on the row the winner wrote).
        changed = await self._db.execute(
            """INSERT INTO daily_fact_posts (guild_id, last_posted_on) VALUES (?, ?)
               ON CONFLICT (guild_id) DO UPDATE SET last_posted_on = excluded.last_posted_on
               WHERE daily_fact_posts.last_posted_on <> excluded.last_posted_on""",
            (guild_id, day.isoformat()),
        )
        return changed == 1

    async def release_daily_post(self, guild_id: int, day: date, previous: date | None) -> None:
        """Undo `claim_daily_post` for `day` after a failed post, so a later check retries."""
        if previous is None:
            await self._db.execute(
                "DELETE FROM daily_fact_posts WHERE guild_id = ? AND last_posted_on = ?", (guild_id, day.isoformat())
            )
        else:
            await self._db.execute(
                "UPDATE daily_fact_posts SET last_posted_on = ? WHERE guild_id = ? AND last_posted_on = ?",
                (previous.isoformat(), guild_id, day.isoformat()),
            )
