"""The retry schedule: doubling from base to cap, each wait between half and all of its step."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.backoff import Backoff


def _first(backoff: Backoff, count: int) -> list[float]:
    return list(itertools.islice(backoff.delays(), count))


def test_each_wait_lies_between_half_and_all_of_a_doubling_step_up_to_the_cap() -> None:
    steps = [1, 2, 4, 8, 16, 32, 60, 60, 60]
    for seed in range(50):
        delays = _first(Backoff(rng=random.Random(seed)), len(steps))
        assert all(step / 2 <= delay <= step for step, delay in zip(steps, delays, strict=True)), delays


def test_the_jitter_spreads_retries_and_a_seed_repeats_them() -> None:
    firsts = {_first(Backoff(rng=random.Random(seed)), 1)[0] for seed in range(20)}
    assert len(firsts) == 20
    assert _first(Backoff(rng=random.Random(7)), 5) == _first(Backoff(rng=random.Random(7)), 5)


def test_a_fresh_series_starts_again_from_the_base() -> None:
    backoff = Backoff(base=2.0, cap=8.0, rng=random.Random(1))
    assert _first(backoff, 4)[3] >= 4.0
    assert _first(backoff, 1)[0] <= 2.0


@pytest.mark.parametrize(("base", "cap"), [(0.0, 60.0), (-1.0, 60.0), (10.0, 5.0)])
def test_a_schedule_that_could_not_back_off_is_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="0 < base <= cap"):
        Backoff(base=base, cap=cap)
