"""The one date box of every form: typed as day/month/year in the reader's era (วว/ดด/ปปปป in
the Buddhist era in Thai, dd/mm/yyyy in English) or picked from a calendar
(onehome/web/static/onehome/thai-date.js), and stored as a Gregorian date. The rules of
reading and writing the text are in `onehome.core.thai_dates`."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.core import thai_dates


class ThaiDateInput(forms.TextInput):
    """A text box with a calendar button beside it. The value shows in the reader's era;
    text typed by the user is shown back as typed."""

    template_name = "web/widgets/thai_date.html"
    with_time = False

    def __init__(self, attrs: dict | None = None):
        defaults = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai_dates.format_input(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        thai = thai_dates.is_thai()
        pattern = "วว/ดด/ปปปป" if thai else "dd/mm/yyyy"
        if self.with_time:
            pattern += " ชช:นน" if thai else " hh:mm"
        widget_attrs.setdefault("placeholder", pattern)
        widget_attrs["data-thai-date"] = "datetime" if self.with_time else "date"
        widget_attrs["data-era"] = "be" if thai else "ce"
        context["widget"]["thai"] = thai
        context["widget"]["labels"] = {
            "open": _("Choose the date from a calendar"),
            "dialog": _("Calendar"),
            "previous": _("Previous month"),
            "next": _("Next month"),
            "month": _("Month"),
            "year": _("Year"),
            "close": _("Close"),
            "today": _("Today"),
        }
        return context


class ThaiDateTimeInput(ThaiDateInput):
    """The date box with a time after it: "14/12/2569 09:30"."""

    with_time = True


def _django_error(exc: forms.ValidationError) -> forms.ValidationError:
    return forms.ValidationError(exc.messages[0], code=exc.code)


class ThaiDateField(forms.DateField):
    widget = ThaiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return thai_dates.parse_date(str(value))
        except forms.ValidationError as exc:
            raise _django_error(exc) from None


class ThaiDateTimeField(forms.DateTimeField):
    widget = ThaiDateTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            return thai_dates.parse_datetime(str(value))
        except forms.ValidationError as exc:
            raise _django_error(exc) from None

    def prepare_value(self, value):
        return value  # the widget shows it in local time and the reader's era
