"""Forms of referrals: sending one from the case page, and each answer of the receiver."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import VersionForm
from onehome.core.pickers import organisation_field
from onehome.core.widgets import ThaiDateField
from onehome.orgs.models import Organisation


class ReferralForm(VersionForm):
    to_org = organisation_field(_("Refer to"), purpose="referral")
    need = forms.CharField(
        label=_("What is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_at = ThaiDateField(label=_("Needed by"))
    # PDPA: an organisation outside the ministry needs the people's consent, or this.
    emergency_reason = forms.CharField(
        label=_("Emergency without consent (vital interest): reason"),
        help_text=_(
            "Only for an organisation outside the ministry when the person has not consented "
            "and a life or health is in danger. The override is recorded for the DPO."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )

    def __init__(
        self,
        *args,
        province_id: str | None = None,
        exclude_org: int | None = None,
        area: str | None = None,
        **kw,
    ):
        super().__init__(*args, **kw)
        picker = self.fields["to_org"].widget  # the case's area ranks the suggestions
        picker.params.update(province=province_id, exclude=exclude_org, area=area)
        qs = Organisation.objects.filter(accepts_referrals=True)
        if province_id:
            qs = qs.filter(province_id=province_id)
        if exclude_org:
            qs = qs.exclude(pk=exclude_org)
        self.fields["to_org"].queryset = qs.order_by("kind", "name_th")
        self.fields["due_at"].initial = timezone.localdate() + timezone.timedelta(days=7)


class ReferralStepForm(VersionForm):
    text = forms.CharField(label=_("Note"), max_length=5000, required=False)
