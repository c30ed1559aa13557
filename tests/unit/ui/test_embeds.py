"""Every embed builder, fed the longest content the packs and Discord allow, stays within Discord's limits.

Discord refuses a whole message when one embed part is too long, so each builder clips; these
tests fill every input to its maximum and check each limit and the 6,000-character total.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest

from bot.content import ContentStore, EntryKind
from bot.content.model import Fact, Pack, Question, Source
from bot.guild_settings import ChangeRecord, FactScope, GuildSettings, Setting
from bot.packs.limits import MAX_PACKS
from bot.periods import Period
from bot.quiz import AskedQuestion, PlayerAnswer, PlayerStats, QuestionResult, Standing
from bot.reports import Reason, ReportSummary
from bot.ui import limits
from bot.ui.config import settings_embed
from bot.ui.facts import fact_embed
from bot.ui.help import about_embed
from bot.ui.leaderboard import PAGE_SIZE, leaderboard_embed, rank_embed
from bot.ui.packs import PackLine, pack_list_embed
from bot.ui.quiz import question_embed, reveal_embed, standings_embed
from bot.ui.reports import PAGE_SIZE as REPORTS_PAGE_SIZE
from bot.ui.reports import reports_embed

# The longest of each thing: the content format's field limits, Discord's 32-character names.
NAME = "W" * 32
MARKDOWN_NAME = "*_`|~>" * 6  # escaping doubles it
PROMPT, ANSWER, EXPLANATION, FACT_TEXT, CONTESTED, HEADLINE = 300, 80, 300, 1000, 500, 200


def within_limits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    title, description = data.get("title", ""), data.get("description", "")
    footer = data.get("footer", {}).get("text", "")
    fields = data.get("fields", [])
    assert len(title) <= limits.EMBED_TITLE
    assert len(description) <= limits.EMBED_DESCRIPTION
    assert len(footer) <= limits.EMBED_FOOTER
    assert len(fields) <= limits.EMBED_FIELDS
    for field in fields:
        assert 0 < len(field["name"]) <= limits.EMBED_FIELD_NAME
        assert 0 < len(field["value"]) <= limits.EMBED_FIELD_VALUE
    total = len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= limits.EMBED_TOTAL


def longest_store() -> ContentStore:
    sources = tuple(Source(f"article-{i}.txt", "H" * HEADLINE) for i in range(20))
    fact = Fact(
        id="f" * 60,
        text="T" * FACT_TEXT,
        topics=tuple(f"{'t' * 28}-{i}" for i in range(5)),
        sources=tuple(s.file for s in sources),
        contested="C" * CONTESTED,
        pack_id="p",
    )
    question = Question(
        id="q" * 60, fact_id=fact.id, prompt="P" * PROMPT, answer="A" * ANSWER, wrong=("B" * ANSWER,) * 3,
        explanation="E" * EXPLANATION, difficulty="hard", about_dispute=False, pack_id="p",
    )
    return ContentStore([Pack("p", "Pack", None, Path("p.toml"), sources, (fact,), (question,))])


def asked() -> AskedQuestion:
    return AskedQuestion("q", "P" * PROMPT, ("A" * ANSWER, "B" * ANSWER, "C" * ANSWER, "D" * ANSWER), 0,
                         "E" * EXPLANATION, "f")


def standing(rank: int, name: str = NAME) -> Standing:
    return Standing(rank=rank, user_id=rank, display_name=name, points=10**9, correct=10**6, answered=10**6)


def test_a_fact_with_every_field_at_its_longest() -> None:
    store = longest_store()
    within_limits(fact_embed(store.facts[0], store))


@pytest.mark.parametrize("name", [NAME, MARKDOWN_NAME])
def test_a_question_its_reveal_with_a_crowd_and_the_standings(name: str) -> None:
    question = asked()
    within_limits(question_embed(question, 20, 20, 2**31, answers_so_far=10**6))
    answers = tuple(
        PlayerAnswer(i, name, 0, True, 0.5, 10**6, 50, 50, 20, 10**9) for i in range(2_000)
    )
    result = QuestionResult(1, 19, question, 0.0, 20.0, (2_000, 0, 0, 0), answers,
                            tuple(standing(i, name) for i in range(2_000)), True)
    within_limits(reveal_embed(result, 20, "Sources: " + " · ".join(["H" * HEADLINE] * 20)))
    within_limits(standings_embed([standing(i, name) for i in range(2_000)], title="Final standings",
                                  note="N" * 500))


def test_a_full_leaderboard_page_with_the_caller_below_it() -> None:
    rows = [standing(i) for i in range(1, PAGE_SIZE + 1)]
    embed = leaderboard_embed("G" * 100, Period.MONTH, rows, page=9_999, pages=10_000, caller=standing(99_999),
                              caller_id=99_999, has_rounds=True)
    within_limits(embed)
    stats = PlayerStats(NAME, 10**9, 10**6, 10**6, 10**6, 10**6)
    within_limits(rank_embed(MARKDOWN_NAME, stats, standing(99_999), standing(99_999)))


def test_settings_with_every_setting_changed_and_many_problems() -> None:
    settings = GuildSettings(2**63, 20, 60, 20, 2**63, 23, FactScope.BOT_CHANNEL)
    records = {setting: ChangeRecord(2**63, datetime(2026, 11, 22, tzinfo=UTC)) for setting in Setting}
    within_limits(settings_embed(settings, records, ["P" * 300] * 50))


def test_about_with_the_largest_content() -> None:
    within_limits(about_embed("10.20.30", longest_store(), 9_999.0))


def test_a_page_of_reports_with_the_longest_everything() -> None:
    notes = ("*_`|~>" * 50,) * 3  # notes of 300 characters, all markdown
    summaries = [
        ReportSummary(EntryKind.QUESTION, f"{i}" + "q" * 59, "p" * 40, dict.fromkeys(Reason, 9999), 1e10, notes)
        for i in range(REPORTS_PAGE_SIZE)
    ]
    texts = {(s.kind, s.entry_id): "*" * FACT_TEXT for s in summaries}
    embed = reports_embed("G" * 100, summaries, texts, page=99_999, pages=100_000, total=10**6,
                          note="Dismissed 9999 reports of question `" + "q" * 60 + "`.")
    within_limits(embed)
    assert len(embed.fields) == REPORTS_PAGE_SIZE
    within_limits(reports_embed(NAME, [], {}, page=0, pages=1, total=0))


TITLE = (MARKDOWN_NAME * 3)[:100]  # a pack title at its longest, all markdown


def test_the_most_packs_with_the_longest_ids_and_titles_all_show() -> None:
    shipped = [PackLine(f"{i}" + "s" * 39, TITLE, 500, 500, False) for i in range(5)]
    server = [
        PackLine(f"{i:02}" + "p" * 38, TITLE, 500, 500, False, 10**19, datetime(2026, 1, 1, tzinfo=UTC), 999)
        for i in range(MAX_PACKS)
    ]
    embed = pack_list_embed(shipped, server)
    within_limits(embed)
    description = embed.description or ""
    for line in (*shipped, *server):
        assert f"`{line.pack_id}`" in description  # every pack is listed, none cut off at the end
    assert description.count("500 facts, 500 questions") == len(shipped) + len(server)
    assert description.count(f"<@{10**19}>") == MAX_PACKS
    # Short titles are shown whole.
    whole = pack_list_embed(shipped[:1], [PackLine("fan-pack", "Fan *pack*", 1, 1, True)]).description or ""
    assert "`fan-pack`: Fan \\*pack\\* (1 facts, 1 questions; on)" in whole
