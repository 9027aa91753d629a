"""Dates show in the Buddhist era for Thai readers and in the Gregorian calendar in English."""

import datetime as dt

from django.utils import translation

from onehome.web.templatetags.thai_dates import birth_date, thai_date, year


def test_thai_date_uses_thai_month_and_buddhist_year():
    with translation.override("th"):
        assert thai_date(dt.date(1967, 3, 12)) == "12 มี.ค. 2510"
        assert thai_date(dt.date(2024, 12, 1)) == "1 ธ.ค. 2567"


def test_english_date_stays_gregorian():
    with translation.override("en"):
        assert thai_date(dt.date(1967, 3, 12)) == "12 Mar 1967"


def test_datetime_is_shown_in_local_time_with_time_on_request():
    moment = dt.datetime(2024, 1, 31, 18, 30, tzinfo=dt.UTC)  # 01:30 next day in Bangkok
    with translation.override("th"):
        assert thai_date(moment) == "1 ก.พ. 2567"
        assert thai_date(moment, True) == "1 ก.พ. 2567 01:30"


def test_a_year_is_counted_as_the_reader_counts():
    with translation.override("th"):
        assert year(dt.date(1967, 3, 12)) == 2510
        assert year(2024) == 2567
        assert year("2024") == 2567
    with translation.override("en"):
        assert year(2024) == 2024
    assert year(None) == ""


def test_missing_values_show_nothing():
    assert thai_date(None) == ""
    assert thai_date("") == ""
    assert birth_date(None) == ""


def test_approximate_birth_date_shows_only_the_year():
    with translation.override("th"):
        assert birth_date(dt.date(1967, 7, 1), True) == "พ.ศ. 2510 (โดยประมาณ)"
        assert birth_date(dt.date(1967, 3, 12), False) == "12 มี.ค. 2510"
    with translation.override("en"):
        assert birth_date(dt.date(1967, 7, 1), True) == "1967 (approximate)"
