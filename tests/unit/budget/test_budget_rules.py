"""The REST budget's rules: a sliding window under Discord's limit, priorities, droppable counts."""

from __future__ import annotations

import pytest

from bot.budget import DISCORD_GLOBAL_LIMIT, BudgetRules, Priority


def test_the_default_budget_stays_under_discords_global_limit() -> None:
    rules = BudgetRules()
    assert rules.limit < DISCORD_GLOBAL_LIMIT and rules.window == 1.0


def test_no_window_of_the_budgets_length_sees_more_than_the_limit() -> None:
    rules = BudgetRules(limit=3, window=1.0)
    granted_at = []
    now = 0.0
    tickets = [rules.request(Priority.ROUND, now) for _ in range(10)]
    granted_at += [now] * sum(t.granted for t in tickets)
    while len(granted_at) < 10:
        now = rules.next_grant_at(now)
        granted_at += [now] * len(rules.grant_due(now))
    for start in granted_at:
        assert sum(start <= t < start + 1.0 for t in granted_at) <= 3
    assert granted_at == [0.0] * 3 + [1.0] * 3 + [2.0] * 3 + [3.0]


def test_a_slot_frees_one_window_after_its_grant() -> None:
    rules = BudgetRules(limit=2, window=1.0)
    assert rules.request(Priority.ROUND, 0.0).granted
    assert rules.request(Priority.ROUND, 0.5).granted
    late = rules.request(Priority.ROUND, 0.6)
    assert not late.granted and rules.next_grant_at(0.6) == 1.0
    assert rules.grant_due(0.99) == []
    assert rules.grant_due(1.0) == [late] and late.granted
    assert rules.next_grant_at(1.0) is None  # nobody waits


def test_waiting_requests_go_by_priority_then_in_order() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.request(Priority.ROUND, 0.0)
    routine = rules.request(Priority.ROUTINE, 0.1)
    first_round = rules.request(Priority.ROUND, 0.2)
    second_round = rules.request(Priority.ROUND, 0.3)
    assert [rules.grant_due(t) for t in (1.0, 2.0, 3.0)] == [[first_round], [second_round], [routine]]


def test_a_request_does_not_jump_the_queue_of_its_own_priority() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.request(Priority.ROUND, 0.0)
    waiting = rules.request(Priority.ROUND, 0.5)
    newcomer = rules.request(Priority.ROUND, 1.0)  # a slot is free, but `waiting` was first
    assert not newcomer.granted
    assert rules.grant_due(1.0) == [waiting]


def test_a_round_request_goes_before_waiting_routine_ones() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.request(Priority.ROUND, 0.0)
    routine = rules.request(Priority.ROUTINE, 0.1)
    urgent = rules.request(Priority.ROUND, 1.0)  # the routine one waits, but this outranks it
    assert urgent.granted and not routine.granted


def test_live_counts_are_dropped_first_and_never_queue() -> None:
    rules = BudgetRules(limit=10, window=1.0, droppable_headroom=0.5)
    for _ in range(4):
        assert rules.request(Priority.DROPPABLE, 0.0) is not None
    # Six used would leave fewer than half the window's slots: the count is dropped.
    assert rules.request(Priority.ROUND, 0.0).granted
    assert rules.request(Priority.DROPPABLE, 0.0) is None
    assert rules.dropped == 1 and rules.waiting == 0
    assert rules.request(Priority.ROUND, 0.0).granted, "round messages still have the rest"


def test_a_live_count_is_dropped_while_anyone_waits() -> None:
    rules = BudgetRules(limit=10, window=1.0)
    for _ in range(10):
        rules.request(Priority.ROUND, 0.0)
    rules.request(Priority.ROUTINE, 0.1)
    assert rules.request(Priority.DROPPABLE, 1.0) is None  # slots are free again, but one waits


def test_a_withdrawn_request_gives_its_place_up() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.request(Priority.ROUND, 0.0)
    gone = rules.request(Priority.ROUND, 0.1)
    stays = rules.request(Priority.ROUTINE, 0.2)
    rules.withdraw(gone)
    assert rules.waiting == 1
    assert rules.grant_due(1.0) == [stays]


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"window": 0}, {"droppable_headroom": 1.0}])
def test_nonsense_settings_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        BudgetRules(**kwargs)
