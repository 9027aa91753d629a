"""The one date box: Buddhist era in Thai order in Thai, Gregorian in English, a calendar
button, and the stored value always Gregorian."""

import datetime as dt

from django import forms
from django.utils import translation

from onehome.core.widgets import ThaiDateField, ThaiDateTimeField


class DateForm(forms.Form):
    day = ThaiDateField(label="Day")
    moment = ThaiDateTimeField(label="When", required=False)


def _html(form: forms.Form, name: str) -> str:
    return str(form[name])


def test_the_box_shows_the_buddhist_era_in_thai():
    with translation.override("th"):
        html = _html(DateForm(initial={"day": dt.date(2026, 12, 14)}), "day")
    assert 'type="text"' in html and 'value="14/12/2569"' in html
    assert 'placeholder="วว/ดด/ปปปป"' in html
    assert 'inputmode="numeric"' in html
    assert 'data-era="be"' in html
    assert 'data-thai-date-open="id_day"' in html and 'aria-haspopup="dialog"' in html
    assert 'type="date"' not in html


def test_the_box_shows_the_gregorian_year_in_english():
    with translation.override("en"):
        html = _html(DateForm(initial={"day": dt.date(2026, 12, 14)}), "day")
    assert 'value="14/12/2026"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'data-era="ce"' in html
    assert "Choose the date from a calendar" in html


def test_the_date_time_box_shows_local_time():
    moment = dt.datetime(2026, 12, 14, 2, 30, tzinfo=dt.UTC)
    with translation.override("th"):
        html = _html(DateForm(initial={"day": dt.date(2026, 1, 1), "moment": moment}), "moment")
    assert 'value="14/12/2569 09:30"' in html
    assert 'data-thai-date="datetime"' in html


def test_a_typed_buddhist_era_date_is_cleaned_to_the_gregorian_date():
    with translation.override("th"):
        form = DateForm({"day": "14/12/2569", "moment": "14/12/2569 09:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 14)
    assert form.cleaned_data["moment"] == dt.datetime(2026, 12, 14, 2, 30, tzinfo=dt.UTC)


def test_a_wrong_date_is_an_error_on_the_field_and_shown_back_as_typed():
    with translation.override("th"):
        form = DateForm({"day": "31/02/2569"})
        assert not form.is_valid()
        assert "กุมภาพันธ์" in form.errors["day"][0]
        assert 'value="31/02/2569"' in _html(form, "day")
