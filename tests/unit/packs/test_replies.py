"""The replies /pack builds from names a moderator chose: shown as they are, never breaking the message."""

from __future__ import annotations

from pathlib import Path

from bot.content import ContentIssue
from bot.ui.limits import code_span
from bot.ui.packs import problems_reply


def test_a_file_name_in_a_code_span_is_shown_as_typed_and_cannot_end_the_span() -> None:
    issue = ContentIssue(Path("x.toml"), "pack", "id", "must not be empty")
    message, attached = problems_reply("my_*pack*_`v2`.toml", [issue])
    assert attached is None
    # No backslashes inside the span (Discord would show them), and no backtick to close it early.
    assert message.startswith("`my_*pack*_'v2'.toml` was not stored: 1 problem.")


def test_a_long_name_is_clipped() -> None:
    assert code_span("a" * 500) == "`" + "a" * 59 + "…`"
    assert code_span("b" * 60) == "`" + "b" * 60 + "`"
