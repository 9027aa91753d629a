"""Writes of a household development plan: agreeing it with the family, its goals (the
shared goal services of `cases.plans.goals`, the same code as a case plan's), and the
follow-up visits it expects.

A follow-up schedule is a grid from the day the plan was agreed: a visit is due every
`follow_up_days`. The next due visit exists as one open `FollowUp`; a visit to the
household answers the oldest open one (`answer_follow_up`, called inside
`visits.services.record_visit`'s transaction) and schedules the next grid day after the
visit, so a late visit does not leave a trail of visits that are overdue at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.models import PlanGoal
from onehome.cases.plans import goals
from onehome.core import thai_dates
from onehome.core.state_machine import check_version
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Household, Membership
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.course import services as course
from onehome.volunteers.models import FollowUp, HouseholdPlan, Visit

FOLLOW_UP_DAYS = range(7, 181)  # a week to half a year


def household_to_plan(actor: User, household_id: int) -> Household:
    """The household, if the actor may plan its development (404 otherwise)."""
    if not may(actor, Action.PLAN_HOUSEHOLD_DEVELOPMENT):
        raise NotInScopeError
    try:
        return household_for_work_or_404(user=actor, pk=household_id)
    except Http404 as exc:
        raise NotInScopeError from exc


def _clean_days(days: object) -> int:
    if isinstance(days, str) and days.strip().isdigit():
        days = int(days)
    if isinstance(days, bool) or not isinstance(days, int) or days not in FOLLOW_UP_DAYS:
        raise ValidationError(
            _("Visit the household every %(low)d to %(high)d days.")
            % {"low": FOLLOW_UP_DAYS.start, "high": FOLLOW_UP_DAYS.stop - 1}
        )
    return days


def next_due(plan: HouseholdPlan, after: dt.date) -> dt.date:
    """The first day of the plan's grid (agreed_on + k × interval, k ≥ 1) after ``after``."""
    step = plan.follow_up_days
    start = plan.agreed_on or timezone.localdate()
    k = max(1, (after - start).days // step + 1)
    return start + dt.timedelta(days=k * step)


@transaction.atomic
def start_plan(
    *,
    actor: User,
    household_id: int,
    agreed_on: dt.date,
    agreed_with_id: int,
    follow_up_days: int = 30,
) -> HouseholdPlan:
    """Agree a development plan with a member of the household on a day, with a visit
    every ``follow_up_days``; the first follow-up is scheduled, and an enrolled household's
    course moves to "plan agreed"."""
    household = household_to_plan(actor, household_id)
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if HouseholdPlan.objects.filter(household=household).exists():
        raise ValidationError(_("This household already has a development plan."))
    if not isinstance(agreed_on, dt.date) or isinstance(agreed_on, dt.datetime):
        raise ValidationError(_("Enter the day the plan was agreed."))
    if agreed_on > timezone.localdate():
        raise ValidationError(
            _("The plan cannot be agreed in the future (%(d)s).")
            % {"d": thai_dates.format_date(agreed_on)}
        )
    member = Membership.objects.filter(
        household=household, person_id=agreed_with_id, end_date__isnull=True
    ).first()
    if member is None:
        raise ValidationError(_("Choose the member of the household the plan was agreed with."))
    plan = HouseholdPlan.objects.create(
        household=household,
        agreed_on=agreed_on,
        agreed_with_id=member.person_id,
        follow_up_days=_clean_days(follow_up_days),
        created_by=actor,
    )
    FollowUp.objects.create(household=household, due_on=next_due(plan, agreed_on))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=plan,
        after=audit.snapshot(plan),
        household_id=household.pk,
        subdistrict_code=household.subdistrict_id,
    )
    course.plan_agreed(actor=actor, household_id=household.pk, agreed_on=agreed_on)
    return plan


@transaction.atomic
def change_follow_up_days(
    *, actor: User, plan_id: int, version: int | None, follow_up_days: int
) -> HouseholdPlan:
    """Visit more or less often: the open follow-up moves to the new grid."""
    plan = goals.household_plan(actor, plan_id).household_plan
    check_version(plan, version)
    before = audit.snapshot(plan)
    plan.follow_up_days = _clean_days(follow_up_days)
    plan.version += 1
    plan.save(update_fields=["follow_up_days", "version"])
    last = (
        FollowUp.objects.filter(household_id=plan.household_id, visit__isnull=False)
        .order_by("-due_on")
        .values_list("visit__visited_on", flat=True)
        .first()
    )
    due = next_due(plan, max(filter(None, [last, plan.agreed_on])))
    FollowUp.objects.filter(household_id=plan.household_id, visit__isnull=True).update(due_on=due)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=plan,
        before=before,
        after=audit.snapshot(plan),
        household_id=plan.household_id,
    )
    return plan


def add_household_goal(
    *,
    actor: User,
    plan_id: int,
    dimension: str,
    goal: str,
    action: str,
    due_date: dt.date,
    agency_id: int | None = None,
    volunteer_id: int | None = None,
    progress: int = 0,
) -> PlanGoal:
    """A goal of the household plan, through the one goal service (`goals.add_goal`)."""
    with transaction.atomic():
        return goals.add_goal(
            actor=actor,
            holder=goals.household_plan(actor, plan_id),
            dimension=dimension,
            goal=goal,
            action=action,
            due_date=due_date,
            agency_id=agency_id,
            volunteer_id=volunteer_id,
            progress=progress,
        )


def answer_follow_up(visit: Visit) -> FollowUp | None:
    """Mark the oldest open follow-up of the visit's household answered by the visit and
    schedule the next. None when the household has no plan, the visit came before the plan
    was agreed, the visit answered one already (a retried sync), or a newer visit of the
    household is already recorded (an older visit typed in or synced late: answering would
    move the schedule back before the newer visit)."""
    return answer_follow_ups([visit]).get(visit.pk)


@transaction.atomic(savepoint=False)
def answer_follow_ups(visits: list[Visit]) -> dict[int, FollowUp]:
    """`answer_follow_up` for visits of different households at once (a synced batch), in
    a fixed number of queries: {visit id: the follow-up it answered}. Part of the caller's
    transaction (no savepoint: a failure here undoes the visits too)."""
    households = {v.household_id for v in visits}
    if len(households) != len(visits):
        raise ValueError("one visit per household: the next visit answers the next follow-up")
    done = set(FollowUp.objects.filter(visit__in=visits).values_list("visit_id", flat=True))
    others = dict(
        Visit.objects.filter(household_id__in=households)
        .exclude(pk__in=[v.pk for v in visits])
        .values("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )
    plans = {p.household_id: p for p in HouseholdPlan.objects.filter(household_id__in=households)}
    due = [
        v
        for v in visits
        if v.pk not in done
        and not (others.get(v.household_id) and others[v.household_id] > v.visited_on)
        and v.household_id in plans
        and not (plans[v.household_id].agreed_on and v.visited_on < plans[v.household_id].agreed_on)
    ]
    if not due:
        return {}
    oldest: dict[int, FollowUp] = {}
    for follow_up in (
        FollowUp.objects.select_for_update()
        .filter(household_id__in=[v.household_id for v in due], visit__isnull=True)
        .order_by("due_on", "id")
    ):
        oldest.setdefault(follow_up.household_id, follow_up)
    answered = {v.pk: oldest[v.household_id] for v in due if v.household_id in oldest}
    by_pk = {v.pk: v for v in due}
    for visit_id, follow_up in answered.items():
        follow_up.visit = by_pk[visit_id]
    FollowUp.objects.bulk_update(answered.values(), ["visit"])
    followed = course.still_followed_among([f.household_id for f in answered.values()])
    FollowUp.objects.bulk_create(
        FollowUp(
            household_id=by_pk[visit_id].household_id,
            due_on=next_due(plans[f.household_id], by_pk[visit_id].visited_on),
        )
        for visit_id, f in answered.items()
        if f.household_id in followed
    )
    course.work_started_among({by_pk[v].household_id: by_pk[v].recorded_by for v in answered})
    return answered
