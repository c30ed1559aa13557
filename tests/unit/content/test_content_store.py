"""The content store: look-ups by id and topic, counts, and failing loudly on bad content."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.content import ContentCounts, ContentError, ContentStore, Source, TopicCount, load_packs

from .packs import Doc, valid_pack, write_packs


def second_pack() -> Doc:
    """A pack sharing a source with valid_pack() and adding a topic."""
    doc = valid_pack()
    doc["pack"].update(id="more", title="More")
    doc["sources"] = doc["sources"][:1]
    doc["facts"] = [
        {"id": "dundie", "text": "A Dundie fact.", "topics": ["awards"], "sources": ["000_a.txt"]},
        {"id": "dundie-2", "text": "Another.", "topics": ["awards", "filming"], "sources": ["000_a.txt"]},
    ]
    doc["questions"] = [
        {**valid_pack()["questions"][0], "id": "q-dundie", "fact": "dundie"},
    ]
    return doc


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_packs(tmp_path / "seeds", {"a.toml": valid_pack(), "b.toml": second_pack()})


@pytest.fixture
def store(folder: Path) -> ContentStore:
    return ContentStore.load(folder)


def test_facts_and_questions_in_load_order(store: ContentStore) -> None:
    assert [pack.id for pack in store.packs] == ["casino-night", "more"]
    assert [fact.id for fact in store.facts] == ["kiss-filmed-first", "kiss-take-count", "dundie", "dundie-2"]
    assert [q.id for q in store.questions] == ["q-kiss-filmed-first", "q-takes-agree", "q-dundie"]
    assert store.fact_ids() == ("kiss-filmed-first", "kiss-take-count", "dundie", "dundie-2")
    assert store.question_ids() == ("q-kiss-filmed-first", "q-takes-agree", "q-dundie")


def test_look_up_by_id(store: ContentStore) -> None:
    fact = store.fact("dundie")
    assert fact is not None and fact.pack_id == "more"
    question = store.question("q-takes-agree")
    assert question is not None and question.fact_id == "kiss-take-count"
    assert store.fact("nope") is None
    assert store.question("nope") is None


def test_topics_are_sorted(store: ContentStore) -> None:
    assert store.topics() == ("awards", "cast", "filming")
    assert "cast" in store.topics() and "music" not in store.topics()


def test_ids_by_topic(store: ContentStore) -> None:
    assert store.fact_ids("filming") == ("kiss-filmed-first", "kiss-take-count", "dundie-2")
    assert store.fact_ids("awards") == ("dundie", "dundie-2")
    assert store.fact_ids("music") == ()
    # A question's topics are its fact's topics.
    assert store.question_ids("cast") == ("q-takes-agree",)
    assert store.question_ids("awards") == ("q-dundie",)
    assert store.question_ids("filming") == ("q-kiss-filmed-first", "q-takes-agree")
    assert store.question_ids("music") == ()


def test_topic_counts(store: ContentStore) -> None:
    assert dict(store.topic_counts()) == {
        "awards": TopicCount(facts=2, questions=1),
        "cast": TopicCount(facts=1, questions=1),
        "filming": TopicCount(facts=3, questions=2),
    }


def test_counts(store: ContentStore) -> None:
    assert store.counts == ContentCounts(packs=2, facts=4, questions=3, topics=3, contested=1)


def test_sources_shared_by_packs(store: ContentStore) -> None:
    assert store.source("000_a.txt") == Source(
        "000_a.txt", "Jim & Pam's first kiss was even more intense behind the scenes"
    )
    assert store.source("missing.txt") is None


def test_the_store_is_immutable(store: ContentStore) -> None:
    with pytest.raises(AttributeError):
        store._facts = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        store.topic_counts()["awards"] = TopicCount(0, 0)  # type: ignore[index]


def test_load_raises_content_error_listing_every_issue(tmp_path: Path) -> None:
    doc = valid_pack()
    doc["facts"][0]["text"] = ""
    doc["questions"][0]["difficulty"] = "impossible"
    folder = write_packs(tmp_path / "seeds", {"a.toml": doc})
    expected = load_packs(folder).issues
    assert len(expected) == 2

    with pytest.raises(ContentError) as caught:
        ContentStore.load(folder)

    assert caught.value.issues == expected
    assert str(caught.value).splitlines() == ["2 content problems:", *(str(issue) for issue in expected)]


def test_building_from_inconsistent_packs_is_refused(folder: Path) -> None:
    packs = load_packs(folder).packs
    with pytest.raises(ValueError, match="duplicate"):
        ContentStore([*packs, packs[0]])
    orphan = dataclasses.replace(packs[1].questions[0], id="q-orphan", fact_id="not-loaded")
    with pytest.raises(ValueError, match="q-orphan"):
        ContentStore([dataclasses.replace(packs[1], questions=(orphan,))])
