"""DailyBalances against the plain model: changes summed by day, running totals in day order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.model import daily as daily_module
from domain.model.daily import DailyBalances

BASE = dt.date(2024, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: BASE + dt.timedelta(days=n))
booked = st.lists(st.tuples(days, st.integers(min_value=-5_000, max_value=5_000)), max_size=80)
changes = st.dictionaries(days, st.integers(min_value=-5_000, max_value=5_000), max_size=4)


def running(entries: list[tuple[dt.date, int]], day: dt.date) -> int:
    return sum(delta for on, delta in entries if on <= day)


def model_first_below(
    entries: list[tuple[dt.date, int]], more: dict[dt.date, int]
) -> tuple[dt.date, int, int] | None:
    """Every day that has a change, in order: the first the new changes lower below zero."""
    after = entries + list(more.items())
    for day in sorted({on for on, _ in after}):
        change = running(list(more.items()), day)
        before = running(entries, day)
        if change < 0 and before + change < 0:
            return day, before, change
    return None


def balances(entries: list[tuple[dt.date, int]], *, flush_every: int = 0) -> DailyBalances:
    daily = DailyBalances()
    for number, (day, delta) in enumerate(entries, start=1):
        daily.add(day, delta)
        if flush_every and number % flush_every == 0:
            daily = daily.copy()  # folds what is pending into the tree, one path at a time
    return daily


@settings(max_examples=300, deadline=None)
@given(booked, changes, st.sampled_from([0, 1, 7]))
def test_first_below_zero_agrees_with_the_plain_model(
    entries: list[tuple[dt.date, int]], more: dict[dt.date, int], flush_every: int
) -> None:
    daily = balances(entries, flush_every=flush_every)
    assert daily.first_below_zero(more) == model_first_below(entries, more)


@settings(max_examples=200, deadline=None)
@given(booked, days)
def test_balance_on_a_day_is_the_sum_up_to_it(
    entries: list[tuple[dt.date, int]], day: dt.date
) -> None:
    assert balances(entries, flush_every=3).balance_on(day) == running(entries, day)


@settings(max_examples=100, deadline=None)
@given(booked)
def test_pairs_round_trip(entries: list[tuple[dt.date, int]]) -> None:
    daily = balances(entries)
    again = DailyBalances.from_pairs(daily.to_pairs())
    assert again.to_pairs() == daily.to_pairs()
    for day in {on for on, _ in entries}:
        assert again.balance_on(day) == running(entries, day)


def test_a_copy_does_not_see_later_changes() -> None:
    daily = balances([(BASE, 100)])
    copy = daily.copy()
    daily.add(BASE, -100)
    assert copy.balance_on(BASE) == 100
    assert daily.balance_on(BASE) == 0


def test_the_whole_days_net_counts() -> None:
    # a withdrawal entered before the same day's deposit is covered by it
    daily = balances([(BASE, 100)])
    daily.add(BASE + dt.timedelta(days=1), 50)
    assert daily.first_below_zero({BASE + dt.timedelta(days=1): -150}) is None
    assert daily.first_below_zero({BASE: -150}) == (BASE, 100, -150)


def test_far_dates_work() -> None:
    daily = balances([(dt.date.min, 5), (dt.date.max, -5)])
    assert daily.first_below_zero({dt.date.max: -1}) == (dt.date.max, 0, -1)
    assert daily.first_below_zero({dt.date.min: -5}) == (dt.date.max, 0, -5)


def test_a_check_walks_the_tree_and_never_the_days(monkeypatch: pytest.MonkeyPatch) -> None:
    # 40,000 days with a change each, the balance climbing by one every two days but for a dip
    # to 2, then 1 on days 30,000 and 30,001: a scan visits every day, a walk a few paths
    def change(n: int) -> int:
        return -14_998 if n == 30_000 else (2 if n % 2 == 0 else -1)

    daily = DailyBalances.from_pairs([BASE.toordinal() + n, change(n)] for n in range(40_000))
    visits = 0
    walk = daily_module._first_below

    def counted(*args: Any) -> int | None:
        nonlocal visits
        visits += 1
        return walk(*args)

    def no_scan(*args: Any) -> None:
        raise AssertionError("a check must not list the days")

    monkeypatch.setattr(daily_module, "_first_below", counted)
    monkeypatch.setattr(daily_module, "_leaves", no_scan)
    day5, dip = BASE + dt.timedelta(days=5), BASE + dt.timedelta(days=30_001)
    assert daily.first_below_zero({day5: -4}) == (day5, 3, -4)  # day 5 ends at 3
    assert daily.first_below_zero({day5: -1}) is None
    visits = 0
    assert daily.first_below_zero({day5: -2}) == (dip, 1, -2)
    assert 0 < visits < 3 * 23  # a path down to day 5's right and one down to the dip
