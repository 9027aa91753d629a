"""Forms of the registry pages. They parse and check input shapes; the rules (identity
numbers, birth years, duplicates, scope) live in `identity` and `services` and reach the
user through `apply_service_error`."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.core.pickers import AreaField, AreaPicker, PersonField
from onehome.core.widgets import ThaiDateField
from onehome.errors import ValidationError
from onehome.geo.selectors import area_by_code

from . import identity
from .models import Disability, IdType, Relationship, Sex

DIGITS = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and htmx inline validation when a URL is given:
    leaving a field posts the form to `validate_url`, which answers that field's errors."""

    def __init__(self, *args, validate_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css, trigger = "form-check-input", "change"
            elif isinstance(widget, forms.Select):
                css, trigger = "form-select", "change"
            else:
                css, trigger = "form-control", "blur"
            widget.attrs["class"] = css
            if validate_url and not isinstance(widget, forms.HiddenInput):
                widget.attrs.update(
                    {
                        "hx-post": validate_url,
                        "hx-trigger": trigger,
                        "hx-target": f"#err-{self.add_prefix(name)}",
                        "hx-include": "closest form",
                        "hx-swap": "innerHTML",
                    }
                )

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        names = [field] if isinstance(field, str) else list(getattr(error, "error_dict", {}))
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def area_code_error(code: str, length: int) -> str | None:
    if not code:
        return None
    if len(code) != length or not code.isdigit():
        # What reaches here is a typed name, not a suggestion chosen from the list.
        if length == 8:
            return _("Type the village's name or number and choose it from the list.")
        return _("Type the sub-district's name and choose it from the list.")
    if area_by_code(code) is None:
        return _("No area has the code %(code)s.") % {"code": code}
    return None


def field_for_error(code: str | None, data: dict) -> str | None:
    """The form field a service error is about, judged from its code."""
    code = code or ""
    if code == "id_type":
        return "id_type"
    if code.startswith("id_"):
        return "id_number"
    if "birth" in code or code == "buddhist_era_year":
        return (
            "birth_year" if data.get("birth_year") and not data.get("birth_date") else "birth_date"
        )
    if code == "unknown_area":
        return "subdistrict"
    if code in {"first_name_th", "registration_no", "relationship"}:
        return code
    if code in {"future_date", "move_date"}:
        return "since"
    return None


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the field it is about (or on the whole form)."""
    field = field_for_error(getattr(error, "code", None), form.cleaned_data or {})
    if field not in form.fields:
        field = None
    for message in error.messages:
        form.add_error(field, message)


class BirthFieldsMixin(StyledForm):
    birth_date = ThaiDateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Or, when only the year is known, enter the year below."),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year (Buddhist or Gregorian era)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("e.g. 1985")}),
    )

    def _check(self, **birth) -> None:
        """The same rules as the service (`identity.resolve_birth`), field by field."""
        try:
            identity.resolve_birth(**birth, today=timezone.localdate())
        except ValidationError as exc:
            raise DjangoValidationError(exc.messages, code=exc.code) from None

    def clean_birth_date(self) -> dt.date | None:
        value = self.cleaned_data.get("birth_date")
        self._check(birth_date=value, birth_year=None)
        return value

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data.get("birth_year")
        self._check(birth_date=None, birth_year=value)
        return value


class PersonFieldsForm(BirthFieldsMixin):
    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("Document number"), required=False, max_length=30, widget=forms.TextInput(DIGITS)
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=30)
    first_name_th = forms.CharField(label=_("First name (Thai)"), max_length=100)
    last_name_th = forms.CharField(label=_("Last name (Thai)"), required=False, max_length=100)
    first_name_en = forms.CharField(label=_("First name (English)"), required=False, max_length=100)
    last_name_en = forms.CharField(label=_("Last name (English)"), required=False, max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    disability = forms.ChoiceField(
        label=_("Disability"), required=False, choices=[("", _("None"))] + list(Disability.choices)
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput({"inputmode": "tel"}),
    )
    line_id = forms.CharField(label=_("LINE ID"), required=False, max_length=50)
    no_fixed_address = forms.BooleanField(label=_("No fixed address (homeless)"), required=False)

    field_order = [
        "id_type",
        "id_number",
        "title",
        "first_name_th",
        "last_name_th",
        "first_name_en",
        "last_name_en",
        "sex",
        "birth_date",
        "birth_year",
    ]

    def clean_id_number(self) -> str | None:
        number = self.cleaned_data.get("id_number") or ""
        id_type = self.data.get(self.add_prefix("id_type")) or IdType.THAI_ID
        try:
            return identity.normalise_id(id_type, number)
        except ValidationError as exc:
            raise DjangoValidationError(exc.messages, code=exc.code) from None

    def person_data(self) -> dict:
        """The cleaned person fields, as `register_person` and `update_person` take them."""
        d = self.cleaned_data
        texts = ["title", "last_name_th", "first_name_en", "last_name_en", "sex", "disability",
                 "phone", "line_id"]  # fmt: skip
        data = {name: d.get(name) or "" for name in texts}
        for name in ("id_type", "id_number", "first_name_th", "birth_date", "birth_year"):
            data[name] = d.get(name)
        data["no_fixed_address"] = bool(d.get("no_fixed_address"))
        return data


class AreaFieldsForm(StyledForm):
    """The sub-district and optional village of a person or household, checked early."""

    subdistrict = AreaField(
        level="subdistrict",
        label=_("Sub-district"),
        max_length=100,
        error_messages={"required": _("Type the sub-district's name and choose it from the list.")},
    )
    village = AreaField(
        level="village",
        label=_("Village (optional)"),
        required=False,
        max_length=100,
        widget=AreaPicker(
            level="village", within="id_subdistrict_value", parent="id_subdistrict_value"
        ),
    )

    def clean_subdistrict(self) -> str:
        code = (self.cleaned_data.get("subdistrict") or "").strip()
        if message := area_code_error(code, 6):
            raise DjangoValidationError(message)
        return code

    def clean_village(self) -> str | None:
        code = (self.cleaned_data.get("village") or "").strip()
        if message := area_code_error(code, 8):
            raise DjangoValidationError(message)
        return code or None


class PersonCreateForm(PersonFieldsForm, AreaFieldsForm):
    acknowledge_duplicates = forms.BooleanField(
        label=_("None of these is the person I am registering"), required=False
    )


class PersonEditForm(PersonFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdCreateForm(AreaFieldsForm):
    house_no = forms.CharField(label=_("House number"), required=False, max_length=30)
    registration_no = forms.CharField(
        label=_("House registration number (11 digits)"),
        required=False,
        max_length=11,
        widget=forms.TextInput(DIGITS),
    )
    address_detail = forms.CharField(label=_("Address details"), required=False, max_length=200)


class HouseholdEditForm(HouseholdCreateForm):
    """The address of an existing household; its sub-district stays (see update_household),
    so the village is looked for in it (``subdistrict``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, subdistrict: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["subdistrict"]
        village = self.fields["village"].widget
        village.within, village.parent = "", ""
        village.params["within"] = subdistrict


class MemberForm(StyledForm):
    """Add an existing person to a household (moving them if they live elsewhere)."""

    person = PersonField(  # a typed name or ID is looked for in the scope of .user (the view's)
        label=_("Person"),
        error_messages={
            "required": _("Type the person's name or national ID and choose them from the list."),
            "invalid": _("Type the person's name or national ID and choose them from the list."),
        },
    )
    relationship = forms.ChoiceField(label=_("Relationship to head"), choices=Relationship.choices)
    since = ThaiDateField(label=_("Living here since"), required=False)


class MoveForm(StyledForm):
    """Move a person into another household, chosen by its number."""

    household = forms.IntegerField(
        label=_("Household number"), min_value=1, widget=forms.NumberInput({"inputmode": "numeric"})
    )
    relationship = forms.ChoiceField(label=_("Relationship to head"), choices=Relationship.choices)
    since = ThaiDateField(label=_("Living there since"), required=False)


class MergeForm(StyledForm):
    duplicate = forms.IntegerField(
        label=_("Number of the duplicate record"),
        min_value=1,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    reason = forms.CharField(label=_("Why these are the same person"), max_length=300)


class UndoMergeForm(StyledForm):
    reason = forms.CharField(label=_("Why the merge is undone"), max_length=300)


class SearchForm(StyledForm):
    q = forms.CharField(label=_("Name or national ID"), required=False, max_length=100)
    # A province, district, sub-district or village, chosen by name; its code is searched.
    area = AreaField(level="area", label=_("Area"), required=False, max_length=8)
    group = forms.ChoiceField(label=_("Target group"), required=False)

    def __init__(self, *args, groups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All"))] + list(groups.items())
