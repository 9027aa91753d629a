"""Working time for deadlines: weekends, Thai public holidays and office hours, in Bangkok.

What "N working days" means here (the rule `add_working_days` implements):

* The clock starts at the next moment of office hours (08:30–16:30, Monday to Friday, not a
  public holiday). A report at 10:00 on a working day starts at once; one before 08:30 starts
  at 08:30 that day; one after 16:30, on a weekend or on a holiday starts at 08:30 on the next
  working day.
* The deadline is the same clock time on the N-th working day after the day the clock
  started. Friday 10:00 + 3 → Wednesday 10:00; Saturday 14:00 + 3 → Thursday 08:30.

So every deadline falls inside office hours, and nobody loses time to a weekend or to
Songkran. Holidays come from the `holidays` package (observed days in lieu and the
government's bridge holidays included), computed once per year and cached.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from onehome.core import thai_dates

BANGKOK = ZoneInfo("Asia/Bangkok")
OPENS = dt.time(8, 30)
CLOSES = dt.time(16, 30)


@lru_cache(maxsize=32)
def holidays_in(year: int) -> frozenset[dt.date]:
    """Thai public holidays of a year (cached: the list changes by cabinet decision, and a
    new package release brings it, not a request)."""
    return frozenset(holidays.country_holidays("TH", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays_in(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def in_bangkok(moment: dt.datetime) -> dt.datetime:
    """`moment` as Bangkok wall-clock time; a naive value is taken to be Bangkok time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BANGKOK)
    return moment.astimezone(BANGKOK)


def clock_start(moment: dt.datetime) -> dt.datetime:
    """When a working-time clock started at `moment` begins to run (see the module rule)."""
    local = in_bangkok(moment)
    if is_working_day(local.date()):
        if local.time() < OPENS:
            return dt.datetime.combine(local.date(), OPENS, tzinfo=BANGKOK)
        if local.time() < CLOSES:
            return local
    return dt.datetime.combine(next_working_day(local.date()), OPENS, tzinfo=BANGKOK)


def add_working_days(start: dt.datetime, n: int) -> dt.datetime:
    """The deadline `n` working days after `start`, in Bangkok time (see the module rule)."""
    if n < 0:
        raise ValueError("n must not be negative")
    begun = clock_start(start)
    day = begun.date()
    for _ in range(n):
        day = next_working_day(day)
    return dt.datetime.combine(day, begun.time(), tzinfo=BANGKOK)


def format_when(moment: dt.datetime | None) -> str:
    """A deadline as Bangkok wall-clock time, as the pages show dates ("6 ธ.ค. 2569 16:30"
    in Thai, "6 Dec 2026 16:30" in English)."""
    if moment is None:
        return "-"
    return thai_dates.format_date(in_bangkok(moment), with_time=True)
