"""The evidence a graduation names, checked before the household is called out of poverty.

- A survey round: a finished run of the round surveyed the household and did not find
  it poor (its household file lists the poor only). The round must be of a year after
  the enrolment's (an earlier survey cannot show the course worked). When the household
  came in from a run's target list, the round must be a later survey than that run's.
- A recorded assessment: a case assessment of one of the household's cases with no need
  in any dimension, made on or after the enrolment day, or else the household's record
  book, whose latest answer to every question shows no deprivation.

Each check refuses with the reason in words; nothing is written here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.cases.models import Assessment, Dimension
from onehome.errors import ValidationError
from onehome.targeting.models import SurveyRound
from onehome.volunteers.development import survey
from onehome.volunteers.models import Enrollment
from onehome.volunteers.visits.selectors import latest_answers


def check_survey_round(actor: User, enrollment: Enrollment, round_id: int | None) -> SurveyRound:
    """The round, when it shows the household out of poverty; else a refusal saying why."""
    survey_round = SurveyRound.objects.filter(pk=round_id).first() if round_id else None
    if survey_round is None:
        raise ValidationError(_("Choose the survey round that shows the household out of poverty."))
    if enrollment.run_id and survey_round.year <= enrollment.run.survey_round.year:
        raise ValidationError(
            _("Choose a survey round after the one that brought the household in.")
        )
    if survey_round.year <= enrollment.enrolled_on.year:
        # A round records its year only: one of the enrolment's year may have been surveyed
        # before the household came in, so it cannot show the household left poverty.
        raise ValidationError(_("Choose a survey round surveyed after the household was enrolled."))
    run = survey.finished_runs(survey_round).first()
    if run is None:
        raise ValidationError(_("No finished targeting run of this survey round yet."))
    household = enrollment.household
    standing = survey.standing_in_run(household, run)
    if not standing.surveyed:
        raise ValidationError(_("This survey round did not survey the household."))
    survey.audit_survey_read(actor, household, standing, "graduation evidence")
    if standing.poor:
        raise ValidationError(
            _("The household is still poor in this survey round (%(indicators)s).")
            % {"indicators": ", ".join(label for _i, label, _d in standing.indicators)}
        )
    return survey_round


def check_assessment(enrollment: Enrollment, assessment_id: int | None) -> None:
    """A case assessment with no need, or the latest record book with no deprivation."""
    if assessment_id:
        assessment = Assessment.objects.filter(
            pk=assessment_id, case__household_id=enrollment.household_id
        ).first()
        if assessment is None:
            raise ValidationError(_("Choose an assessment of a case of this household."))
        if timezone.localdate(assessment.assessed_at) < enrollment.enrolled_on:
            raise ValidationError(
                _("Choose an assessment made on or after the day the household was enrolled.")
            )
        needs = [
            str(dim.label)
            for dim in Dimension
            if (assessment.dimensions.get(dim.value) or {}).get("level", 0)
        ]
        if needs:
            raise ValidationError(
                _("The assessment still finds needs in: %(d)s.") % {"d": ", ".join(needs)}
            )
        return
    latest = latest_answers(enrollment.household_id)
    if not latest:
        raise ValidationError(
            _("The household's record book is empty; record a visit or choose an assessment.")
        )
    deprived = sorted({str(Dimension(e.dimension).label) for e in latest if e.deprived})
    if deprived:
        raise ValidationError(
            _("The latest record book still shows deprivation in: %(d)s.")
            % {"d": ", ".join(deprived)}
        )
