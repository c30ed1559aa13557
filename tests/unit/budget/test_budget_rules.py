"""The REST budget's rules: slots held while a request is on its way and a window after, by
priority, live counts dropped first."""

from __future__ import annotations

import itertools

import pytest

from bot.budget import DISCORD_GLOBAL_LIMIT, BudgetRules, Priority


def take(rules: BudgetRules, now: float, priority: Priority = Priority.ROUND):
    ticket = rules.request(priority, now)
    assert ticket is not None and ticket.granted
    return ticket


def test_the_default_budget_stays_under_discords_global_limit() -> None:
    rules = BudgetRules()
    assert rules.limit < DISCORD_GLOBAL_LIMIT and rules.window == 1.0


def test_no_window_sees_more_requests_than_the_limit_even_when_they_go_late() -> None:
    # A busy loop sends some requests 0.9 s after their grant, others at once; each arrives
    # between its grant and its release. However they bunch, no 1 s window holds more than 3.
    rules = BudgetRules(limit=3, window=1.0)
    tickets = [rules.request(Priority.ROUND, 0.0) for _ in range(12)]
    delays = itertools.cycle((0.9, 0.0, 0.5))
    arrivals_due = [(0.0 + next(delays), t.sequence, t) for t in tickets if t.granted]
    arrivals: list[float] = []
    while arrivals_due:
        arrivals_due.sort()
        at, _, ticket = arrivals_due.pop(0)
        arrivals.append(at)
        rules.release(ticket, at)
        now = at
        while not arrivals_due and (next_at := rules.next_grant_at(now)) is not None:
            now = next_at
            arrivals_due += [(now + next(delays), t.sequence, t) for t in rules.grant_due(now)]
        arrivals_due += [(now + next(delays), t.sequence, t) for t in rules.grant_due(now)]
    assert len(arrivals) == 12
    for start in arrivals:
        assert sum(start <= t < start + 1.0 for t in arrivals) <= 3


def test_a_slot_frees_one_window_after_its_request_ends() -> None:
    rules = BudgetRules(limit=2, window=1.0)
    first = take(rules, 0.0)
    take(rules, 0.5)
    late = rules.request(Priority.ROUND, 0.6)
    assert not late.granted and rules.next_grant_at(0.6) is None, "nothing ended yet: wait for a release"
    rules.release(first, 0.7)
    assert rules.next_grant_at(0.7) == pytest.approx(1.7)
    assert rules.grant_due(1.69) == []
    assert rules.grant_due(1.7) == [late] and late.granted
    assert rules.next_grant_at(1.7) is None  # nobody waits


def test_a_slot_is_held_while_its_request_is_on_its_way() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    slow = take(rules, 0.0)
    assert rules.free(10.0) == 0, "still in flight ten seconds later"
    rules.release(slow, 10.0)
    assert rules.free(10.5) == 0 and rules.free(11.0) == 1


def test_a_ticket_is_released_once() -> None:
    rules = BudgetRules(limit=2, window=1.0)
    ticket = take(rules, 0.0)
    rules.release(ticket, 0.1)
    with pytest.raises(ValueError):
        rules.release(ticket, 0.2)


def test_waiting_requests_go_by_priority_then_in_order() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    held = take(rules, 0.0)
    routine = rules.request(Priority.ROUTINE, 0.1)
    first_round = rules.request(Priority.ROUND, 0.2)
    second_round = rules.request(Priority.ROUND, 0.3)
    order = []
    for now in (0.5, 2.0, 4.0):
        rules.release(held, now)
        granted = rules.grant_due(now + 1.0)
        order += granted
        held = granted[0]
    assert order == [first_round, second_round, routine]


def test_a_request_does_not_jump_the_queue_of_its_own_priority() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.release(take(rules, 0.0), 0.0)
    waiting = rules.request(Priority.ROUND, 0.5)
    newcomer = rules.request(Priority.ROUND, 1.0)  # a slot is free, but `waiting` was first
    assert not newcomer.granted
    assert rules.grant_due(1.0) == [waiting]


def test_a_round_request_goes_before_waiting_routine_ones() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.release(take(rules, 0.0), 0.0)
    routine = rules.request(Priority.ROUTINE, 0.1)
    urgent = rules.request(Priority.ROUND, 1.0)  # the routine one waits, but this outranks it
    assert urgent.granted and not routine.granted


def test_live_counts_are_dropped_first_and_never_queue() -> None:
    rules = BudgetRules(limit=10, window=1.0, droppable_headroom=0.5)
    for _ in range(4):
        assert rules.request(Priority.DROPPABLE, 0.0) is not None
    # Six used would leave fewer than half the slots: the count is dropped.
    take(rules, 0.0)
    assert rules.request(Priority.DROPPABLE, 0.0) is None
    assert rules.dropped == 1 and rules.waiting == 0
    take(rules, 0.0)  # round messages still have the rest


def test_a_live_count_is_dropped_while_anyone_waits() -> None:
    rules = BudgetRules(limit=10, window=1.0)
    held = [take(rules, 0.0) for _ in range(10)]
    rules.request(Priority.ROUTINE, 0.1)
    for ticket in held:
        rules.release(ticket, 0.2)
    assert rules.request(Priority.DROPPABLE, 1.5) is None  # slots are free again, but one waits


def test_a_withdrawn_request_gives_its_place_up() -> None:
    rules = BudgetRules(limit=1, window=1.0)
    rules.release(take(rules, 0.0), 0.0)
    gone = rules.request(Priority.ROUND, 0.1)
    stays = rules.request(Priority.ROUTINE, 0.2)
    rules.withdraw(gone)
    assert rules.waiting == 1
    assert rules.grant_due(1.0) == [stays]


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"window": 0}, {"droppable_headroom": 1.0}])
def test_nonsense_settings_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        BudgetRules(**kwargs)
