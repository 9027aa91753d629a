"""Deadlines (SLA) of reports and cases, and the pause while waiting on the family.

A deadline rule is ``(amount, unit)``: ``"hours"`` run around the clock (a critical report at
2 a.m. on a holiday is still due at 3 a.m.), ``"working_days"`` follow `calendar`.

* First contact, by urgency: ``settings.ONEHOME_SLA`` (critical 1 h, urgent 24 h, normal
  3 working days by default). Routing sets ``Report.due_at`` with `first_contact_due`.
* Later steps of a case, by urgency: `STEP_SLA` below, overridable per step with
  ``settings.ONEHOME_SLA_STEPS``. The service that moves a case into a step calls
  `set_step_deadline`, which also starts the escalation ladder again for that step.

Words used everywhere (stats, escalation, pages):

* *overdue*: open, not paused, and its due time has passed — someone must act now.
* *breached*: missed a deadline that is now behind it — closed after its due time, or
  escalated and since acted on (no longer overdue). Overdue and breached never overlap.
"""

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.audit import record
from onehome.access.models import AuditAction, User
from onehome.cases.deadlines import calendar
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    EventKind,
    Report,
    ReportStatus,
    Urgency,
)
from onehome.cases.visibility.selectors import can_work_on, get_visible_case
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError

HOURS = "hours"
WORKING_DAYS = "working_days"
Rule = tuple[int, str]

FIRST_CONTACT = "first_contact"
ASSESSMENT = "assessment"
REFERRAL_RESPONSE = "referral_response"
REFERRAL_OUTCOME = "referral_outcome"
CLOSURE_APPROVAL = "closure_approval"

# A rule per step, or a rule per urgency. First contact comes from settings.ONEHOME_SLA.
STEP_SLA: dict[str, Rule | Mapping[str, Rule]] = {
    # After a report is accepted into a case: the assessment visit.
    ASSESSMENT: {
        Urgency.CRITICAL: (24, HOURS),
        Urgency.URGENT: (3, WORKING_DAYS),
        Urgency.NORMAL: (7, WORKING_DAYS),
    },
    # The receiving agency accepts or declines a referral.
    REFERRAL_RESPONSE: {
        Urgency.CRITICAL: (4, HOURS),
        Urgency.URGENT: (1, WORKING_DAYS),
        Urgency.NORMAL: (2, WORKING_DAYS),
    },
    # The receiving agency reports the outcome back.
    REFERRAL_OUTCOME: (15, WORKING_DAYS),
    # A supervisor decides on a closure request.
    CLOSURE_APPROVAL: (3, WORKING_DAYS),
}

MIN_PAUSE_REASON = 5


def deadline(rule: Rule, start: dt.datetime) -> dt.datetime:
    amount, unit = rule
    if unit == HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    raise ImproperlyConfigured(f"unknown SLA unit {unit!r}; use {HOURS!r} or {WORKING_DAYS!r}")


def rule_for(step: str, urgency: str = Urgency.NORMAL) -> Rule:
    if step == FIRST_CONTACT:
        table: Rule | Mapping[str, Rule] = settings.ONEHOME_SLA
    else:
        overrides = getattr(settings, "ONEHOME_SLA_STEPS", {})
        if step not in overrides and step not in STEP_SLA:
            raise ImproperlyConfigured(f"no SLA for step {step!r}")
        table = overrides.get(step, STEP_SLA.get(step))
    if isinstance(table, Mapping):
        try:
            return tuple(table[str(urgency)])  # type: ignore[return-value]
        except KeyError as exc:
            raise ImproperlyConfigured(f"no SLA for {step!r} at urgency {urgency!r}") from exc
    return tuple(table)  # type: ignore[return-value]


def first_contact_due(urgency: str, start: dt.datetime) -> dt.datetime:
    """When the responsible unit must first contact the people of a report."""
    return deadline(rule_for(FIRST_CONTACT, urgency), start)


def step_due(step: str, start: dt.datetime, urgency: str = Urgency.NORMAL) -> dt.datetime:
    return deadline(rule_for(step, urgency), start)


def set_step_deadline(case: Case, *, step: str, start: dt.datetime | None = None) -> list[str]:
    """Start the clock of a new step on `case` (the caller saves, inside its transaction,
    with the returned ``update_fields``). The escalation ladder starts again for the step:
    an earlier breach stays on the timeline as its ESCALATION events."""
    case.due_at = step_due(step, start or timezone.now(), case.urgency)
    case.escalation_level = 0
    return ["due_at", "escalation_level"]


# The step a case enters with each status; statuses not listed keep the running clock
# (e.g. "assistance reported" is still inside the referral's outcome deadline).
STATUS_STEP = {
    "assessing": ASSESSMENT,
    "referred": REFERRAL_OUTCOME,
    "closure_requested": CLOSURE_APPROVAL,
}


def on_status(case: Case, to_status: str, start: dt.datetime | None = None) -> list[str]:
    """Restart the clock for the step `to_status` begins (called by
    `lifecycle.transitions.transition` before it saves); returns the fields it changed."""
    step = STATUS_STEP.get(str(to_status))
    return set_step_deadline(case, step=step, start=start) if step else []


# --- overdue and breached, as query conditions and for one record --------------------------


def overdue_q(now: dt.datetime) -> Q:
    """Open cases past their due time and not paused."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now, paused_at__isnull=True)


def report_overdue_q(now: dt.datetime) -> Q:
    return Q(status=ReportStatus.WAITING, due_at__lt=now)


def escalated() -> Exists:
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.ESCALATION))


def breached_q(now: dt.datetime) -> Q:
    closed_late = Q(closed_at__isnull=False, due_at__isnull=False, closed_at__gt=F("due_at"))
    return (closed_late | Q(escalated())) & ~overdue_q(now)


def is_overdue(obj: Case | Report, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if obj.due_at is None or obj.due_at >= now:
        return False
    if isinstance(obj, Report):
        return obj.status == ReportStatus.WAITING
    return obj.status in OPEN_STATUSES and obj.paused_at is None


def breached(case: Case, now: dt.datetime | None = None) -> bool:
    """Whether `case` missed a deadline that is now behind it (see the module words)."""
    if is_overdue(case, now):
        return False
    if case.closed_at and case.due_at and case.closed_at > case.due_at:
        return True
    return case.events.filter(kind=EventKind.ESCALATION).exists()


# --- pause while waiting on the family -----------------------------------------------------


def _case_to_change(actor: User, case_id: int, version: int | None) -> Case:
    if not can_work_on(actor):
        raise NotInScopeError
    case = get_visible_case(actor, case_id, for_update=True)
    if version is None or int(version) != case.version:
        raise StaleVersionError(current_version=case.version, given_version=version)
    if not case.is_open:
        raise ValidationError(_("This case is closed."), code="closed")
    return case


@transaction.atomic
def pause(
    *, actor: User, case_id: int, reason: str, version: int | None, now: dt.datetime | None = None
) -> Case:
    """Stop the case's clock while the worker waits on the family (an appointment they
    asked to move, a document they must bring). The reason goes on the timeline."""
    case = _case_to_change(actor, case_id, version)
    reason = (reason or "").strip()
    if len(reason) < MIN_PAUSE_REASON:
        raise ValidationError(_("Say what you are waiting for."), code="reason")
    if case.paused_at is not None:
        raise ValidationError(_("The case is already paused."), code="paused")
    case.paused_at = now or timezone.now()
    case.version += 1
    case.save(update_fields=["paused_at", "version"])
    add_event(case, kind=EventKind.PAUSE, actor=actor, text=reason)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before={"paused_at": None},
        after={"paused_at": case.paused_at.isoformat()},
        purpose=reason,
    )
    return case


@transaction.atomic
def resume(
    *, actor: User, case_id: int, version: int | None, now: dt.datetime | None = None
) -> Case:
    """Start the clock again; the deadline moves forward by the time the case was paused."""
    case = _case_to_change(actor, case_id, version)
    if case.paused_at is None:
        raise ValidationError(_("The case is not paused."), code="not_paused")
    now = now or timezone.now()
    paused_for = max(now - case.paused_at, dt.timedelta(0))
    before = {"paused_at": case.paused_at.isoformat(), "due_at": _iso(case.due_at)}
    if case.due_at is not None:
        case.due_at += paused_for
    case.paused_at = None
    case.version += 1
    case.save(update_fields=["paused_at", "due_at", "version"])
    add_event(
        case,
        kind=EventKind.RESUME,
        actor=actor,
        data={"paused_seconds": int(paused_for.total_seconds()), "due_at": _iso(case.due_at)},
    )
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after={"paused_at": None, "due_at": _iso(case.due_at)},
    )
    return case


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
