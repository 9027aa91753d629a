"""Forms of the case pages. They check input shapes only; the rules are in the services,
whose errors reach the user through `apply_service_error`."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.errors import ValidationError
from onehome.orgs.models import Organisation
from onehome.registry.models import Sex

from . import catalogue
from .intake import PUBLIC_CALL_TYPES
from .models import CallType, Channel, PartyRole, Risk, Urgency

# Service error codes → the field they are about.
FIELD_FOR_CODE = {
    "unknown_area": "subdistrict",
    "category": "category",
    "subcategory": "subcategory",
    "call_type": "call_type",
    "urgency": "urgency",
    "occurred_at": "occurred_at",
    "reason": "reason",
}


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if isinstance(field, str) and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the field it is about, or on the whole form."""
    field = FIELD_FOR_CODE.get(getattr(error, "code", None) or "")
    if field not in form.fields:
        field = None
    for message in error.messages:
        form.add_error(field, message)


def safe_next(request, default: str) -> str:
    """Where to go back after a POST: a local path from the form, else `default`."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def new_key() -> str:
    return uuid.uuid4().hex


def _issue_choices() -> list:
    return [("", _("— choose —")), *catalogue.choices()]


def _sub_choices() -> list:
    groups: list = [("", _("— none —"))]
    for issue in catalogue.issues():
        groups.append((issue.label, [(s.code, s.label) for s in issue.subs]))
    return groups


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


AREA_ATTRS = {
    "inputmode": "numeric",
    "autocomplete": "off",
    "list": "subdistrict-options",
    "placeholder": "570101",
}


class ReportFormBase(StyledForm):
    subdistrict = forms.CharField(
        label=_("Sub-district (code or name)"),
        max_length=120,
        widget=forms.TextInput(attrs=AREA_ATTRS),
        help_text=_("Type a name or a 6-digit code and pick from the list."),
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Issue"), required=False)
    subcategory = forms.ChoiceField(label=_("Sub-problem"), required=False)
    summary = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reporter_anonymous = forms.BooleanField(label=_("The reporter stays anonymous"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=_("Reporter's phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _issue_choices()
        self.fields["subcategory"].choices = _sub_choices()

    def clean_subdistrict(self) -> str:
        """Accept "570101" or "570101 เวียง" (what the datalist fills in)."""
        value = self.cleaned_data["subdistrict"].strip()
        code = value.split()[0] if value else ""
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("Pick a sub-district from the list (6-digit code)."))
        return code


class IntakeForm(ReportFormBase):
    """The hotline intake form; field order is the tab order."""

    call_type = forms.ChoiceField(
        label=_("Call type"), choices=CallType.choices, widget=forms.RadioSelect, initial="new"
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, widget=forms.RadioSelect, initial="normal"
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        initial=Channel.HOTLINE,
    )
    village = forms.CharField(
        label=_("Village code"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("When it happened"), required=False, widget=DateTimeInput()
    )
    risks = forms.MultipleChoiceField(
        label=_("Risk checklist"),
        choices=Risk.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reporter_relation = forms.CharField(
        label=_("Relation to the people"), max_length=100, required=False
    )
    close_enquiry = forms.BooleanField(
        label=_("Enquiry answered during the call (close it)"), required=False
    )

    field_order = [
        "call_type",
        "urgency",
        "channel",
        "subdistrict",
        "village",
        "address",
        "category",
        "subcategory",
        "summary",
        "occurred_at",
        "risks",
        "reporter_anonymous",
        "reporter_name",
        "reporter_phone",
        "reporter_relation",
        "close_enquiry",
        "idempotency_key",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call_type"].widget.attrs["autofocus"] = True


class PartyForm(StyledForm):
    """One person on the report: linked to the registry (person id) or described."""

    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    person_id = forms.IntegerField(
        label=_("Registry no."),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "—"), *Sex.choices]

    def party(self) -> dict | None:
        """The party as the intake service takes it; None for an empty row."""
        d = self.cleaned_data
        if not (d.get("person_id") or d.get("name") or d.get("description")):
            return None
        return {
            "role": d["role"],
            "person_id": d.get("person_id"),
            "name": d.get("name", ""),
            "sex": d.get("sex", ""),
            "age": d.get("age"),
            "description": d.get("description", ""),
        }


PartyFormSet = forms.formset_factory(PartyForm, extra=0, max_num=10)
# Two rows for people needing help and one for an alleged offender, kept apart on the page.
PARTY_ROWS = [
    {"role": PartyRole.VICTIM},
    {"role": PartyRole.VICTIM},
    {"role": PartyRole.ALLEGED_OFFENDER},
]


class PublicReportForm(ReportFormBase):
    """The public web form: no registry links, no offender's details shown back."""

    call_type = forms.ChoiceField(
        label=_("Your report is"),
        choices=[c for c in CallType.choices if c[0] in PUBLIC_CALL_TYPES],
        widget=forms.RadioSelect,
        initial="new",
    )
    person_name = forms.CharField(
        label=_("Name of the person who needs help"), max_length=200, required=False
    )
    person_age = forms.IntegerField(
        label=_("Their age"), required=False, min_value=0, max_value=130
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for bots

    field_order = [
        "call_type",
        "subdistrict",
        "address",
        "category",
        "subcategory",
        "summary",
        "person_name",
        "person_age",
        "reporter_anonymous",
        "reporter_name",
        "reporter_phone",
        "idempotency_key",
    ]


class TrackForm(StyledForm):
    reference = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(VersionForm):
    to_status = forms.CharField(widget=forms.HiddenInput, max_length=24)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MergeForm(VersionForm):
    case_number = forms.CharField(label=_("Case number"), max_length=20)


class NoteForm(StyledForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class GlassForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you need this case now?"),
        max_length=300,
        # The service checks the reason, after the scope (out of scope is 404 first).
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )


class ReferralForm(VersionForm):
    to_org = forms.ModelChoiceField(label=_("Refer to"), queryset=Organisation.objects.none())
    need = forms.CharField(
        label=_("What is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_at = forms.DateField(
        label=_("Needed by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, province_id: str | None = None, exclude_org: int | None = None, **kw):
        super().__init__(*args, **kw)
        qs = Organisation.objects.filter(accepts_referrals=True)
        if province_id:
            qs = qs.filter(province_id=province_id)
        if exclude_org:
            qs = qs.exclude(pk=exclude_org)
        self.fields["to_org"].queryset = qs.order_by("kind", "name_th")
        self.fields["due_at"].initial = timezone.localdate() + timezone.timedelta(days=7)


class ReferralStepForm(VersionForm):
    text = forms.CharField(label=_("Note"), max_length=5000, required=False)
