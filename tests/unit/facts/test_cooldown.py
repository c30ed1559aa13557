"""The /fact cooldown: a few uses, then a wait, with memory kept bounded."""

import pytest

from bot.facts.cooldown import Cooldown


def test_cooldown_allows_the_rate_then_says_how_long_to_wait() -> None:
    now = [100.0]
    cooldown = Cooldown(rate=2, per=10, clock=lambda: now[0])
    assert cooldown.try_use("u") == 0
    now[0] = 103
    assert cooldown.try_use("u") == 0
    assert cooldown.try_use("u") == pytest.approx(7)
    assert cooldown.try_use("other") == 0
    now[0] = 110.5
    assert cooldown.try_use("u") == 0


def test_cooldown_forgets_idle_users_and_does_not_sweep_on_every_call() -> None:
    now = [0.0]
    cooldown = Cooldown(rate=1, per=10, clock=lambda: now[0], forget_above=4)

    def use(*users: int) -> None:
        for user in users:
            cooldown.try_use(user)

    use(0, 1, 2, 3)
    now[0] = 11
    use(10)
    assert len(cooldown) == 1, "over the limit: users idle for the whole window were dropped"
    use(11, 12, 13, 14)
    assert len(cooldown) == 5, "a sweep keeps active users"
    assert cooldown.try_use(14) == pytest.approx(10), "and their cooldown"
    now[0] = 22  # users 10-14 are idle now
    use(20)
    assert len(cooldown) == 6, "no sweep until the map has doubled since the last one"
    use(21, 22, 23, 24, 25)
    assert len(cooldown) == 6, "then the idle users go"


def test_cooldown_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        Cooldown(rate=0, per=10, clock=lambda: 0.0)


def test_a_use_given_back_frees_its_slot() -> None:
    cooldown = Cooldown(rate=1, per=10, clock=lambda: 0.0)
    assert cooldown.try_use("u") == 0 and cooldown.try_use("u") > 0
    cooldown.give_back("u")
    assert cooldown.try_use("u") == 0
    cooldown.give_back("never-used")  # harmless
