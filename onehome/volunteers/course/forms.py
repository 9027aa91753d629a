"""Forms of the household's course: enrol, graduate (with its evidence), leave, and the
progress page's filter. Shapes only; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onehome.cases.form_base import StyledForm, VersionForm
from onehome.core.pickers import AreaField, AreaPicker
from onehome.core.widgets import ThaiDateField
from onehome.targeting.models import SurveyRound
from onehome.targeting.results.labels import round_label
from onehome.volunteers.models import GraduationEvidence


class EnrolForm(StyledForm):
    enrolled_on = ThaiDateField(label=_("Enrolled on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolled_on"].initial = timezone.localdate()


class GraduateForm(VersionForm):
    graduated_on = ThaiDateField(label=_("Out of poverty on"))
    evidence = forms.ChoiceField(label=_("Evidence"), choices=GraduationEvidence.choices)
    survey_round = forms.ModelChoiceField(
        label=_("Survey round"), queryset=SurveyRound.objects.all(), required=False
    )
    assessment = forms.TypedChoiceField(
        label=_("Case assessment (else the latest record book)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, assessments=(), enrollment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graduated_on"].initial = timezone.localdate()
        rounds = SurveyRound.objects.select_related("province")
        if enrollment is not None:
            rounds = later_rounds(rounds, enrollment)
            if not rounds.exists():
                self.fields["survey_round"].help_text = _(
                    "No survey round after the enrolment yet: name a recorded assessment."
                )
                self.fields["evidence"].initial = GraduationEvidence.ASSESSMENT
        self.fields["survey_round"].queryset = rounds
        self.fields["survey_round"].label_from_instance = round_label
        self.fields["assessment"].choices = [("", "—"), *assessments]


def later_rounds(rounds, enrollment):
    """Only the rounds that could show the household out of poverty, newest first: of its
    province (or national) and surveyed after it came in. The service still checks the
    round chosen (``evidence.check_survey_round``); this only spares a list of hundreds."""
    after = enrollment.enrolled_on.year
    if enrollment.run_id:
        after = max(after, enrollment.run.survey_round.year)
    province = str(enrollment.household.subdistrict_id)[:2]
    return rounds.filter(
        Q(province__isnull=True) | Q(province_id=province), year__gt=after
    ).order_by("-year", "-pk")


class LeaveForm(VersionForm):
    left_on = ThaiDateField(label=_("Left on"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class ProgressForm(forms.Form):
    area = AreaField(
        level="area",
        required=False,
        label=_("Area"),
        widget=AreaPicker(level="area", placeholder=_("Type a district or sub-district")),
    )
    fy = forms.IntegerField(
        label=_("Fiscal year (พ.ศ.)"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    earlier = forms.IntegerField(label=_("Earlier run"), required=False, min_value=1)
    later = forms.IntegerField(label=_("Later run"), required=False, min_value=1)
