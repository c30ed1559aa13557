"""Helpers for quiz tests: find question messages and the buttons that answer them right or wrong."""

from __future__ import annotations

import re

from tests.e2e.conftest import CONTENT

LETTER_LINE = re.compile(r"^\*\*([A-D])\.\*\* (.+)$", re.MULTILINE)


def is_question(message, number: int | None = None) -> bool:
    if not message.embeds:
        return False
    title = message.embeds[0].get("title", "")
    wanted = f"Question {number} of" if number else "Question "
    return title.startswith(wanted) and not title.endswith(("closed", "skipped")) and bool(message.buttons)


def is_closed(message) -> bool:
    return bool(message.embeds) and message.embeds[0].get("title", "").endswith("closed")


def is_skipped(message) -> bool:
    return bool(message.embeds) and message.embeds[0].get("title", "").endswith("skipped")


def is_standings(message, title: str = "Final standings") -> bool:
    return bool(message.embeds) and message.embeds[0].get("title") == title


def question_of(message):
    description = message.embeds[0]["description"]
    matches = [q for q in CONTENT.questions if description.startswith(q.prompt)]
    assert matches, description
    return max(matches, key=lambda q: len(q.prompt))


def answer_buttons(message) -> list[dict]:
    """The buttons that answer the question (a reveal also has a Report button)."""
    return [b for b in message.buttons if b["custom_id"].startswith("quiz:")]


def option_ids(message) -> tuple[str, list[str]]:
    """Return (custom id of the right answer, custom ids of the wrong ones) for a question message."""
    question = question_of(message)
    buttons = message.buttons
    if question.is_true_false:
        label_of = {b["label"]: b["custom_id"] for b in buttons}
        right = label_of[question.answer]
    else:
        text_of = dict(LETTER_LINE.findall(message.embeds[0]["description"]))
        letter = next(letter for letter, text in text_of.items() if text == question.answer)
        right = next(b["custom_id"] for b in buttons if b["label"] == letter)
    return right, [b["custom_id"] for b in buttons if b["custom_id"] != right]


async def start_round(fake, guild, channel, member, **options):
    rec = await fake.invoke(guild, channel, member, "quiz start", **options)
    await rec.response()
    return rec


async def answer(fake, message, custom_id, member, *, stale: bool = False) -> str:
    rec = await fake.click(message, custom_id, member, stale=stale)
    await rec.response()
    assert rec.ephemeral
    assert rec.ack_latency < 3.0
    return rec.content


async def open_answer_box(fake, message, member, *, stale: bool = False):
    """Press a typed question's Answer button; return the interaction (a modal, or a refusal)."""
    (button,) = answer_buttons(message)
    rec = await fake.click(message, button["custom_id"], member, stale=stale)
    await rec.response()
    assert rec.ack_latency < 3.0
    return rec


async def type_answer(fake, message, member, guess: str) -> str:
    """Answer a typed question: press Answer, type `guess` into the box, submit; return the reply."""
    opened = await open_answer_box(fake, message, member)
    assert opened.modal is not None, opened.content
    submitted = await fake.submit_modal(opened, {"guess": guess}, member)
    await submitted.response()
    assert submitted.ephemeral and submitted.ack_latency < 3.0
    return submitted.content
