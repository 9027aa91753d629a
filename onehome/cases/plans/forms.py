"""Forms of the assessment (a level and a note per dimension, protection risks) and of the
plan's goals. Shapes only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm
from onehome.cases.models import Dimension, Risk
from onehome.core.pickers import organisation_field
from onehome.core.widgets import ThaiDateField
from onehome.orgs.models import Organisation

LEVEL_CHOICES = [
    (0, _("0 · no need")),
    (1, _("1 · some need")),
    (2, _("2 · serious")),
    (3, _("3 · severe")),
]


class AssessmentForm(StyledForm):
    """A level (0–3) and a note for each of the five dimensions, and protection risks."""

    protection_risks = forms.MultipleChoiceField(
        label=_("Protection risks"),
        choices=Risk.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for dim in Dimension:
            fields[f"level_{dim.value}"] = forms.TypedChoiceField(
                label=dim.label, choices=LEVEL_CHOICES, coerce=int, initial=0
            )
            fields[f"note_{dim.value}"] = forms.CharField(
                label=_("Note"), max_length=1000, required=False
            )
        fields.update(self.fields)
        self.fields = fields
        self.fields["protection_risks"].widget.attrs["class"] = "form-check-input"
        for name, field in self.fields.items():
            if name.startswith(("level_", "note_")):
                css = "form-select" if name.startswith("level_") else "form-control"
                field.widget.attrs["class"] = css

    def rows(self):
        """(level field, note field) per dimension, for the template."""
        return [(self[f"level_{d.value}"], self[f"note_{d.value}"]) for d in Dimension]

    def dimensions(self) -> dict:
        d = self.cleaned_data
        return {
            dim.value: {"level": d[f"level_{dim.value}"], "note": d.get(f"note_{dim.value}", "")}
            for dim in Dimension
        }


class PlanGoalForm(StyledForm):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    goal = forms.CharField(label=_("Goal"), max_length=300)
    action = forms.CharField(label=_("Action"), max_length=300)
    agency = organisation_field(_("Responsible agency"), purpose="agency")
    due_date = ThaiDateField(label=_("Due date"))

    def __init__(self, *args, province_id: str | None = None, area: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget.params.update(province=province_id, area=area)
        qs = Organisation.objects.all()
        if province_id:
            qs = qs.filter(Q(province_id=province_id) | Q(province__isnull=True))
        self.fields["agency"].queryset = qs.order_by("kind", "name_th")
        self.fields["due_date"].initial = timezone.localdate() + timezone.timedelta(days=30)


class GoalStepForm(VersionForm):
    text = forms.CharField(label=_("Reason"), max_length=300, required=False)
