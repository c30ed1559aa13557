"""The packs shipped in bot/seeds/ must load cleanly: the bot refuses to start otherwise."""

from __future__ import annotations

import random

from bot.content import DEFAULT_CONTENT_PATH, lint_packs, load_packs


def test_default_content_path_is_the_seeds_folder_inside_the_package() -> None:
    assert DEFAULT_CONTENT_PATH.name == "seeds"
    assert (DEFAULT_CONTENT_PATH.parent / "content" / "loader.py").is_file()
    assert sorted(DEFAULT_CONTENT_PATH.glob("*.toml"))


def test_shipped_packs_load_without_issues() -> None:
    result = load_packs(DEFAULT_CONTENT_PATH)
    assert [str(issue) for issue in result.issues] == []
    assert result.packs


def test_shipped_packs_have_no_lint_warning() -> None:
    # What `check-content --strict` checks without the source articles, which are not in this
    # repository (CI adds --sources where they are: see .ci/run).
    result = load_packs(DEFAULT_CONTENT_PATH)
    assert [str(issue) for issue in lint_packs(result.packs)] == []


def test_every_shipped_question_can_be_answered() -> None:
    result = load_packs(DEFAULT_CONTENT_PATH)
    questions = [question for pack in result.packs for question in pack.questions]
    assert questions
    rng = random.Random(0)
    for question in questions:
        options, correct = question.presented_options(rng)
        assert question.answer in question.options, question.id
        assert options[correct] == question.answer, question.id


def test_every_shipped_fact_cites_a_source_of_its_pack() -> None:
    result = load_packs(DEFAULT_CONTENT_PATH)
    assert result.packs
    for pack in result.packs:
        declared = {source.file for source in pack.sources}
        assert pack.facts, pack.id
        for fact in pack.facts:
            assert fact.sources, fact.id
            assert set(fact.sources) <= declared, fact.id
