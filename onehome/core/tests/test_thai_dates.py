"""Dates both ways: typed in the Buddhist era in Thai order (or Gregorian), stored Gregorian;
the fiscal year (1 October – 30 September); birth years in either era."""

import datetime as dt

import pytest
from django.utils import translation

from onehome.core import thai_dates
from onehome.errors import ValidationError

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def thai():
    with translation.override("th"):
        yield


@pytest.mark.parametrize(
    "typed",
    [
        "14/12/2569",  # Buddhist era, Thai order
        "14/12/2026",  # Gregorian, understood: 2026 cannot be a Buddhist-era year
        "๑๔/๑๒/๒๕๖๙",  # Thai digits
        "14-12-2569",
        "14.12.2569",
        " 14 / 12 / 2569 ",
        "14122569",  # typed on a phone keypad without separators
        "2026-12-14",  # ISO, as a script sends it
        "2569-12-14",
    ],
)
def test_a_date_typed_either_way_is_the_same_gregorian_date(thai, typed):
    assert thai_dates.parse_date(typed) == dt.date(2026, 12, 14)


def test_single_digit_day_and_month_are_read():
    assert thai_dates.parse_date("1/2/2510") == dt.date(1967, 2, 1)


def test_a_day_that_does_not_exist_is_refused_in_thai_naming_the_month(thai):
    with pytest.raises(ValidationError) as err:
        thai_dates.parse_date("31/02/2569")
    assert err.value.code == "date_day"
    message = err.value.messages[0]
    assert "กุมภาพันธ์ 2569" in message and "28" in message and "2026" not in message


def test_29_february_of_a_leap_year_is_read_in_the_buddhist_era():
    assert thai_dates.parse_date("29/02/2567") == dt.date(2024, 2, 29)
    with pytest.raises(ValidationError):
        thai_dates.parse_date("29/02/2568")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("14/13/2569", "date_month"),
        ("14/12/69", "date_year_digits"),  # 2069 or 2569? asked for four digits
        ("next tuesday", "date_format"),
        ("12/2569", "date_format"),
    ],
)
def test_what_is_not_a_date_is_refused_with_a_reason(thai, typed, code):
    with pytest.raises(ValidationError) as err:
        thai_dates.parse_date(typed)
    assert err.value.code == code


def test_the_format_hint_shows_the_readers_era():
    with translation.override("th"), pytest.raises(ValidationError) as err:
        thai_dates.parse_date("x")
    assert "14/12/2569" in err.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as err:
        thai_dates.parse_date("x")
    assert "14/12/2026" in err.value.messages[0]


def test_a_date_and_time_are_read_as_bangkok_time():
    moment = thai_dates.parse_datetime("๑๔/๑๒/๒๕๖๙ 09:30")
    assert moment == dt.datetime(2026, 12, 14, 2, 30, tzinfo=dt.UTC)
    assert thai_dates.parse_datetime("2026-12-14T09:30") == moment
    with pytest.raises(ValidationError):
        thai_dates.parse_datetime("14/12/2569 25:00")
    with pytest.raises(ValidationError) as err:
        thai_dates.parse_datetime("14/12/2569")
    assert err.value.code == "time_missing"


def test_a_date_is_written_in_the_readers_era():
    with translation.override("th"):
        assert thai_dates.format_input(dt.date(2026, 12, 14)) == "14/12/2569"
        assert thai_dates.format_date(dt.date(2026, 12, 6)) == "6 ธ.ค. 2569"
        assert thai_dates.format_date(dt.date(2026, 12, 6), long=True) == "6 ธันวาคม 2569"
    with translation.override("en"):
        assert thai_dates.format_input(dt.date(2026, 12, 14)) == "14/12/2026"
        assert thai_dates.format_date(dt.date(2026, 12, 6)) == "6 Dec 2026"
    moment = dt.datetime(2026, 12, 14, 2, 30, tzinfo=dt.UTC)
    with translation.override("th"):
        assert thai_dates.format_input(moment) == "14/12/2569 09:30"


@pytest.mark.parametrize(
    ("day", "fiscal"),
    [
        (dt.date(2026, 9, 30), 2026),
        (dt.date(2026, 10, 1), 2027),
        (dt.date(2027, 9, 30), 2027),
        (dt.date(2027, 1, 15), 2027),
    ],
)
def test_the_fiscal_year_starts_on_1_october(day, fiscal):
    assert thai_dates.fiscal_year(day).year == fiscal


def test_fiscal_year_2570_runs_from_1_october_2026_to_30_september_2027():
    assert thai_dates.fiscal_year_bounds(2027) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    fy = thai_dates.fiscal_year(dt.date(2026, 12, 14))
    assert fy.buddhist_year == 2570
    with translation.override("th"):
        assert fy.label() == "ปีงบประมาณ 2570"
    with translation.override("en"):
        assert fy.label() == "FY 2027"
    assert thai_dates.fiscal_year_of_typed(2570) == thai_dates.fiscal_year_of_typed(2027)


def test_a_fiscal_year_includes_a_late_evening_of_30_september_in_bangkok():
    # 30 Sep 2027 20:00 in Bangkok is 13:00 UTC: still fiscal year 2027.
    moment = dt.datetime(2027, 9, 30, 13, 0, tzinfo=dt.UTC)
    assert thai_dates.fiscal_year(moment).year == 2027
    # 1 Oct 2026 00:30 in Bangkok is 30 Sep 17:30 UTC: already fiscal year 2027.
    assert thai_dates.fiscal_year(dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC)).year == 2027


@pytest.mark.parametrize(
    ("typed", "year"), [(2528, 1985), (1985, 1985), (2569, 2026), (1880, 1880)]
)
def test_a_birth_year_in_either_era_is_understood(typed, year):
    assert thai_dates.birth_year_in_gregorian(typed, today=TODAY) == year


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (28, "ambiguous_birth_year"),
        (7, "ambiguous_birth_year"),
        (985, "implausible_birth"),
        (2027, "future_birth"),
        (2570, "future_birth"),
        (2100, "future_birth"),
        (1700, "implausible_birth"),
    ],
)
def test_a_birth_year_that_cannot_be_read_is_asked_again(typed, code):
    with pytest.raises(ValidationError) as err:
        thai_dates.birth_year_in_gregorian(typed, today=TODAY)
    assert err.value.code == code


def test_an_ambiguous_birth_year_names_both_readings(thai):
    with pytest.raises(ValidationError) as err:
        thai_dates.birth_year_in_gregorian(28, today=TODAY)
    message = err.value.messages[0]
    assert "2528" in message and "1928" in message
    with pytest.raises(ValidationError) as err:
        thai_dates.birth_year_in_gregorian(90, today=TODAY)
    message = err.value.messages[0]  # 2590 and 2090 are in the future: the past readings
    assert "2490" in message and "1990" in message


@pytest.mark.parametrize("typed", ["01/01/0000", "0000-01-01", "01/01/0543", "1/1/9999"])
def test_a_year_no_record_can_have_is_refused_not_crashed(typed):
    with pytest.raises(ValidationError) as refused:
        thai_dates.parse_date(typed)
    assert refused.value.code == "date_year_range"
