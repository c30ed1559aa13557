"""One server's content: the shipped packs it left on, plus its own packs, minus what it hid (pure)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from bot.content import ContentStore, Pack

__all__ = ["compose_content"]


def compose_content(
    shipped: Sequence[Pack],
    server: Sequence[Pack],
    disabled: Collection[str],
    hidden_facts: Collection[str],
    hidden_questions: Collection[str],
) -> ContentStore:
    """The store a server plays from. The packs are already checked, together with the shipped ones.

    A shipped question whose fact is in a shipped pack the server switched off cannot be asked
    (its topics and source are its fact's), so it goes with that pack. A server pack's questions
    only test its own facts (the upload's rule), so switching a pack off never strands another's.
    """
    packs = [pack for pack in (*shipped, *server) if pack.id not in disabled]
    fact_ids = {fact.id for pack in packs for fact in pack.facts}
    kept = []
    for pack in packs:
        questions = tuple(q for q in pack.questions if q.fact_id is None or q.fact_id in fact_ids)
        kept.append(pack if len(questions) == len(pack.questions) else replace(pack, questions=questions))
    return ContentStore(kept, hidden_facts=frozenset(hidden_facts), hidden_questions=frozenset(hidden_questions))
