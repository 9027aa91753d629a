"""Dates as Thai readers expect them: Buddhist-era years (พ.ศ. = ค.ศ. + 543) and abbreviated
Thai month names; English readers get "12 Mar 1967". Dates are stored Gregorian everywhere;
only these filters turn them into the Buddhist era, and only for display. The rules live in
`onehome.core.thai_dates`, which Python-built text (notifications, messages) uses too."""

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from onehome.core import thai_dates as core

register = template.Library()


def _thai() -> bool:
    return core.is_thai()


@register.filter
def year(value: object) -> int | str:
    """A Gregorian year (a number or a date's) as the reader counts: 2569 in Thai, 2026 in
    English."""
    if isinstance(value, dt.date):
        value = value.year
    try:
        return core.era_year(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


@register.filter
def thai_date(value: object, with_time: bool = False) -> str:
    """ "12 มี.ค. 2510" in Thai, "12 Mar 1967" in English; `|thai_date:True` adds the time."""
    return core.format_date(value, with_time)


@register.filter
def birth_date(value: object, approximate: bool = False) -> str:
    """A birth date; when only the year is known, "พ.ศ. 2510 (โดยประมาณ)" / "1967 (approximate)"."""
    day, _time = core.local_date_and_time(value)
    if day is None:
        return ""
    if approximate:
        return _("%(year)s (approximate)") % {"year": core.era_year(day.year)}
    return core.format_date(day)


@register.filter
def fiscal_year(value: object) -> str:
    """The fiscal year of a date, or of a fiscal-year number (Gregorian, the year it ends):
    "ปีงบประมาณ 2570" in Thai, "FY 2027" in English."""
    if isinstance(value, dt.date):
        return core.fiscal_year(value).label()
    try:
        return core.FiscalYear(int(value)).label()  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
