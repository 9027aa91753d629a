"""Every read of reports: those a user may see, the dispatch board, earlier reports about
the same people or address, one report with the parties shown to the user, whether they
may triage it, and what a reporter may know of theirs.

Reports are read through `visible_reports` below: area scope, and the sensitive-report rule
(a sensitive report is read by exactly those who may read its case; before it has one, by
who took it and who must triage it). Detail reads are audited.
Alleged offenders are shown only to those who work on cases (`sees_alleged_offenders`,
for reports and cases alike).
"""

from django.db.models import Q, QuerySet

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.cases.deadlines.selectors import by_urgency_and_deadline
from onehome.cases.intake import catalogue
from onehome.cases.models import Case, Party, PartyRole, Report, ReportStatus
from onehome.cases.visibility.selectors import cases_needing_glass, visible_cases
from onehome.errors import NotInScopeError


def visible_reports(user: User, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the user may read: in their area (`scoped`), and under the sensitive-report
    rule, which makes a report exactly as visible as its case:

    1. a report on a case is protected when its case is sensitive (the case inherited the
       report's sensitivity at triage; only a supervisor's recorded decision lowers it,
       `visibility.sensitivity`), and then it is read by exactly those who may read the
       case (`visibility.selectors.visible_cases`: assigned workers, their supervisors,
       referred agencies, a live glass grant); anyone else in the area meets the glass;
    2. a sensitive report without a case is read, while it waits, by the user who took
       it; and, waiting or closed, by those who must triage it: the triage roles of the
       unit it was routed to, or, when it was routed to no unit, the supervisors and
       provincial heads of its area (`TRIAGE_AREA_REPORTS`), whose dispatch board shows it.

    Ordinary reports on ordinary cases (or on none) are read by area alone."""
    qs = scoped(user, Report.objects.all() if qs is None else qs, action=Action.READ_CASES)
    ordinary = Q(case__isnull=True, sensitive=False) | Q(case__sensitive=False)
    on_open_case = Q(
        case_id__in=visible_cases(user, Case.objects.filter(sensitive=True)).values("pk")
    )
    return qs.filter(ordinary | on_open_case | _pending_sensitive_q(user))


def _pending_sensitive_q(user: User) -> Q:
    """Rule 2 of `visible_reports`: who reads a sensitive report that has no case."""
    readers = Q(created_by=user, status=ReportStatus.WAITING)
    if user.organisation_id and may(user, Action.TRIAGE_OWN_UNIT_REPORTS):
        readers |= Q(routed_to_id=user.organisation_id)
    if may(user, Action.TRIAGE_AREA_REPORTS):
        readers |= Q(routed_to__isnull=True)
    return Q(case__isnull=True, sensitive=True) & readers


def report_case_behind_glass(user: User, report_id: int) -> int | None:
    """The case a report hidden from ``user`` belongs to, when the user could open that
    case by breaking the glass (the report page then shows the glass form); else None."""
    in_area = scoped(user, Report.objects.filter(pk=report_id), action=Action.READ_CASES)
    return (
        in_area.filter(case__in=cases_needing_glass(user)).values_list("case_id", flat=True).first()
    )


def may_see_report(user: User, report_id: int) -> bool:
    """Whether `user` may read the report (the rule of `visible_reports`), before a write."""
    return visible_reports(user).filter(pk=report_id).exists()


def dispatch_board(user: User) -> QuerySet[Report]:
    """Reports waiting for triage: those routed to the user's unit; supervisors and
    provincial heads also see the unrouted ones of their area."""
    qs = visible_reports(user).filter(status=ReportStatus.WAITING)
    mine = Q(routed_to_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if may(user, Action.TRIAGE_AREA_REPORTS):
        mine |= Q(routed_to__isnull=True)
    qs = qs.filter(mine).select_related("subdistrict", "village", "routed_to")
    return by_urgency_and_deadline(qs)


def earlier_reports(
    user: User,
    *,
    person_ids: list[int] | tuple[int, ...] = (),
    subdistrict: str | None = None,
    address: str = "",
    exclude_report_id: int | None = None,
    limit: int = 20,
) -> list[Report]:
    """Earlier reports (with their case) about the same registry people or the same address,
    that the user may see: the warning on the intake page. One audited search."""
    ids = [int(p) for p in person_ids if str(p).isdigit()]
    address = " ".join((address or "").split())
    match = Q(pk__in=[])
    if ids:
        match |= Q(pk__in=Party.objects.filter(person_id__in=ids).values("report_id"))
    if subdistrict and address:
        match |= Q(subdistrict_id=subdistrict, address__iexact=address)
    if not (ids or (subdistrict and address)):
        return []
    qs = visible_reports(user).filter(match)
    if exclude_report_id:
        qs = qs.exclude(pk=exclude_report_id)
    found = list(qs.select_related("case", "subdistrict").order_by("-received_at")[:limit])
    audit.record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="cases.report",
        after={"ids": [r.pk for r in found], "people": ids, "subdistrict": subdistrict},
        purpose=audit.current_purpose("earlier reports warning"),
        subdistrict_code=subdistrict or "",
    )
    return found


def report_status_for_reporter(reference: str) -> dict | None:
    """What the public tracking page may show for a tracking code: where the report stands,
    nothing about the people in it (never the alleged offenders). None when unknown."""
    report = (
        Report.objects.filter(reference=(reference or "").strip().upper())
        .only("reference", "status", "received_at", "category", "subcategory", "case__status")
        .select_related("case")
        .first()
    )
    if report is None:
        return None
    return {
        "reference": report.reference,
        "received_at": report.received_at,
        "issue": catalogue.label(report.category, report.subcategory) if report.category else "",
        "status": report.get_status_display(),
        "case_status": report.case.get_status_display() if report.case else "",
    }


def report_for_view(user: User, report_id: int, *, purpose: str) -> Report:
    try:
        report = visible_reports(user).select_related("subdistrict", "routed_to").get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    audit.record_read(actor=user, obj=report, purpose=purpose)
    return report


def sees_alleged_offenders(user: User | None) -> bool:
    """Whether `user` is shown the alleged offenders on a report or case: only those who
    work on cases; no one without a user (what a reporter or a bare answer gets)."""
    return user is not None and may(user, Action.WORK_ON_CASES)


def parties_shown_to(user: User | None, report: Report) -> list[Party]:
    """The people on a report that `user` may see, in the order the report page lists them
    (by role, then as entered), with their registry records."""
    rows = report.parties.select_related("person").order_by("role", "id")
    return _shown(user, rows)


def report_parties_shown_to(user: User | None, report: Report) -> list[Party]:
    """The people on a report that `user` may see, for the API's answer: the parties intake
    has just written (``services.create_report``), or those the caller prefetched, or else
    one query with their people (one per linked person was an N+1)."""
    rows = getattr(report, "written_parties", None)
    if rows is None:
        prefetched = "parties" in getattr(report, "_prefetched_objects_cache", {})
        rows = report.parties.all() if prefetched else report.parties.select_related("person")
    return _shown(user, rows)


def _shown(user: User | None, rows) -> list[Party]:
    if sees_alleged_offenders(user):
        return list(rows)
    return [p for p in rows if p.role != PartyRole.ALLEGED_OFFENDER]
