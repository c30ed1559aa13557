"""ClickLag: how far back a click counts, and how long past its deadline a question stays open."""

from __future__ import annotations

import pytest

from bot.quiz.lag import MAX_CREDIT, MEMORY, ClickLag

MIN_DELAY = 0.5  # the grace these tests build the lag with


def test_a_click_counts_from_discords_stamp_within_limits() -> None:
    lag = ClickLag(MIN_DELAY)
    assert lag.credit(0.3, now=0.0) == 0.3
    assert lag.credit(-1.0, now=0.0) == 0.0, "a host clock behind Discord's gives no credit"
    assert lag.credit(60.0, now=0.0) == MAX_CREDIT, "nor does one far ahead give more than the cap"


def test_a_question_stays_open_a_little_when_the_bot_keeps_up() -> None:
    lag = ClickLag(MIN_DELAY)
    assert lag.close_delay(0.0) == MIN_DELAY
    lag.credit(0.01, now=0.0)
    assert lag.close_delay(0.1) == MIN_DELAY


def test_a_busy_bot_keeps_questions_open_as_long_as_clicks_are_late() -> None:
    lag = ClickLag(MIN_DELAY)
    lag.credit(1.5, now=10.0)
    lag.credit(0.2, now=11.0)
    assert lag.close_delay(11.0) == pytest.approx(1.75), "the worst recent lag, plus a margin"
    lag.credit(9.0, now=12.0)
    assert lag.close_delay(12.0) == MAX_CREDIT


def test_old_lag_is_forgotten() -> None:
    lag = ClickLag(MIN_DELAY)
    lag.credit(2.0, now=0.0)
    lag.credit(0.4, now=1.0)
    assert lag.close_delay(MEMORY + 0.5) == pytest.approx(0.65), "the 2 s lag is forgotten, 0.4 s not yet"
    assert lag.close_delay(MEMORY + 2.0) == MIN_DELAY
