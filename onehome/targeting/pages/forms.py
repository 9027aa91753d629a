"""Forms of the targeting pages: start a run, import a survey round or a welfare-card list,
choose two runs to compare. Validation of the data itself lives in the import functions."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from onehome.core import thai_dates
from onehome.core.pickers import AreaField, AreaPicker
from onehome.core.widgets import ThaiDateField
from onehome.geo.selectors import area_by_code
from onehome.targeting.catalogue_files import built_in_names
from onehome.targeting.imports import selectors as imports
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.results.labels import catalogue_name, round_label


def catalogue_choices() -> list[tuple[str, str]]:
    return [(name, catalogue_name(name)) for name in built_in_names()]


def default_catalogue() -> str:
    """The newest TPMAP catalogue (its name ends in its year): what the ministry's
    targeting uses, so the forms propose it rather than the first name in order."""
    tpmap = [name for name in built_in_names() if name.startswith("tpmap_")]
    return max(tpmap) if tpmap else built_in_names()[0]


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class _Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class StartRunForm(_Styled, forms.Form):
    survey_round = forms.ModelChoiceField(imports.survey_rounds(), label=_("Survey round"))
    welfare_list = forms.ModelChoiceField(
        imports.welfare_lists(), label=_("Welfare-card list"), required=False
    )
    catalogue = forms.ChoiceField(
        label=_("Indicator catalogue"), choices=catalogue_choices, initial=default_catalogue
    )
    k = forms.CharField(
        label=_("Poverty cutoff k"),
        required=False,
        max_length=16,
        help_text=_('"union" (poor in any indicator, as TPMAP) or a number such as 1/3.'),
    )
    income_threshold = forms.IntegerField(
        label=_("Income threshold (baht per person per year)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for the catalogue's own threshold."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each round as people name it ("รอบสำรวจ จปฐ. ปี 2568"), then its imported name.
        self.fields["survey_round"].label_from_instance = lambda r: f"{round_label(r)} · {r.name}"


class ImportForm(_Styled, forms.Form):
    KINDS = [
        ("survey", _("Survey round (one row per person)")),
        ("welfare", _("Welfare-card list")),
    ]

    kind = forms.ChoiceField(label=_("What is in the file"), choices=KINDS)
    name = forms.CharField(label=_("Name"), max_length=120)
    year = forms.IntegerField(
        label=_("Survey year"),
        required=False,
        widget=forms.TextInput({"inputmode": "numeric", "placeholder": _("e.g. 2025")}),
    )
    as_of = ThaiDateField(label=_("List as of"), required=False)
    catalogue = forms.ChoiceField(
        label=_("Indicator catalogue"), choices=catalogue_choices, initial=default_catalogue
    )
    file = forms.FileField(label=_("File (CSV or Parquet)"))

    def clean_year(self) -> int | None:
        """The Gregorian year of a survey year typed in either era (2568 or 2025)."""
        year = self.cleaned_data.get("year")
        if year is None:
            return None
        gregorian = thai_dates.typed_year_in_gregorian(year)
        if not 2000 <= gregorian <= 2100:
            raise forms.ValidationError(
                _("Enter a survey year between %(first)s and %(last)s.")
                % {"first": thai_dates.era_year(2000), "last": thai_dates.era_year(2100)}
            )
        return gregorian

    def clean(self):
        data = super().clean()
        if data.get("kind") == "survey" and not data.get("year"):
            self.add_error("year", _("Enter the survey year."))
        if data.get("kind") == "welfare" and not data.get("as_of"):
            self.add_error("as_of", _("Enter the date of the list."))
        upload = data.get("file")
        if upload and not upload.name.lower().endswith((".csv", ".parquet")):
            self.add_error("file", _("The file must be .csv or .parquet."))
        return data


AREA_CODE = re.compile(r"\d{2}|\d{4}|\d{6}|\d{8}")
CHOOSE_A_RUN = {"required": _("Choose a run.")}


class CompareForm(forms.Form):
    """Two runs and an area. Unbound, it proposes the newest run and the newest run of an
    older survey round (`year_over_year.default_runs`), so that "Compare" works straight away."""

    earlier = forms.IntegerField(label=_("Earlier run"), error_messages=CHOOSE_A_RUN)
    later = forms.IntegerField(label=_("Later run"), error_messages=CHOOSE_A_RUN)
    # A province, district or sub-district chosen by name (its code is compared); empty
    # compares the whole country.
    area = AreaField(
        level="area",
        required=False,
        label=_("Area"),
        widget=AreaPicker(
            level="area",
            placeholder=_("Type a province, district or sub-district (empty: whole country)"),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            earlier, later = yoy.default_runs()
            self.initial.setdefault("earlier", earlier.pk if earlier else None)
            self.initial.setdefault("later", later.pk if later else None)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "area" in self.errors:  # the box points at the errors above
            self.fields["area"].widget.attrs.update(
                {
                    "class": "form-control is-invalid",
                    "aria-invalid": "true",
                    "aria-describedby": "form-errors",
                }
            )

    def clean_area(self) -> str:
        code = self.cleaned_data.get("area") or ""
        if code and not AREA_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Enter an area code of 2, 4, 6 or 8 digits."), code="invalid"
            )
        # Villages are registered one by one and a survey may name one not registered yet:
        # its sub-district must exist. Larger areas are all loaded from the geography.
        if code and area_by_code(code if len(code) < 8 else code[:6]) is None:
            raise forms.ValidationError(
                _("No area has the code %(code)s."), code="unknown_area", params={"code": code}
            )
        return code
