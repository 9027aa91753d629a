"""Forms of the household development plan: agreeing it, a goal (added or edited, with
who helps and its progress), a goal's step. Shapes only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm
from onehome.cases.models import Dimension
from onehome.core.pickers import AreaField, AreaPicker, organisation_field
from onehome.core.widgets import ThaiDateField
from onehome.orgs.models import Organisation
from onehome.registry.models import Household
from onehome.volunteers.models import WORKING, Volunteer


class StartPlanForm(StyledForm):
    agreed_on = ThaiDateField(label=_("Agreed with the family on"))
    agreed_with = forms.TypedChoiceField(label=_("Agreed with"), coerce=int)
    follow_up_days = forms.IntegerField(
        label=_("Visit every (days)"), min_value=7, max_value=180, initial=30
    )

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_with"].choices = members
        self.fields["agreed_on"].initial = timezone.localdate()


class HouseholdGoalForm(StyledForm):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    goal = forms.CharField(label=_("Goal"), max_length=300)
    action = forms.CharField(label=_("Action"), max_length=300)
    agency = organisation_field(_("Agency or partner who helps"), purpose="agency", required=False)
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer who helps"), queryset=Volunteer.objects.none(), required=False
    )
    due_date = ThaiDateField(label=_("Due date"))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        province = household.subdistrict_id[:2]
        self.fields["agency"].widget.params.update(province=province, area=household.subdistrict_id)
        self.fields["agency"].queryset = Organisation.objects.filter(
            Q(province_id=province) | Q(province__isnull=True)
        ).order_by("kind", "name_th")
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            subdistrict_id=household.subdistrict_id, status__in=WORKING
        ).select_related("person")
        self.fields["volunteer"].label_from_instance = lambda v: str(v.person)
        if not self.is_bound and "due_date" not in self.initial:
            self.fields["due_date"].initial = timezone.localdate() + timezone.timedelta(days=90)

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "dimension": d["dimension"],
            "goal": d["goal"],
            "action": d["action"],
            "agency_id": d["agency"].pk if d.get("agency") else None,
            "volunteer_id": d["volunteer"].pk if d.get("volunteer") else None,
            "due_date": d["due_date"],
            "progress": d["progress"],
        }


class EditGoalForm(HouseholdGoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GoalStepForm(VersionForm):
    text = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AreaFilterForm(forms.Form):
    area = AreaField(
        level="area",
        required=False,
        label=_("Area"),
        widget=AreaPicker(level="area", placeholder=_("Type a district or sub-district")),
    )
