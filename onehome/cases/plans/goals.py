"""The one set of goal services, for both plans that hold goals: a case plan and a
household development plan (`volunteers.HouseholdPlan`). `cases.PlanGoal` is the one goal
model; a goal belongs to exactly one of the two.

The plan is resolved and authorised once (`case_plan` / `household_plan`, or
`goal_to_work_on` from a goal), which answers 404 for anyone who may not work on it and
locks it; then the same code validates and writes, whoever holds the goal. What differs
between the two holders is in `Holder`: the role-table action that works on it, and where
a change is recorded (a case's timeline and the audit log; a household plan's audit log).

Who helps: an agency or partner (`agency`), a volunteer of the household's sub-district,
or both. A case plan keeps its rule that an agency is responsible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import transaction
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Case, Dimension, EventKind, GoalStatus, PlanGoal
from onehome.cases.visibility.selectors import case_to_work_on, part_to_work_on
from onehome.core import thai_dates
from onehome.core.state_machine import Move, Step, Workflow, check_version
from onehome.errors import NotInScopeError, ValidationError
from onehome.orgs.models import Organisation
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.models import WORKING, HouseholdPlan, Volunteer

WORK = Action.WORK_ON_CASES
PLAN = Action.PLAN_HOUSEHOLD_DEVELOPMENT
GOAL_FIELDS = ("dimension", "goal", "action", "agency_id", "volunteer_id", "due_date", "progress")
# The steps of a goal, written for a case plan; a household plan's goal takes the same
# steps with its own action (`Holder.permission`), see `GoalWorkflow.own_step`.
GOAL_STEPS = {
    (GoalStatus.OPEN, GoalStatus.DONE): Step("done", gettext_lazy("Done"), WORK),
    (GoalStatus.OPEN, GoalStatus.DROPPED): Step(
        "drop", gettext_lazy("Drop"), WORK, reason_required=True
    ),
}
# Sent after a goal is done or dropped, like `case_transitioned` for cases.
goal_moved = Signal()


@dataclass(frozen=True)
class Holder:
    """The plan a goal belongs to: a case, or a household development plan."""

    case: Case | None = None
    household_plan: HouseholdPlan | None = None

    @classmethod
    def of(cls, goal: PlanGoal) -> Holder:
        if goal.case_id:
            return cls(case=goal.case)
        return cls(household_plan=goal.household_plan)

    @property
    def permission(self) -> Action:
        return WORK if self.case is not None else PLAN

    @property
    def subdistrict_code(self) -> str:
        if self.case is not None:
            return self.case.subdistrict_id
        return self.household_plan.household.subdistrict_id  # type: ignore[union-attr]

    @property
    def household_id(self) -> int | None:
        if self.case is not None:
            return self.case.household_id
        return self.household_plan.household_id  # type: ignore[union-attr]

    def owner(self) -> dict[str, Any]:
        """The goal's field naming this plan."""
        if self.case is not None:
            return {"case": self.case}
        return {"household_plan": self.household_plan}

    def log(self, actor: User, goal: PlanGoal, text: str, *, before: dict | None, note="") -> None:
        """Record a change of the goal: the case's timeline (case plans), the audit log."""
        if self.case is not None:
            add_event(
                self.case,
                kind=EventKind.PLAN,
                actor=actor,
                text=f"{text}: {goal.goal}" + (f" — {note}" if note else ""),
                data={
                    "goal": goal.pk,
                    "dimension": goal.dimension,
                    "status": goal.status,
                    "agency": goal.agency_id,
                    "due_date": goal.due_date.isoformat(),
                },
            )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=goal,
            before=before,
            after=audit.snapshot(goal),
            purpose=note[:200],
            household_id=None if self.case is not None else self.household_id,
            subdistrict_code=self.subdistrict_code,
        )


# --- resolving and authorising the plan, once ---------------------------------------------


def case_plan(actor: User, case_id: int) -> Holder:
    """A case's plan locked for a write (call inside atomic()); 404 as any case write."""
    return Holder(case=case_to_work_on(actor, case_id))


def household_plan(actor: User, plan_id: int) -> Holder:
    """A household development plan locked for a write (call inside atomic()):
    NotInScopeError (404) unless the actor may plan household development and works on
    the household (a volunteer: assigned to them; staff: in their area)."""
    if not may(actor, PLAN):
        raise NotInScopeError
    household_id = HouseholdPlan.objects.filter(pk=plan_id).values_list("household_id", flat=True)
    if not household_id:
        raise NotInScopeError
    try:
        household_for_work_or_404(user=actor, pk=household_id[0])
    except Http404 as exc:
        raise NotInScopeError from exc
    plan = HouseholdPlan.objects.select_for_update(of=("self",)).select_related("household")
    return Holder(household_plan=plan.get(pk=plan_id))


def goal_to_work_on(actor: User, goal_id: int) -> tuple[Holder, PlanGoal]:
    """The goal locked for a write after its plan, which is resolved like any write on it."""
    row = PlanGoal.objects.filter(pk=goal_id).values("case_id", "household_plan_id").first()
    if row is None:
        raise NotInScopeError
    if row["case_id"]:
        goal = part_to_work_on(actor, PlanGoal, goal_id)
        return Holder(case=goal.case), goal
    holder = household_plan(actor, row["household_plan_id"])
    goal = PlanGoal.objects.select_for_update(of=("self",)).get(pk=goal_id)
    goal.household_plan = holder.household_plan
    return holder, goal


# --- validation -----------------------------------------------------------------------


def _agency(agency_id: int | None) -> Organisation | None:
    if agency_id in (None, ""):
        return None
    agency = Organisation.objects.filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError(_("Choose a known responsible agency."))
    return agency


def _volunteer(holder: Holder, volunteer_id: int | None) -> Volunteer | None:
    if volunteer_id in (None, ""):
        return None
    volunteer = Volunteer.objects.filter(
        pk=volunteer_id, subdistrict_id=holder.subdistrict_code, status__in=WORKING
    ).first()
    if volunteer is None:
        raise ValidationError(_("Choose a working volunteer of the household's sub-district."))
    return volunteer


def clean_progress(progress: Any) -> int:
    if isinstance(progress, str) and progress.strip().isdigit():
        progress = int(progress)
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    return progress


def clean_goal(holder: Holder, values: dict[str, Any], *, due_changed: bool = True) -> dict:
    """The goal's values checked (the same rules for both plans)."""
    if values["dimension"] not in Dimension.values:
        raise ValidationError(_("Choose one of the five dimensions."))
    for name, label in (("goal", _("goal")), ("action", _("action"))):
        values[name] = (values[name] or "").strip()
        if not values[name]:
            raise ValidationError(_("Enter the %(field)s.") % {"field": label})
        if len(values[name]) > 300:
            raise ValidationError(_("The %(field)s is too long (300 at most).") % {"field": label})
    due = values["due_date"]
    if not isinstance(due, dt.date) or isinstance(due, dt.datetime):
        raise ValidationError(_("Enter the due date."))
    # A due date left unchanged that has passed since is not the user's error.
    if due_changed and due < timezone.localdate():
        raise ValidationError(
            _("The due date %(d)s is in the past.") % {"d": thai_dates.format_date(due)}
        )
    agency = _agency(values["agency_id"])
    volunteer = _volunteer(holder, values.get("volunteer_id"))
    if holder.case is not None and agency is None:
        # A case plan names the agency responsible; a volunteer may help besides.
        raise ValidationError(_("Choose a known responsible agency."))
    if agency is None and volunteer is None:
        raise ValidationError(_("Choose who helps: an agency or partner, or a volunteer."))
    values["agency_id"] = agency.pk if agency else None
    values["volunteer_id"] = volunteer.pk if volunteer else None
    values["progress"] = clean_progress(values.get("progress", 0))
    return values


# --- the writes -----------------------------------------------------------------------


@transaction.atomic
def add_goal(
    *,
    actor: User,
    holder: Holder,
    dimension: str,
    goal: str,
    action: str,
    due_date: dt.date,
    agency_id: int | None = None,
    volunteer_id: int | None = None,
    progress: int = 0,
) -> PlanGoal:
    """Add one goal to a plan resolved by `case_plan` / `household_plan`."""
    values = clean_goal(
        holder,
        {
            "dimension": dimension,
            "goal": goal,
            "action": action,
            "agency_id": agency_id,
            "volunteer_id": volunteer_id,
            "due_date": due_date,
            "progress": progress,
        },
    )
    plan_goal = PlanGoal.objects.create(created_by=actor, **holder.owner(), **values)
    holder.log(actor, plan_goal, _("Plan goal added"), before=None)
    return plan_goal


def refuse_closed_goal(plan_goal: PlanGoal) -> NoReturn:
    raise ValidationError(
        _("This goal is already %(status)s; it can no longer be changed.")
        % {"status": plan_goal.get_status_display()}
    )


def _goal_to_change(actor: User, goal_id: int, version: int | None) -> tuple[Holder, PlanGoal]:
    """An open goal, locked for an edit in place, after the version check."""
    holder, plan_goal = goal_to_work_on(actor, goal_id)
    check_version(plan_goal, version)
    if plan_goal.status != GoalStatus.OPEN:
        refuse_closed_goal(plan_goal)
    return holder, plan_goal


@transaction.atomic
def update_goal(*, actor: User, goal_id: int, version: int | None, **changes: Any) -> PlanGoal:
    """Change an open goal's dimension, goal, action, who helps, due date or progress."""
    unknown = sorted(set(changes) - set(GOAL_FIELDS))
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    holder, plan_goal = _goal_to_change(actor, goal_id, version)
    before = audit.snapshot(plan_goal)
    values = {name: changes.get(name, getattr(plan_goal, name)) for name in GOAL_FIELDS}
    values = clean_goal(holder, values, due_changed="due_date" in changes)
    for name, value in values.items():
        setattr(plan_goal, name, value)
    plan_goal.version += 1
    plan_goal.save()
    holder.log(actor, plan_goal, _("Plan goal changed"), before=before)
    return plan_goal


@transaction.atomic
def set_goal_progress(*, actor: User, goal_id: int, version: int | None, progress: int) -> PlanGoal:
    """Record how far an open goal has come (0–100 %)."""
    return update_goal(actor=actor, goal_id=goal_id, version=version, progress=progress)


class GoalWorkflow(Workflow[PlanGoal]):
    """A plan goal's steps: open, then done or dropped (with a reason). A household plan's
    goal takes them with `PLAN_HOUSEHOLD_DEVELOPMENT` instead of `WORK_ON_CASES`."""

    model = PlanGoal
    steps = GOAL_STEPS
    moved = goal_moved

    def own_step(self, obj: PlanGoal, step: Step) -> Step:
        if obj.household_plan_id is None:  # a case plan's goal: the table as written
            return step
        return Step(step.action, step.label, PLAN, step.reason_required, step.refusal)

    def lock(self, actor: User, pk: int) -> PlanGoal:
        _holder, plan_goal = goal_to_work_on(actor, pk)
        return plan_goal

    def may(self, user: User, obj: PlanGoal, step: Step) -> bool:
        return super().may(user, obj, self.own_step(obj, step))

    def moves_by_role(self, obj: PlanGoal, user: User) -> list[Move]:
        status = self.status_of(obj)
        moves = [
            Move(to_status, self.own_step(obj, step))
            for (from_status, to_status), step in self.steps.items()
            if from_status == status
        ]
        return [m for m in moves if may(user, m.step.permission)]

    def refuse_move(self, obj: PlanGoal, to_status: str) -> NoReturn:
        refuse_closed_goal(obj)

    def apply(self, obj: PlanGoal, *, from_status: str, to_status: str) -> list[str]:
        if to_status == GoalStatus.DONE:
            obj.progress = 100  # a goal done is all the way
            return ["progress"]
        return []

    def record(self, obj: PlanGoal, *, actor, step, from_status, to_status, reason, before):
        text = _("Plan goal done") if to_status == GoalStatus.DONE else _("Plan goal dropped")
        Holder.of(obj).log(actor, obj, text, before=before, note=reason)


GOALS = GoalWorkflow()


@transaction.atomic
def complete_goal(*, actor: User, goal_id: int, version: int | None, note: str = "") -> PlanGoal:
    return GOALS.transition(
        actor=actor, pk=goal_id, to_status=GoalStatus.DONE, version=version, reason=note
    )


@transaction.atomic
def drop_goal(*, actor: User, goal_id: int, version: int | None, reason: str) -> PlanGoal:
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for dropping the goal."))
    return GOALS.transition(
        actor=actor, pk=goal_id, to_status=GoalStatus.DROPPED, version=version, reason=reason
    )
