"""Forms of the case page's own actions: status changes, notes, workers and transfer.
Shapes only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onehome.access.models import User
from onehome.cases.form_base import StyledForm, VersionForm
from onehome.cases.models import Case, CaseWorker
from onehome.core.pickers import organisation_field
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation


class TransitionForm(VersionForm):
    to_status = forms.CharField(widget=forms.HiddenInput, max_length=24)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class NoteForm(StyledForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(VersionForm):
    user = forms.ModelChoiceField(label=_("Worker"), queryset=User.objects.none())
    lead = forms.BooleanField(label=_("Lead worker"), required=False)

    def __init__(self, *args, case: Case | None = None, actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Colleagues of the agencies on the case; the service checks role and area.
        qs = User.objects.filter(is_active=True)
        if case is not None:
            orgs = {o for o in (case.owner_id, actor and actor.organisation_id) if o}
            qs = qs.filter(organisation_id__in=orgs)
            qs = qs.exclude(pk__in=CaseWorker.objects.filter(case=case).values("user_id"))
        self.fields["user"].queryset = qs.order_by("first_name", "username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class UnassignForm(VersionForm):
    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TransferForm(VersionForm):
    to_org = organisation_field(_("Transfer to"), purpose="transfer")
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(kind__in=AGENCY_KINDS | CENTRE_KINDS)
        if case is not None:
            province = case.subdistrict.province_id
            qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
            qs = qs.exclude(pk=case.owner_id)
            self.fields["to_org"].widget.params.update(
                province=province, exclude=case.owner_id, area=case.subdistrict_id
            )
        self.fields["to_org"].queryset = qs.order_by("kind", "name_th")


class CloseForm(VersionForm):
    """The one "close the case" action; the view acts only on a confirmed POST."""

    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
