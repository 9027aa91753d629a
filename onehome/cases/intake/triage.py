"""Triage: a waiting report becomes a case, joins an open case, or is closed with a reason.

Only the unit the report was routed to (or a supervisor or provincial head of the area)
triages it. Each function is one transaction that locks the report, refuses a stale
`version` (StaleVersionError) and a report already triaged, then writes the case, its
timeline and the audit records.
"""

from typing import NoReturn

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.intake import catalogue
from onehome.cases.intake.selectors import visible_reports
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.services import add_worker
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import is_involved
from onehome.cases.models import (
    URGENCY_RANK,
    Case,
    CaseStatus,
    EventKind,
    PartyRole,
    Report,
    ReportStatus,
)
from onehome.cases.visibility.selectors import get_visible_case
from onehome.core import thai_dates
from onehome.core.state_machine import Step, Workflow
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Person
from onehome.registry.selectors import current_household_id

REPORT_FIELDS = ["status", "case", "closed_reason", "closed_at", "version"]
S = ReportStatus
TRIAGE = Action.TRIAGE_OWN_UNIT_REPORTS
REPORT_STEPS = {
    (S.WAITING, S.ACCEPTED): Step("accept", gettext_lazy("Open a case"), TRIAGE),
    (S.WAITING, S.MERGED): Step("merge", gettext_lazy("Add to an open case"), TRIAGE),
    (S.WAITING, S.CLOSED): Step(
        "close", gettext_lazy("Close without a case"), TRIAGE, reason_required=True
    ),
}
# Sent after a report is triaged, like `case_transitioned` for cases.
report_triaged = Signal()


def _locked_report(actor: User, report_id: int) -> Report:
    visible = visible_reports(actor).filter(pk=report_id).values("pk")
    try:
        return Report.objects.select_for_update().get(pk__in=visible)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc


class ReportWorkflow(Workflow[Report]):
    """A report's triage: waiting, then accepted into a case, merged into one, or closed.
    Only the unit it was routed to (or a supervisor of the area) triages it."""

    model = Report
    steps = REPORT_STEPS
    audited_fields = REPORT_FIELDS
    moved = report_triaged

    def lock(self, actor: User, pk: int) -> Report:
        return _locked_report(actor, pk)

    def refuse_move(self, obj: Report, to_status: str) -> NoReturn:
        raise ValidationError(
            _("Report %(ref)s was already triaged (%(status)s).")
            % {"ref": obj.reference, "status": obj.get_status_display()},
            code="report_status",
        )

    def may_on(self, user: User, obj: Report, step: Step) -> bool:
        own_unit = bool(obj.routed_to_id) and user.organisation_id == obj.routed_to_id
        return own_unit or may(user, Action.TRIAGE_AREA_REPORTS)

    def refuse_actor(self, user: User, obj: Report, step: Step) -> NoReturn:
        raise ValidationError(
            _("Only %(unit)s, or a supervisor of the area, may triage this report.")
            % {"unit": obj.routed_to or _("the responsible unit")},
            code="not_allowed",
        )

    def ask_reason(self, obj: Report, to_status: str) -> NoReturn:
        raise ValidationError(_("Give the reason for closing the report."), code="reason")

    def audit_purpose(self, step: Step, reason: str) -> str:
        return f"triage: {step.action}"


REPORTS = ReportWorkflow()


def next_case_number(year: int) -> str:
    """ "C2569-000123" in Gregorian `year` 2026: the Buddhist-era year (as every Thai reader
    counts, and as the number is read out over the phone, in either language) and the
    year's running number (zero-padded, so text order is number order; six digits hold the
    ≈190,000 cases of a year)."""
    prefix = f"C{year + thai_dates.BUDDHIST_ERA_OFFSET}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:06d}"


def _save_with_number(case: Case) -> None:
    # Two triages at once compute the same number; the unique index refuses the second,
    # which then counts again after the first has committed.
    for _attempt in range(20):
        case.number = next_case_number(timezone.localdate().year)
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free case number")


def _household_of(report: Report) -> int | None:
    victim = report.parties.filter(role=PartyRole.VICTIM, person__isnull=False).first()
    if victim is None:
        return None
    return current_household_id(Person.objects.get(pk=victim.person_id))


@transaction.atomic
def accept_report(*, actor: User, report_id: int, version: int | None) -> Case:
    """Open a case from a waiting report, owned by the unit it was routed to.

    A frontline worker who accepts takes the case up: they are assigned as its lead and the
    case moves on to assessment (otherwise they could not even see a sensitive case they just
    accepted). A supervisor accepting for the unit leaves it waiting for a worker."""
    report, step, _reason = REPORTS.prepare(
        actor=actor, pk=report_id, to_status=S.ACCEPTED, version=version
    )
    if not report.category:
        raise ValidationError(_("Choose the issue before opening a case."), code="category")
    owner_id = report.routed_to_id or actor.organisation_id
    if owner_id is None:
        raise ValidationError(_("Route the report to a unit first."), code="routed_to")
    case = Case(
        status=CaseStatus.WAITING,
        urgency=report.urgency,
        category=report.category,
        subcategory=report.subcategory,
        sensitive=report.sensitive,
        title=catalogue.label(report.category, report.subcategory)[:200],
        subdistrict_id=report.subdistrict_id,
        village_id=report.village_id,
        household_id=_household_of(report),
        owner_id=owner_id,
        due_at=report.due_at,
    )
    _save_with_number(case)
    add_event(
        case,
        kind=EventKind.REPORT,
        actor=actor,
        text=report.summary,
        data={"report": report.reference, "channel": report.channel, "risks": report.risks},
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=case, after=audit.snapshot(case))
    REPORTS.complete(report, actor=actor, step=step, to_status=S.ACCEPTED, changes={"case": case})
    if may(actor, Action.TAKE_UP_CASES) and not may(actor, Action.TRIAGE_AREA_REPORTS):
        case = add_worker(case, actor=actor, user=actor, lead=True)
        case = transitions.transition(
            actor=actor, case_id=case.pk, to_status=CaseStatus.ASSESSING, version=case.version
        )
    return case


@transaction.atomic
def merge_report(*, actor: User, report_id: int, case_id: int, version: int | None) -> Case:
    """Add a waiting report to an open case (a second call about the same family)."""
    report, step, _reason = REPORTS.prepare(
        actor=actor, pk=report_id, to_status=S.MERGED, version=version
    )
    case = get_visible_case(actor, case_id, for_update=True)
    if not case.is_open:
        raise ValidationError(
            _("Case %(number)s is closed; reopen it before adding a report.")
            % {"number": case.number},
            code="case_closed",
        )
    if not is_involved(actor, case):
        raise ValidationError(_("Your agency does not work on this case."), code="not_allowed")
    before = audit.snapshot(case, ["urgency", "sensitive", "version"])
    # The case is as urgent and as protected as the most urgent, most sensitive report on it.
    case.urgency = min(case.urgency, report.urgency, key=lambda u: URGENCY_RANK[u])
    case.sensitive = case.sensitive or report.sensitive
    case.version += 1
    case.save(update_fields=["urgency", "sensitive", "version"])
    add_event(
        case,
        kind=EventKind.MERGE,
        actor=actor,
        text=report.summary,
        data={"report": report.reference, "channel": report.channel, "risks": report.risks},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after=audit.snapshot(case, ["urgency", "sensitive", "version"]),
        purpose=f"merge report {report.reference}",
    )
    REPORTS.complete(report, actor=actor, step=step, to_status=S.MERGED, changes={"case": case})
    return case


@transaction.atomic
def close_report(*, actor: User, report_id: int, reason: str, version: int | None) -> Report:
    """Close a waiting report without a case (no help needed, duplicate, unreachable…)."""
    return REPORTS.transition(
        actor=actor,
        pk=report_id,
        to_status=S.CLOSED,
        version=version,
        reason=reason,
        changes={"closed_reason": (reason or "").strip()[:300], "closed_at": timezone.now()},
    )
