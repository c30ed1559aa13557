"""The rules of a report: one reason of four, a short note, and the entry it names."""

import pytest

from bot.content import ContentStore, EntryKind
from bot.host_config import DEFAULT_CONTENT_PATH
from bot.reports import NOTE_MAX, Reason, ReportSummary, clean_note, parse_reason, reported_entry
from bot.user_errors import UserError

CONTENT = ContentStore.load(DEFAULT_CONTENT_PATH)


def test_a_reason_is_one_of_the_four() -> None:
    assert [parse_reason([r.value]) for r in Reason] == list(Reason)
    assert [r.value for r in Reason] == ["wrong", "unclear", "offensive", "other"]


@pytest.mark.parametrize("values", [[], ["wrong", "unclear"]])
def test_none_or_several_reasons_are_refused(values: list[str]) -> None:
    with pytest.raises(UserError, match="exactly one reason: wrong, unclear, offensive or other"):
        parse_reason(values)


def test_an_unknown_reason_is_named_and_refused() -> None:
    with pytest.raises(UserError, match=r"`boring` is not a reason I know\. Pick one of wrong, unclear"):
        parse_reason(["boring"])


def test_every_reason_has_a_label_and_a_description_that_fit_a_select() -> None:
    for reason in Reason:
        assert reason.label and len(reason.label) <= 100
        assert reason.description and len(reason.description) <= 100


def test_a_note_is_trimmed_and_an_empty_one_is_none() -> None:
    assert clean_note("  the answer is\n\n  2005  ") == "the answer is 2005"
    assert clean_note("   ") is None
    assert clean_note("x" * NOTE_MAX) == "x" * NOTE_MAX


def test_a_note_too_long_is_refused_with_its_length() -> None:
    with pytest.raises(UserError, match=f"301 characters long; keep it to {NOTE_MAX} or fewer"):
        clean_note("x" * (NOTE_MAX + 1))


def test_the_reported_entry_carries_its_pack_and_text() -> None:
    content = CONTENT
    fact = content.facts[0]
    question = content.questions[0]
    found = reported_entry(content, EntryKind.FACT, fact.id)
    assert found is not None and (found.pack_id, found.text) == (fact.pack_id, fact.text)
    asked = reported_entry(content, EntryKind.QUESTION, question.id)
    assert asked is not None and (asked.pack_id, asked.text) == (question.pack_id, question.prompt)


def test_an_entry_no_longer_loaded_is_none() -> None:
    content = CONTENT
    assert reported_entry(content, EntryKind.FACT, "gone") is None
    # A fact's id is not a question's: the kind decides where it is looked up.
    assert reported_entry(content, EntryKind.QUESTION, content.facts[0].id) is None


def test_a_summary_counts_its_reports() -> None:
    summary = ReportSummary(EntryKind.FACT, "f", "p", {Reason.WRONG: 2, Reason.OTHER: 1}, 10.0, ())
    assert summary.count == 3
