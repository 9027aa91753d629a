"""Forms of the privacy pages: shapes only; the rules are in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm
from onehome.core.widgets import ThaiDateField, ThaiDateTimeField
from onehome.privacy.models import ConsentPurpose, GivenBy, LawfulBasis, RequestKind, RiskLevel


def _datetime(label, required=True):
    return ThaiDateTimeField(label=label, required=required)


class ConsentForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"), choices=LawfulBasis.choices, initial=LawfulBasis.CONSENT
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=GivenBy.choices)
    given_by_name = forms.CharField(
        label=_("Name of the guardian or curator"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WithdrawForm(VersionForm):
    note = forms.CharField(label=_("Reason for withdrawal"), max_length=300, required=False)


class RequestForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = ThaiDateField(label=_("Received on"))
    requested_by_name = forms.CharField(
        label=_("Requested by (if not the person)"), max_length=200, required=False
    )
    details = forms.CharField(
        label=_("What is asked"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class StepForm(VersionForm):
    text = forms.CharField(label=_("Answer or reason"), max_length=2000, required=False)


class BreachForm(StyledForm):
    discovered_at = _datetime(_("Discovered at"))
    subdistrict = forms.CharField(label=_("Sub-district code"), max_length=6)
    description = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    records_affected = forms.IntegerField(label=_("Records affected"), min_value=0, initial=0)
    people_affected = forms.IntegerField(label=_("People affected"), min_value=0, initial=0)
    risk = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    measures = forms.CharField(
        label=_("Measures taken"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoticeForm(VersionForm):
    at = _datetime(_("Notified at"))
    late_reason = forms.CharField(
        label=_("Reason for a notice later than 72 hours"), max_length=300, required=False
    )


class CloseForm(VersionForm):
    text = forms.CharField(label=_("How it was resolved"), max_length=2000)
