"""Dates both ways, as Thai readers write and read them: the Buddhist era (พ.ศ. = ค.ศ. + 543),
day/month/year order, and the government's fiscal year (ปีงบประมาณ, 1 October – 30 September).

Every date is stored Gregorian. These functions turn a stored date into text (Buddhist era in
Thai, Gregorian in English), text typed by a person back into a date, and a birth year typed
in either era into the Gregorian year. The template filters (`onehome.web.templatetags.
thai_dates`) and the date widget (`onehome.core.widgets`) are thin wrappers around them.

Reading a typed year: a four-digit year of 2400 or more is Buddhist era (2400 BE is 1857; no
Gregorian date a person types is that far ahead), one below it is Gregorian (in the Buddhist
era it would be before 1857). Two digits could be either, so they are refused with both
readings named.
"""

import datetime as dt
import re
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onehome.errors import ValidationError

BUDDHIST_ERA_OFFSET = 543
FIRST_BUDDHIST_YEAR = 2400  # a typed four-digit year from here on is Buddhist era
EARLIEST_BIRTH_YEAR = 1880
EARLIEST_YEAR, LATEST_YEAR = 1800, 2300  # Gregorian bounds of any date typed (พ.ศ. 2343–2843)
FISCAL_YEAR_START_MONTH = 10  # the Thai fiscal year 2570 runs 1 Oct 2026 – 30 Sep 2027

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
               "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")  # fmt: skip
THAI_MONTHS_LONG = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip
ENGLISH_MONTHS_LONG = ("January", "February", "March", "April", "May", "June", "July",
                       "August", "September", "October", "November", "December")  # fmt: skip

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2,4})$")
_PACKED = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 14122569, typed on a phone keypad
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


def is_thai(language: str | None = None) -> bool:
    return (language or get_language() or "th").split("-")[0] == "th"


def era_year(year: int, *, thai: bool | None = None) -> int:
    """A Gregorian year as the reader counts it: Buddhist era in Thai, as is in English."""
    thai = is_thai() if thai is None else thai
    return year + BUDDHIST_ERA_OFFSET if thai else year


def local_date_and_time(value: object) -> tuple[dt.date | None, str]:
    """(date, "HH:MM" or "") of a date or a datetime, an aware one in local (Bangkok) time."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date(), value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value, ""
    return None, ""


def format_date(value: object, with_time: bool = False, *, long: bool = False) -> str:
    """ "12 มี.ค. 2510" in Thai, "12 Mar 1967" in English (`long`: full month names);
    `with_time` adds " 14:30" for a datetime. The one display of a date, for pages and for
    text built in Python (notifications, messages)."""
    day, time = local_date_and_time(value)
    if day is None:
        return ""
    if is_thai():
        names = THAI_MONTHS_LONG if long else THAI_MONTHS
    else:
        names = ENGLISH_MONTHS_LONG if long else ENGLISH_MONTHS
    text = f"{day.day} {names[day.month - 1]} {era_year(day.year)}"
    return f"{text} {time}" if with_time and time else text


def format_input(value: object, *, thai: bool | None = None) -> str:
    """A date as typed in a date box: "14/12/2569" in Thai, "14/12/2026" in English; a
    datetime adds " 09:30"."""
    day, time = local_date_and_time(value)
    if day is None:
        return ""
    text = f"{day.day:02d}/{day.month:02d}/{era_year(day.year, thai=thai)}"
    return f"{text} {time}" if time else text


def example_date(*, thai: bool | None = None) -> str:
    return format_input(dt.date(2026, 12, 14), thai=thai)


def _bad_format() -> ValidationError:
    return ValidationError(
        _("Enter the date as day/month/year, for example %(example)s.")
        % {"example": example_date()},
        code="date_format",
    )


def gregorian_year(year: int, digits: int) -> int:
    """The Gregorian year of a year typed with `digits` digits in a date (either era)."""
    if digits != 4:
        raise ValidationError(
            _("Type the year with four digits, for example %(year)s.") % {"year": era_year(2026)},
            code="date_year_digits",
        )
    gregorian = typed_year_in_gregorian(year)
    if not EARLIEST_YEAR <= gregorian <= LATEST_YEAR:
        raise ValidationError(
            _("%(year)s is not a year this system can record (%(first)s to %(last)s).")
            % {"year": year, "first": era_year(EARLIEST_YEAR), "last": era_year(LATEST_YEAR)},
            code="date_year_range",
        )
    return gregorian


def _make_date(text: str, year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("%(text)s is not a date: the month must be 1 to 12.") % {"text": text},
            code="date_month",
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        month_name = (THAI_MONTHS_LONG if is_thai() else ENGLISH_MONTHS_LONG)[month - 1]
        raise ValidationError(
            _("%(text)s is not a date: %(month)s %(year)s has %(days)s days.")
            % {"text": text, "month": month_name, "year": era_year(year), "days": last},
            code="date_day",
        ) from None


def parse_date(text: str) -> dt.date:
    """The Gregorian date of a date typed as day/month/year ("14/12/2569", "14-12-2026",
    "๑๔/๑๒/๒๕๖๙", "14122569") or given as ISO year-month-day by the calendar or a script;
    the year is read in either era (see the module note). ValidationError in the reader's
    language when it is not a date."""
    raw = (text or "").strip()
    clean = raw.translate(THAI_DIGITS)
    if m := _ISO.match(clean):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        return _make_date(raw, gregorian_year(year, 4), month, day)
    m = _DMY.match(clean) or _PACKED.match(clean)
    if not m:
        raise _bad_format()
    day, month, year = int(m[1]), int(m[2]), int(m[3])
    return _make_date(raw, gregorian_year(year, len(m[3])), month, day)


def parse_time(text: str) -> dt.time:
    clean = (text or "").strip().translate(THAI_DIGITS)
    m = _TIME.match(clean)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValidationError(
            _("Enter the time as hours:minutes (24-hour clock), for example 14:30."),
            code="time_format",
        )
    return dt.time(int(m[1]), int(m[2]))


def parse_datetime(text: str) -> dt.datetime:
    """An aware datetime (local time) of "14/12/2569 09:30" or ISO "2026-12-14T09:30"."""
    clean = (text or "").strip().translate(THAI_DIGITS)
    date_part, _sep, time_part = clean.replace("T", " ").partition(" ")
    time_part = time_part.strip()
    if not time_part:
        raise ValidationError(
            _("Enter the date and the time, for example %(example)s.")
            % {"example": f"{example_date()} 09:30"},
            code="time_missing",
        )
    moment = dt.datetime.combine(parse_date(date_part), parse_time(time_part))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# The fiscal year ------------------------------------------------------------------------


class FiscalYear(NamedTuple):
    """A Thai government fiscal year, numbered by the Gregorian year it ends in (FY 2027 =
    ปีงบประมาณ 2570 = 1 Oct 2026 – 30 Sep 2027)."""

    year: int

    @property
    def buddhist_year(self) -> int:
        return self.year + BUDDHIST_ERA_OFFSET

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, FISCAL_YEAR_START_MONTH, 1)

    @property
    def end(self) -> dt.date:
        """The last day (inclusive)."""
        return dt.date(self.year, FISCAL_YEAR_START_MONTH, 1) - dt.timedelta(days=1)

    def label(self) -> str:
        """ "ปีงบประมาณ 2570" in Thai, "FY 2027" in English."""
        if is_thai():
            return f"ปีงบประมาณ {self.buddhist_year}"
        return f"FY {self.year}"


def fiscal_year(value: dt.date | dt.datetime) -> FiscalYear:
    day, _time = local_date_and_time(value)
    if day is None:
        raise TypeError("fiscal_year needs a date")
    return FiscalYear(day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year)


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of fiscal year `year` (Gregorian number, see FiscalYear)."""
    fy = FiscalYear(year)
    return fy.start, fy.end


def typed_year_in_gregorian(year: int) -> int:
    """A four-digit year typed in either era as Gregorian: 2570 and 2027 are both 2027."""
    return year - BUDDHIST_ERA_OFFSET if year >= FIRST_BUDDHIST_YEAR else year


def fiscal_year_of_typed(year: int) -> FiscalYear:
    """A fiscal year named by a typed number in either era (2570 or 2027)."""
    return FiscalYear(typed_year_in_gregorian(year))


# Birth years ------------------------------------------------------------------------------


def birth_year_in_gregorian(year: int, *, today: dt.date) -> int:
    """The Gregorian birth year of a year typed in either era: 2528 and 1985 are both 1985.
    Two digits (or fewer) could be either era: refused, naming both readings. Refuses
    future and implausibly old years."""
    if year < 100:
        be = 2500 + year if 2500 + year - BUDDHIST_ERA_OFFSET <= today.year else 2400 + year
        ce = 2000 + year if 2000 + year <= today.year else 1900 + year
        raise ValidationError(
            _(
                "Which year is %(year)s: %(be)s in the Buddhist era (พ.ศ., %(be_as_ce)s) or "
                "%(ce)s (ค.ศ.)? Type all four digits of the year."
            )
            % {"year": year, "be": be, "be_as_ce": be - BUDDHIST_ERA_OFFSET, "ce": ce},
            code="ambiguous_birth_year",
        )
    if year < 1000:
        raise ValidationError(
            _("Type the birth year with four digits, for example %(year)s.")
            % {"year": era_year(1985)},
            code="implausible_birth",
        )
    gregorian = typed_year_in_gregorian(year)
    if gregorian > today.year:
        raise ValidationError(_("The birth year cannot be in the future."), code="future_birth")
    if gregorian < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("A birth year before %(year)s is not possible.")
            % {"year": era_year(EARLIEST_BIRTH_YEAR)},
            code="implausible_birth",
        )
    return gregorian


def birth_date_in_gregorian(day: dt.date, *, today: dt.date) -> dt.date:
    """A birth date whose year was given in the Buddhist era (from a script: 2510-03-12)
    moved to the Gregorian year; then the same checks as a birth year."""
    year = birth_year_in_gregorian(day.year, today=today)
    if year != day.year:
        try:
            day = day.replace(year=year)
        except ValueError:  # 29 Feb of a year that is not leap in the other era
            raise ValidationError(
                _("%(text)s is not a date.") % {"text": format_input(day, thai=False)},
                code="date_day",
            ) from None
    if day > today:
        raise ValidationError(_("The birth date cannot be in the future."), code="future_birth")
    return day
