"""Triage: a waiting report becomes a case, joins an open case, or is closed with a reason.

Only the unit the report was routed to (or a supervisor or provincial head of the area)
triages it. Each function is one transaction that locks the report, refuses a stale
`version` (StaleVersionError) and a report already triaged, then writes the case, its
timeline and the audit records.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.cases.intake import catalogue
from onehome.cases.intake.selectors import visible_reports
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import check_version, is_involved
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
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Person
from onehome.registry.selectors import current_household_id

REPORT_FIELDS = ["status", "case", "closed_reason", "closed_at", "version"]


def _locked_report(actor: User, report_id: int) -> Report:
    visible = visible_reports(actor).filter(pk=report_id).values("pk")
    try:
        return Report.objects.select_for_update().get(pk__in=visible)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc


def _check_triage(actor: User, report: Report, version: int | None) -> None:
    check_version(report, version)
    if report.status != ReportStatus.WAITING:
        raise ValidationError(
            _("Report %(ref)s was already triaged (%(status)s).")
            % {"ref": report.reference, "status": report.get_status_display()},
            code="report_status",
        )
    own_unit = report.routed_to_id and actor.organisation_id == report.routed_to_id
    if not actor.is_active or not (
        (own_unit and may(actor, Action.TRIAGE_OWN_UNIT_REPORTS))
        or may(actor, Action.TRIAGE_AREA_REPORTS)
    ):
        raise ValidationError(
            _("Only %(unit)s, or a supervisor of the area, may triage this report.")
            % {"unit": report.routed_to or _("the responsible unit")},
            code="not_allowed",
        )


def _finish_report(report: Report, *, actor: User, status: str, purpose: str, **changes) -> None:
    before = audit.snapshot(report, REPORT_FIELDS)
    report.status = status
    for name, value in changes.items():
        setattr(report, name, value)
    report.version += 1
    report.save(update_fields=REPORT_FIELDS)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=report,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
        purpose=purpose,
    )


def next_case_number(year: int) -> str:
    """ "C2026-000123": the year's running number (zero-padded, so text order is number order;
    six digits hold the ≈190,000 cases of a year)."""
    prefix = f"C{year}-"
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
    report = _locked_report(actor, report_id)
    _check_triage(actor, report, version)
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
        sensitive=catalogue.is_sensitive(report.category, report.subcategory),
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
    _finish_report(
        report, actor=actor, status=ReportStatus.ACCEPTED, purpose="triage: accept", case=case
    )
    if may(actor, Action.TAKE_UP_CASES) and not may(actor, Action.TRIAGE_AREA_REPORTS):
        # Here, not at the top: lifecycle.services imports this module's role sets.
        from onehome.cases.lifecycle.services import add_worker

        case = add_worker(case, actor=actor, user=actor, lead=True)
        case = transitions.transition(
            actor=actor, case_id=case.pk, to_status=CaseStatus.ASSESSING, version=case.version
        )
    return case


@transaction.atomic
def merge_report(*, actor: User, report_id: int, case_id: int, version: int | None) -> Case:
    """Add a waiting report to an open case (a second call about the same family)."""
    report = _locked_report(actor, report_id)
    _check_triage(actor, report, version)
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
    case.sensitive = case.sensitive or catalogue.is_sensitive(report.category, report.subcategory)
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
    _finish_report(
        report, actor=actor, status=ReportStatus.MERGED, purpose="triage: merge", case=case
    )
    return case


@transaction.atomic
def close_report(*, actor: User, report_id: int, reason: str, version: int | None) -> Report:
    """Close a waiting report without a case (no help needed, duplicate, unreachable…)."""
    report = _locked_report(actor, report_id)
    _check_triage(actor, report, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for closing the report."), code="reason")
    _finish_report(
        report,
        actor=actor,
        status=ReportStatus.CLOSED,
        purpose="triage: close",
        closed_reason=reason[:300],
        closed_at=timezone.now(),
    )
    return report
