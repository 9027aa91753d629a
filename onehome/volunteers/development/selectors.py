"""Reads of household development: the plan and its goals, the follow-up visits due, the
household's cases' referrals and services, and the follow-ups overdue in the user's area
(the centre's list). The record book's latest answers are the visits room's
(`visits.selectors.latest_answers`).

`open_goals` and `due_follow_ups` take a household the caller has already resolved in
the user's scope (`household_for_work_or_404`); the rest scope by the user themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.cases.models import Dimension, GoalStatus, PlanGoal, Referral, Service
from onehome.cases.visibility.selectors import visible_cases
from onehome.registry.models import Household
from onehome.volunteers.models import (
    CourseStatus,
    FollowUp,
    HouseholdPlan,
)
from onehome.volunteers.visits import selectors as visits

FINISHED = (CourseStatus.GRADUATED, CourseStatus.LEFT)


def open_goals(household: Household) -> QuerySet[PlanGoal]:
    """The open goals of the household's development plan, by due date."""
    return PlanGoal.objects.filter(
        household_plan__household=household, status=GoalStatus.OPEN
    ).select_related("agency", "volunteer__person")


def due_follow_ups(household: Household) -> QuerySet[FollowUp]:
    """The household's follow-up visits not yet made, the oldest due first."""
    return FollowUp.objects.filter(household=household, visit__isnull=True).order_by("due_on", "id")


def plan_of(household: Household) -> HouseholdPlan | None:
    """The household's plan (of a household resolved in the user's scope), or None."""
    return (
        HouseholdPlan.objects.filter(household=household)
        .select_related("agreed_with", "created_by")
        .first()
    )


def goals_of(plan: HouseholdPlan) -> QuerySet[PlanGoal]:
    return plan.goals.select_related("agency", "volunteer__person").order_by(
        "dimension", "due_date", "id"
    )


@dataclass
class DimensionGoals:
    dimension: str
    label: str
    goals: list[PlanGoal] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """The mean progress of the dimension's goals that were not dropped."""
        live = [g.progress for g in self.goals if g.status != GoalStatus.DROPPED]
        return round(sum(live) / len(live)) if live else 0


def goals_by_dimension(plan: HouseholdPlan) -> list[DimensionGoals]:
    """The plan's goals per dimension (only dimensions that have goals), in the five
    dimensions' order."""
    groups = {d.value: DimensionGoals(d.value, str(d.label)) for d in Dimension}
    for goal in goals_of(plan):
        groups[goal.dimension].goals.append(goal)
    return [g for g in groups.values() if g.goals]


def goal_of_plan(*, plan: HouseholdPlan, goal_id: int) -> PlanGoal | None:
    return plan.goals.filter(pk=goal_id).first()


def follow_ups_of(household: Household) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(household=household).select_related("visit").order_by("due_on")


def case_work_of(*, user: User, household: Household) -> tuple[list[Referral], list[Service]]:
    """The referrals and services of the household's cases the user may read (a volunteer,
    who reads no case files, sees none)."""
    cases = visible_cases(user).filter(household=household)
    referrals = Referral.objects.filter(case__in=cases).select_related("to_org", "case")
    services = Service.objects.filter(case__in=cases).select_related("provider", "case")
    return list(referrals.order_by("-sent_at")[:50]), list(services.order_by("-requested_at")[:50])


def overdue_follow_ups(*, user: User, area: str = "") -> QuerySet[FollowUp]:
    """Follow-up visits past their day and not made, in the user's area (and in ``area``,
    a code prefix), the oldest first; households that left the course are not followed."""
    rows = scoped(
        user,
        FollowUp.objects.filter(visit__isnull=True, due_on__lt=timezone.localdate()),
        action=Action.READ_VOLUNTEERS,
    ).exclude(household__enrollment__status__in=FINISHED)
    if area:
        rows = rows.filter(household__subdistrict__code__startswith=area[:6])
        if len(area) == 8:
            rows = rows.filter(household__village_id=area)
    return rows.select_related(
        "household__subdistrict", "household__village", "household__development_plan"
    ).order_by("due_on", "id")


def current_members(household: Household) -> list[tuple[int, str]]:
    """The household's members now, as (person id, name) choices of whom the plan was
    agreed with (the household was already read through the scope)."""
    return [(person.pk, str(person)) for person in visits.current_members(household)]
