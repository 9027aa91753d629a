"""Assessment of a case in the five dimensions, and the case plan built from it.

An assessment is a snapshot: a new one is recorded each time the family is assessed
again, so the plan's history can be read against the needs seen at the time. Plan goals
are edited in place (with a version check) because a goal is one line of work that moves
forward — open, then done or dropped.
"""

import datetime as dt
from typing import Any, NoReturn

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Assessment, Case, Dimension, EventKind, GoalStatus, PlanGoal, Risk
from onehome.cases.visibility.selectors import case_to_work_on, part_to_work_on
from onehome.core import thai_dates
from onehome.core.state_machine import Step, Workflow, check_version
from onehome.errors import ValidationError
from onehome.orgs.models import Organisation

LEVELS = range(0, 4)  # 0 no need … 3 severe
NOTE_MAX = 1000
GOAL_FIELDS = ("dimension", "goal", "action", "agency_id", "due_date")
WORK = Action.WORK_ON_CASES
GOAL_STEPS = {
    (GoalStatus.OPEN, GoalStatus.DONE): Step("done", gettext_lazy("Done"), WORK),
    (GoalStatus.OPEN, GoalStatus.DROPPED): Step(
        "drop", gettext_lazy("Drop"), WORK, reason_required=True
    ),
}
# Sent after a goal is done or dropped, like `case_transitioned` for cases.
goal_moved = Signal()


def _clean_dimensions(dimensions: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not isinstance(dimensions, dict):
        raise ValidationError(_("Give a level and a note for each of the five dimensions."))
    unknown = sorted(set(dimensions) - set(Dimension.values))
    if unknown:
        raise ValidationError(_("Unknown dimensions: %(d)s.") % {"d": ", ".join(unknown)})
    missing = [d.label for d in Dimension if d.value not in dimensions]
    if missing:
        raise ValidationError(
            _("Assess every dimension; missing: %(d)s.") % {"d": ", ".join(map(str, missing))}
        )
    cleaned = {}
    for dim in Dimension:
        entry = dimensions[dim.value]
        entry = entry if isinstance(entry, dict) else {"level": entry}
        level = entry.get("level")
        if isinstance(level, str) and level.strip().isdigit():
            level = int(level)
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            raise ValidationError(
                _("The level of %(d)s must be 0 (no need) to 3 (severe).") % {"d": dim.label}
            )
        note = str(entry.get("note") or "").strip()
        if len(note) > NOTE_MAX:
            raise ValidationError(
                _("The note on %(d)s is longer than %(n)d characters.")
                % {"d": dim.label, "n": NOTE_MAX}
            )
        cleaned[dim.value] = {"level": level, "note": note}
    return cleaned


def _clean_risks(risks: list[str] | None) -> list[str]:
    risks = list(dict.fromkeys(risks or []))
    unknown = sorted(set(risks) - set(Risk.values))
    if unknown:
        raise ValidationError(_("Unknown protection risks: %(r)s.") % {"r": ", ".join(unknown)})
    return risks


@transaction.atomic
def record_assessment(
    *,
    actor: User,
    case_id: int,
    dimensions: dict[str, Any],
    protection_risks: list[str] | None = None,
    summary: str = "",
) -> Assessment:
    """Record an assessment: each dimension {"level": 0-3, "note": str}, plus protection
    risks from the risk checklist."""
    case = case_to_work_on(actor, case_id)
    cleaned = _clean_dimensions(dimensions)
    risks = _clean_risks(protection_risks)
    assessment = Assessment.objects.create(
        case=case,
        assessed_by=actor,
        dimensions=cleaned,
        protection_risks=risks,
        summary=(summary or "").strip(),
    )
    levels = {dim: entry["level"] for dim, entry in cleaned.items()}
    add_event(
        case,
        kind=EventKind.ASSESSMENT,
        actor=actor,
        text=assessment.summary,
        data={"assessment": assessment.pk, "levels": levels, "risks": risks},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        after=audit.snapshot(assessment),
        subdistrict_code=case.subdistrict_id,
    )
    return assessment


def _agency(agency_id: int | None) -> Organisation:
    agency = Organisation.objects.filter(pk=agency_id).first() if agency_id else None
    if agency is None:
        raise ValidationError(_("Choose a known responsible agency."))
    return agency


def _clean_goal(values: dict[str, Any], *, due_changed: bool = True) -> dict[str, Any]:
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
    values["agency_id"] = _agency(values["agency_id"]).pk
    return values


@transaction.atomic
def add_plan_goal(
    *,
    actor: User,
    case_id: int,
    dimension: str,
    goal: str,
    action: str,
    agency_id: int,
    due_date: dt.date,
) -> PlanGoal:
    """Add one goal to the case plan: what to achieve, the action, who does it, by when."""
    case = case_to_work_on(actor, case_id)
    values = _clean_goal(
        {
            "dimension": dimension,
            "goal": goal,
            "action": action,
            "agency_id": agency_id,
            "due_date": due_date,
        }
    )
    plan_goal = PlanGoal.objects.create(case=case, created_by=actor, **values)
    _log_goal(actor, case, plan_goal, _("Plan goal added"), before=None)
    return plan_goal


def _locked_goal(actor: User, goal_id: int) -> tuple[Case, PlanGoal]:
    """The goal locked for a write, its case checked like any case write."""
    plan_goal = part_to_work_on(actor, PlanGoal, goal_id)
    return plan_goal.case, plan_goal


def _refuse_closed_goal(plan_goal: PlanGoal) -> NoReturn:
    raise ValidationError(
        _("This goal is already %(status)s; it can no longer be changed.")
        % {"status": plan_goal.get_status_display()}
    )


def _goal_to_change(actor: User, goal_id: int, version: int | None) -> tuple[Case, PlanGoal]:
    """An open goal, locked for an edit in place, after the version check."""
    case, plan_goal = _locked_goal(actor, goal_id)
    check_version(plan_goal, version)
    if plan_goal.status != GoalStatus.OPEN:
        _refuse_closed_goal(plan_goal)
    return case, plan_goal


@transaction.atomic
def update_plan_goal(*, actor: User, goal_id: int, version: int | None, **changes: Any) -> PlanGoal:
    """Change an open goal's dimension, goal, action, agency or due date."""
    unknown = sorted(set(changes) - set(GOAL_FIELDS))
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    case, plan_goal = _goal_to_change(actor, goal_id, version)
    before = audit.snapshot(plan_goal)
    values = {name: changes.get(name, getattr(plan_goal, name)) for name in GOAL_FIELDS}
    values = _clean_goal(values, due_changed="due_date" in changes)
    for name, value in values.items():
        setattr(plan_goal, name, value)
    plan_goal.version += 1
    plan_goal.save()
    _log_goal(actor, case, plan_goal, _("Plan goal changed"), before=before)
    return plan_goal


@transaction.atomic
def complete_plan_goal(
    *, actor: User, goal_id: int, version: int | None, note: str = ""
) -> PlanGoal:
    return _close_goal(actor, goal_id, version, GoalStatus.DONE, note)


@transaction.atomic
def drop_plan_goal(*, actor: User, goal_id: int, version: int | None, reason: str) -> PlanGoal:
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for dropping the goal."))
    return _close_goal(actor, goal_id, version, GoalStatus.DROPPED, reason)


class GoalWorkflow(Workflow[PlanGoal]):
    """A plan goal's steps: open, then done or dropped (with a reason)."""

    model = PlanGoal
    steps = GOAL_STEPS
    moved = goal_moved

    def lock(self, actor: User, pk: int) -> PlanGoal:
        _case, plan_goal = _locked_goal(actor, pk)
        return plan_goal

    def refuse_move(self, obj: PlanGoal, to_status: str) -> NoReturn:
        _refuse_closed_goal(obj)

    def record(self, obj: PlanGoal, *, actor, step, from_status, to_status, reason, before):
        text = _("Plan goal done") if to_status == GoalStatus.DONE else _("Plan goal dropped")
        _log_goal(actor, obj.case, obj, text, before=before, note=reason)


GOALS = GoalWorkflow()


def _close_goal(actor: User, goal_id: int, version: int | None, status: str, note: str) -> PlanGoal:
    return GOALS.transition(actor=actor, pk=goal_id, to_status=status, version=version, reason=note)


def _log_goal(
    actor: User, case: Case, plan_goal: PlanGoal, text: str, *, before: dict | None, note=""
) -> None:
    add_event(
        case,
        kind=EventKind.PLAN,
        actor=actor,
        text=f"{text}: {plan_goal.goal}" + (f" — {note}" if note else ""),
        data={
            "goal": plan_goal.pk,
            "dimension": plan_goal.dimension,
            "status": plan_goal.status,
            "agency": plan_goal.agency_id,
            "due_date": plan_goal.due_date.isoformat(),
        },
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=plan_goal,
        before=before,
        after=audit.snapshot(plan_goal),
        purpose=note[:200],
        subdistrict_code=case.subdistrict_id,
    )
