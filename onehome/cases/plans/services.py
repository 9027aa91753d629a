"""Assessment of a case in the five dimensions, and the case plan built from it.

An assessment is a snapshot: a new one is recorded each time the family is assessed
again, so the plan's history can be read against the needs seen at the time. Plan goals
are edited in place (with a version check) because a goal is one line of work that moves
forward — open, then done or dropped. The goal services themselves are `goals`, shared
with household development plans; the case plan's functions here call them.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import Assessment, Dimension, EventKind, PlanGoal, Risk
from onehome.cases.plans import goals
from onehome.cases.visibility.selectors import case_to_work_on
from onehome.errors import ValidationError

LEVELS = range(0, 4)  # 0 no need … 3 severe
NOTE_MAX = 1000
# The goal services are shared with household development plans (`goals`); these names
# stay here for the case plan's callers.
GOAL_FIELDS = goals.GOAL_FIELDS
GOAL_STEPS = goals.GOAL_STEPS
GOALS = goals.GOALS
GoalWorkflow = goals.GoalWorkflow
goal_moved = goals.goal_moved


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
    volunteer_id: int | None = None,
    progress: int = 0,
) -> PlanGoal:
    """Add one goal to the case plan: what to achieve, the action, who does it, by when
    (the shared goal service, `goals.add_goal`, on the case's plan)."""
    return goals.add_goal(
        actor=actor,
        holder=goals.case_plan(actor, case_id),
        dimension=dimension,
        goal=goal,
        action=action,
        agency_id=agency_id,
        volunteer_id=volunteer_id,
        due_date=due_date,
        progress=progress,
    )


def update_plan_goal(*, actor: User, goal_id: int, version: int | None, **changes: Any) -> PlanGoal:
    """Change an open goal's dimension, goal, action, who helps, due date or progress."""
    return goals.update_goal(actor=actor, goal_id=goal_id, version=version, **changes)


def complete_plan_goal(
    *, actor: User, goal_id: int, version: int | None, note: str = ""
) -> PlanGoal:
    return goals.complete_goal(actor=actor, goal_id=goal_id, version=version, note=note)


def drop_plan_goal(*, actor: User, goal_id: int, version: int | None, reason: str) -> PlanGoal:
    return goals.drop_goal(actor=actor, goal_id=goal_id, version=version, reason=reason)
