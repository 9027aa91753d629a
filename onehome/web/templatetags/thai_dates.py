"""Dates as Thai readers expect them: Buddhist-era years (พ.ศ. = ค.ศ. + 543) and abbreviated
Thai month names; English readers get "12 Mar 1967". Dates are stored Gregorian everywhere;
only these filters turn them into the Buddhist era, and only for display."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

BUDDHIST_ERA_OFFSET = 543
THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _thai() -> bool:
    return (get_language() or "th").split("-")[0] == "th"


def _as_date(value: object) -> tuple[dt.date | None, str]:
    """(date, " HH:MM" or "") of a date or an aware datetime in local time."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date(), value.strftime(" %H:%M")
    if isinstance(value, dt.date):
        return value, ""
    return None, ""


@register.filter
def be_year(value: object) -> int | str:
    """The Buddhist-era year of a date or of a Gregorian year number."""
    if isinstance(value, dt.date):
        return value.year + BUDDHIST_ERA_OFFSET
    try:
        return int(value) + BUDDHIST_ERA_OFFSET  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


@register.filter
def thai_date(value: object, with_time: bool = False) -> str:
    """ "12 มี.ค. 2510" in Thai, "12 Mar 1967" in English; `|thai_date:True` adds the time."""
    day, time = _as_date(value)
    if day is None:
        return ""
    if _thai():
        text = f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"
    else:
        text = f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return text + time if with_time else text


@register.filter
def birth_date(value: object, approximate: bool = False) -> str:
    """A birth date; when only the year is known, "พ.ศ. 2510 (โดยประมาณ)" / "1967 (approximate)"."""
    day, _time = _as_date(value)
    if day is None:
        return ""
    if approximate:
        year = day.year + BUDDHIST_ERA_OFFSET if _thai() else day.year
        return _("%(year)s (approximate)") % {"year": year}
    return thai_date(day)
