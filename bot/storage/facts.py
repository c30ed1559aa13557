"""Fact decks and fact-of-the-day records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from bot.facts.daily import DailyFactTarget, DailyState
from bot.facts.deck import Deck
from bot.guild_settings import Setting, parse_setting
from bot.storage.database import Database

__all__ = ["DailyFactTarget", "DailyState", "DeckKey", "FactRepo"]

# (scope, topic): scope from deck_scope(), topic "" for all topics.
DeckKey = tuple[str, str]


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
        """Return every server with the fact of the day on (a valid channel and hour)."""
        rows = await self._db.fetch_all(
            """SELECT c.guild_id, c.value AS channel_id, h.value AS hour, p.last_posted_on, p.state, p.fact_id
               FROM guild_settings AS c
               JOIN guild_settings AS h ON h.guild_id = c.guild_id AND h.key = ?
               LEFT JOIN daily_fact_posts AS p ON p.guild_id = c.guild_id
               WHERE c.key = ? AND c.value IS NOT NULL AND h.value IS NOT NULL""",
            (Setting.DAILY_FACT_HOUR.value, Setting.DAILY_FACT_CHANNEL.value),
        )
        targets = []
        for r in rows:
            # Validated on read too: a value stored by an older version, or by hand, must not
            # break the loop for every server (it is skipped, and the others still post).
            channel_id, hour = parse_setting(Setting.DAILY_FACT_CHANNEL, r["channel_id"]), parse_setting(
                Setting.DAILY_FACT_HOUR, r["hour"]
            )
            if not isinstance(channel_id, int) or not isinstance(hour, int):
                continue
            day = date.fromisoformat(r["last_posted_on"]) if r["last_posted_on"] else None
            state = DailyState(r["state"]) if r["state"] else DailyState.POSTED
            targets.append(DailyFactTarget(int(r["guild_id"]), channel_id, hour, day, state, r["fact_id"]))
        return targets

    async def claim_daily_post(self, guild_id: int, day: date, fact_id: str) -> bool:
        """Claim `day`'s post with its fact, pending; False if that day was claimed already."""
        # One statement, so one winner however many processes claim at once: the others find the
        # row already dated today (PostgreSQL re-checks the WHERE on the row the winner wrote).
        changed = await self._db.execute(
            """INSERT INTO daily_fact_posts (guild_id, last_posted_on, state, fact_id) VALUES (?, ?, ?, ?)
               ON CONFLICT (guild_id) DO UPDATE SET
                   last_posted_on = excluded.last_posted_on, state = excluded.state, fact_id = excluded.fact_id
               WHERE daily_fact_posts.last_posted_on <> excluded.last_posted_on""",
            (guild_id, day.isoformat(), DailyState.PENDING.value, fact_id),
        )
        return changed == 1

    async def repick_daily_post(self, guild_id: int, day: date, fact_id: str) -> None:
        """Give `day`'s pending claim another fact (its own left the content before it was posted)."""
        await self._db.execute(
            "UPDATE daily_fact_posts SET fact_id = ? WHERE guild_id = ? AND last_posted_on = ? AND state = ?",
            (fact_id, guild_id, day.isoformat(), DailyState.PENDING.value),
        )

    async def finish_daily_post(self, guild_id: int, day: date, state: DailyState) -> None:
        """Record how `day`'s claimed post ended (posted or refused): no check posts it again."""
        await self._db.execute(
            "UPDATE daily_fact_posts SET state = ? WHERE guild_id = ? AND last_posted_on = ?",
            (state.value, guild_id, day.isoformat()),
        )
