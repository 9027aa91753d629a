"""Reads of a case's assessments and plan goals (empty when the case is not visible)."""

from django.db.models import QuerySet

from onehome.access.models import User
from onehome.cases.models import Assessment, PlanGoal
from onehome.cases.visibility.selectors import visible_cases


def assessments_of(*, user: User, case_id: int) -> QuerySet[Assessment]:
    """The case's assessments, newest first (empty when the case is not visible)."""
    return Assessment.objects.filter(case_id=case_id, case__in=visible_cases(user)).select_related(
        "assessed_by"
    )


def goal_on_case(*, case_id: int, goal_id: int) -> bool:
    """Whether the goal belongs to the case (a case the caller was found to see)."""
    return PlanGoal.objects.filter(pk=goal_id, case_id=case_id).exists()


def plan_of(*, user: User, case_id: int) -> QuerySet[PlanGoal]:
    """The case plan by due date (empty when the case is not visible)."""
    return PlanGoal.objects.filter(case_id=case_id, case__in=visible_cases(user)).select_related(
        "agency"
    )
