"""The report ids (button, form, paging, dismiss) and what a report form's submission carries."""

from __future__ import annotations

import pytest

from bot.content import EntryKind
from bot.reports import Reason, ReportSummary
from cogs.reports.buttons import (
    NOTE_INPUT,
    REASON_INPUT,
    DismissSelect,
    ReportButton,
    dismiss_options,
    parse_dismiss_value,
    parse_form_id,
    report_form,
    submitted_report,
)

LONGEST_ID = "q" * 60  # entry ids are slugs of at most 60 characters


def test_the_longest_ids_fit_discords_100_characters() -> None:
    form = report_form(EntryKind.QUESTION, LONGEST_ID, "x" * 5000, open_for=1.0).to_dict()
    assert len(form["custom_id"]) <= 100 and len(form["title"]) <= 45
    assert len(form["components"][0]["content"]) <= 4000
    button = ReportButton(EntryKind.QUESTION, LONGEST_ID)
    assert len(button.item.custom_id or "") <= 100
    assert parse_form_id(form["custom_id"]) == (EntryKind.QUESTION, LONGEST_ID)


@pytest.mark.parametrize(
    ("custom_id", "parsed"),
    [
        ("report:fact:kiss-filmed-first:send", (EntryKind.FACT, "kiss-filmed-first")),
        ("report:question:q-1:send", (EntryKind.QUESTION, "q-1")),
        ("report:fact:kiss-filmed-first", None),  # the button, not the form
        ("report:source:x:send", None),
        ("report:fact:Not_A_Slug:send", None),
        ("quiz:12:3:guess", None),
    ],
)
def test_form_ids(custom_id: str, parsed: tuple[EntryKind, str] | None) -> None:
    assert parse_form_id(custom_id) == parsed


def test_a_submission_is_read_from_labels_or_action_rows() -> None:
    labels = {"components": [
        {"type": 18, "component": {"type": 3, "custom_id": REASON_INPUT, "values": ["wrong"]}},
        {"type": 18, "component": {"type": 4, "custom_id": NOTE_INPUT, "value": "see page 3"}},
    ]}
    rows = {"components": [{"type": 1, "components": [{"type": 4, "custom_id": NOTE_INPUT, "value": "hm"}]}]}
    assert submitted_report(labels) == (["wrong"], "see page 3")
    assert submitted_report(rows) == ([], "hm")
    assert submitted_report({}) == ([], "")


def test_the_dismiss_select_offers_each_entry_of_the_page() -> None:
    summaries = [
        ReportSummary(EntryKind.FACT, "f-1", "p", {Reason.WRONG: 2}, 1.0, ()),
        ReportSummary(EntryKind.QUESTION, LONGEST_ID, "p", {Reason.OTHER: 1}, 1.0, ()),
    ]
    select = DismissSelect(0, dismiss_options(summaries)).item
    assert [o.value for o in select.options] == ["fact:f-1", f"question:{LONGEST_ID}"]
    assert [o.description for o in select.options] == ["2 reports", "1 report"]
    assert all(len(o.value) <= 100 and len(o.label) <= 100 for o in select.options)
    assert [parse_dismiss_value(o.value) for o in select.options] == [
        (EntryKind.FACT, "f-1"), (EntryKind.QUESTION, LONGEST_ID)]
    assert parse_dismiss_value("fact:") is None and parse_dismiss_value("round:1") is None
