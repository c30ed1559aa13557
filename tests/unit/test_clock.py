"""GameClock: monotonic game time, sped up for tests, and how far back a wall-clock lag reaches."""

from __future__ import annotations

import pytest

import bot.clock
from bot.clock import GameClock


@pytest.fixture
def monotonic(monkeypatch) -> list[float]:
    now = [100.0]
    monkeypatch.setattr(bot.clock.time, "monotonic", lambda: now[0])
    return now


def test_game_time_runs_at_its_speed(monotonic) -> None:
    clock = GameClock(speed=10)
    monotonic[0] += 1.5
    assert clock.now() == pytest.approx(15.0)
    assert clock.to_real(15.0) == pytest.approx(1.5)


def test_ago_reaches_back_in_game_time_and_never_ahead(monotonic) -> None:
    clock = GameClock(speed=10)
    monotonic[0] += 2.0
    assert clock.ago(0.5) == pytest.approx(15.0)  # half a wall second is five game seconds
    assert clock.ago(-3.0) == clock.now(), "a lag below zero (a clock out of step) counts as none"


def test_a_clock_needs_a_positive_speed() -> None:
    with pytest.raises(ValueError):
        GameClock(speed=0)
