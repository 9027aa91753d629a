"""Forms of intake and triage: the hotline form with its people, the public self-report and
tracking forms, and the reasons of a merge or a close. They check input shapes only; the
rules are in the services, whose errors reach the user through `apply_service_error`."""

import uuid

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm
from onehome.cases.intake import catalogue
from onehome.cases.intake.services import PUBLIC_CALL_TYPES
from onehome.cases.models import CallType, Channel, PartyRole, Risk, Urgency
from onehome.core.widgets import ThaiDateTimeField
from onehome.registry.models import Sex


def new_key() -> str:
    return uuid.uuid4().hex


def _issue_choices() -> list:
    return [("", _("— choose —")), *catalogue.choices()]


def _sub_choices() -> list:
    groups: list = [("", _("— none —"))]
    for issue in catalogue.issues():
        groups.append((issue.label, [(s.code, s.label) for s in issue.subs]))
    return groups


def sub_choices_of(category: str) -> list:
    """The sub-problem choices to show once an issue is chosen: that issue's only (every
    issue's, grouped, while none is)."""
    issue = catalogue.issue(category or "")
    if issue is None:
        return _sub_choices()
    return [("", _("— none —")), *((s.code, s.label) for s in issue.subs)]


def _sub_label(code: str) -> str:
    for issue in catalogue.issues():
        found = issue.sub(code)
        if found is not None:
            return found.label
    return code


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

    # Where the issue select asks for its sub-problems (htmx; without JavaScript the page
    # shows every sub-problem grouped by issue and `clean` refuses a mismatch).
    subproblems_url = "cases:subproblem_options"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _issue_choices()
        self.fields["subcategory"].choices = _sub_choices()
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse(self.subproblems_url),
                "hx-trigger": "change",
                "hx-target": f"#{self['subcategory'].auto_id}",
                "hx-swap": "innerHTML",
                "aria-controls": self["subcategory"].auto_id,
            }
        )
        # Shown: the chosen issue's sub-problems only (the field still knows them all, so a
        # mismatch is refused by `clean` with a message, not as an unknown choice).
        chosen = self["category"].value() if self.is_bound else self.initial.get("category")
        self.fields["subcategory"].widget.choices = sub_choices_of(chosen or "")

    def clean(self):
        data = super().clean()
        category, sub = data.get("category") or "", data.get("subcategory") or ""
        if sub and not category:
            self.add_error("category", _("Choose the issue of the sub-problem."))
        elif sub and category:
            issue = catalogue.issue(category)
            if issue is not None and issue.sub(sub) is None:
                self.add_error(
                    "subcategory",
                    _("“%(sub)s” is not a sub-problem of “%(issue)s”: choose one of its own.")
                    % {"sub": _sub_label(sub), "issue": issue.label},
                )
        return data

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
    occurred_at = ThaiDateTimeField(label=_("When it happened"), required=False)
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

    subproblems_url = "public:subproblems"

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


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MergeForm(VersionForm):
    case_number = forms.CharField(label=_("Case number"), max_length=20)
