"""Goals proposed for a household's plan from the deprivations found: by targeting (the
newest finished run whose survey round surveyed the household, `survey.latest_standing`),
or, when targeting found none, by visits (the latest answer to each question of the
record book that shows deprivation).

A proposal is what the plan page offers to fill the goal form with; nothing is saved until
the user, with the family, edits it and adds it. A goal already open on the plan with the
same words is not proposed again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.cases.models import Dimension, GoalStatus, PlanGoal
from onehome.core import thai_dates
from onehome.registry.models import Household
from onehome.targeting.results.labels import round_label
from onehome.volunteers.development import survey
from onehome.volunteers.visits import questionnaire
from onehome.volunteers.visits.selectors import latest_answers

DUE_IN_DAYS = 90
# Catalogues name dimensions in their own words; the plan has five.
DIMENSION_OF = {"living_standards": Dimension.LIVING}


@dataclass(frozen=True)
class GoalProposal:
    dimension: str
    goal: str
    action: str
    due_date: dt.date
    source: str  # "survey" or "record_book"
    because: str  # what was found, in words

    @property
    def dimension_label(self) -> str:
        return str(Dimension(self.dimension).label)


def propose_goals(*, user: User, household: Household) -> tuple[list[GoalProposal], str]:
    """(proposals, where they came from in words) for a household the caller resolved in
    their scope. Reading the survey is audited."""
    due = timezone.localdate() + dt.timedelta(days=DUE_IN_DAYS)
    taken = set(
        PlanGoal.objects.filter(
            household_plan__household=household, status=GoalStatus.OPEN
        ).values_list("goal", flat=True)
    )
    standing = survey.latest_standing(household)
    proposals: list[GoalProposal] = []
    if standing is not None:
        survey.audit_survey_read(user, household, standing, "development plan proposal")
    if standing is not None and standing.poor:
        where = _("Targeting run %(run)s, %(round)s") % {
            "run": standing.run.pk,
            "round": round_label(standing.run.survey_round),
        }
        for _id, label, dimension in standing.indicators:
            dimension = DIMENSION_OF.get(dimension, dimension)
            if dimension not in Dimension.values:
                continue
            proposals.append(
                GoalProposal(
                    dimension=dimension,
                    goal=_("Meet: %(indicator)s") % {"indicator": label},
                    action=_("Agree with the family what to do and who helps"),
                    due_date=due,
                    source="survey",
                    because=label,
                )
            )
    else:
        where = _("The latest answers of the family record book")
        for entry in latest_answers(household.pk):
            if not entry.deprived or entry.dimension not in Dimension.values:
                continue
            label = _question_label(entry.question)
            proposals.append(
                GoalProposal(
                    dimension=entry.dimension,
                    goal=_("Meet: %(indicator)s") % {"indicator": label},
                    action=_("Agree with the family what to do and who helps"),
                    due_date=due,
                    source="record_book",
                    because=_("%(question)s (visit of %(day)s)")
                    % {"question": label, "day": thai_dates.format_date(entry.recorded_on)},
                )
            )
    return [p for p in proposals if p.goal not in taken], where


def _question_label(question_id: str) -> str:
    for version in reversed(questionnaire.versions()):
        found = questionnaire.get(version).question(question_id)
        if found is not None:
            return found.label
    return question_id
