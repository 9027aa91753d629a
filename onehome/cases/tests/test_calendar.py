"""Working days: weekends, Thai public holidays and office hours (rule in calendar.py)."""

import datetime as dt

import pytest

from onehome.cases.deadlines import calendar
from onehome.cases.deadlines.calendar import add_working_days, is_working_day

from .sla_factories import bkk


def test_three_working_days_end_at_the_same_clock_time():
    # Wednesday 18 June 2025, 10:00 → Thu, Fri, Mon.
    assert add_working_days(bkk(2025, 6, 18, 10), 3) == bkk(2025, 6, 23, 10)


def test_a_weekend_is_skipped():
    # Friday 10:00 → Mon, Tue, Wed.
    assert add_working_days(bkk(2025, 6, 20, 10), 3) == bkk(2025, 6, 25, 10)


def test_a_report_on_saturday_starts_on_monday_morning():
    assert add_working_days(bkk(2025, 6, 21, 14), 3) == bkk(2025, 6, 26, 8, 30)


def test_after_closing_time_the_clock_starts_next_working_morning():
    assert add_working_days(bkk(2025, 6, 20, 17), 3) == bkk(2025, 6, 26, 8, 30)
    assert add_working_days(bkk(2025, 6, 20, 16, 30), 1) == bkk(2025, 6, 24, 8, 30)


def test_before_opening_the_clock_starts_at_half_past_eight():
    assert add_working_days(bkk(2025, 6, 23, 7), 3) == bkk(2025, 6, 26, 8, 30)


def test_songkran_is_skipped():
    # Friday 11 April 2025; 12–13 weekend, 14–16 Songkran (16th in lieu of the Sunday).
    assert add_working_days(bkk(2025, 4, 11, 10), 3) == bkk(2025, 4, 21, 10)


def test_a_report_during_songkran_starts_after_it():
    # Monday 14 April 2025 is a holiday: the clock starts Thursday 17 at 08:30.
    assert add_working_days(bkk(2025, 4, 14, 9), 3) == bkk(2025, 4, 22, 8, 30)


def test_chakri_day_long_weekend():
    # Chakri Day fell on Sunday 6 April 2025, observed Monday 7: a four-day long weekend.
    assert not is_working_day(dt.date(2025, 4, 7))
    assert add_working_days(bkk(2025, 4, 4, 15), 1) == bkk(2025, 4, 8, 15)


def test_new_year_across_two_calendar_years():
    # 31 Dec 2025 (Wed), 1 Jan (Thu) and the bridge holiday 2 Jan 2026 (Fri) are off.
    assert add_working_days(bkk(2025, 12, 30, 11), 3) == bkk(2026, 1, 7, 11)


def test_times_in_other_zones_are_read_as_bangkok_time():
    friday_10_in_bangkok = dt.datetime(2025, 6, 20, 3, tzinfo=dt.UTC)
    due = add_working_days(friday_10_in_bangkok, 3)
    assert due == bkk(2025, 6, 25, 10)
    assert due.tzinfo == calendar.BANGKOK


def test_zero_days_is_the_start_of_the_clock_and_negative_is_refused():
    assert add_working_days(bkk(2025, 6, 21, 14), 0) == bkk(2025, 6, 23, 8, 30)
    with pytest.raises(ValueError):
        add_working_days(bkk(2025, 6, 21, 14), -1)


def test_holidays_are_computed_once_per_year():
    calendar.holidays_in.cache_clear()
    for _ in range(5):
        is_working_day(dt.date(2027, 4, 13))
    info = calendar.holidays_in.cache_info()
    assert (info.misses, info.hits) == (1, 4)
    assert dt.date(2027, 4, 13) in calendar.holidays_in(2027)
