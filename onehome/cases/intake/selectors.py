"""Every read of reports and cases: the dispatch board, "my work", earlier reports about the
same people or address, and a case with its timeline.

Cases are read through `visibility.visible_cases` (area scope + the sensitive-case rule);
reports through `visible_reports` below (area scope, and a sensitive report only for the
unit it was routed to and the person who took it). Detail reads are audited.
"""

from django.db.models import Case as CaseWhen
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import AuditAction, Role, User
from onehome.access.scope import scoped
from onehome.compiled_queries import CompiledQuery

from . import catalogue, sla
from .models import (
    OPEN_STATUSES,
    URGENCY_RANK,
    Case,
    CaseEvent,
    CaseStatus,
    Party,
    Report,
    ReportStatus,
)
from .visibility import CASE_ROLES, get_visible_case, visible_cases

_URGENCY_ORDER = CaseWhen(
    *[When(urgency=u, then=Value(rank)) for u, rank in URGENCY_RANK.items()],
    default=Value(9),
    output_field=IntegerField(),
)


def by_urgency_and_deadline(qs: QuerySet) -> QuerySet:
    """Most urgent first, then the nearest deadline (none last), then the oldest."""
    date_field = "received_at" if qs.model is Report else "opened_at"
    return qs.annotate(urgency_rank=_URGENCY_ORDER).order_by(
        "urgency_rank", F("due_at").asc(nulls_last=True), date_field
    )


def _sensitive_report_q() -> Q:
    return Q(category__in=catalogue.sensitive_categories()) | Q(
        subcategory__in=catalogue.sensitive_subcategories()
    )


def visible_reports(user: User, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the user may read: in their area, and sensitive ones only when routed to the
    user's unit or taken by the user."""
    qs = scoped(user, Report.objects.all() if qs is None else qs, roles=CASE_ROLES)
    own = Q(created_by=user)
    if user.organisation_id:
        own |= Q(routed_to_id=user.organisation_id)
    return qs.filter(~_sensitive_report_q() | own)


def dispatch_board(user: User) -> QuerySet[Report]:
    """Reports waiting for triage: those routed to the user's unit; supervisors and
    provincial heads also see the unrouted ones of their area."""
    qs = visible_reports(user).filter(status=ReportStatus.WAITING)
    mine = Q(routed_to_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR, Role.PROVINCIAL_HEAD):
        mine |= Q(routed_to__isnull=True)
    qs = qs.filter(mine).select_related("subdistrict", "village", "routed_to")
    return by_urgency_and_deadline(qs)


def my_cases(user: User) -> QuerySet[Case]:
    """Open cases the user is assigned to."""
    qs = visible_cases(user).filter(status__in=OPEN_STATUSES, assignments__user=user)
    return by_urgency_and_deadline(qs.select_related("subdistrict", "owner"))


def unit_cases(user: User) -> QuerySet[Case]:
    """Open cases owned by the user's agency."""
    if not user.organisation_id:
        return Case.objects.none()
    qs = visible_cases(user).filter(status__in=OPEN_STATUSES, owner_id=user.organisation_id)
    return by_urgency_and_deadline(qs.select_related("subdistrict", "owner"))


def closures_to_approve(user: User) -> QuerySet[Case]:
    """Closure requests a supervisor or provincial head may decide."""
    if not user.has_role(Role.SUPERVISOR, Role.PROVINCIAL_HEAD):
        return Case.objects.none()
    qs = visible_cases(user).filter(status=CaseStatus.CLOSURE_REQUESTED)
    if not user.has_role(Role.PROVINCIAL_HEAD):
        qs = qs.filter(
            Q(owner_id=user.organisation_id)
            | Q(assignments__user__organisation_id=user.organisation_id)
        ).distinct()
    return by_urgency_and_deadline(qs.select_related("subdistrict", "owner"))


def overdue_cases(user: User) -> QuerySet[Case]:
    """Open cases of the user's work (assigned, or their unit's) past their deadline."""
    qs = visible_cases(user).filter(sla.overdue_q(timezone.now()))
    mine = Q(assignments__user=user)
    if user.organisation_id:
        mine |= Q(owner_id=user.organisation_id)
    return by_urgency_and_deadline(qs.filter(mine).distinct().select_related("subdistrict"))


def my_work(user: User) -> dict[str, QuerySet]:
    return {
        "cases": my_cases(user),
        "unit_cases": unit_cases(user),
        "approvals": closures_to_approve(user),
        "overdue": overdue_cases(user),
        "reports": dispatch_board(user),
    }


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
        after={"people": ids, "subdistrict": subdistrict, "found": [r.pk for r in found]},
        purpose="earlier reports warning",
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
    from onehome.errors import NotInScopeError

    try:
        report = visible_reports(user).select_related("subdistrict", "routed_to").get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    audit.record_read(actor=user, obj=report, purpose=purpose)
    return report


def case_for_view(user: User, case_id: int, *, purpose: str) -> Case:
    """The case with its owner and place (404 when not visible); the read is audited."""
    case = get_visible_case(user, case_id, related=("owner", "subdistrict", "village"))
    audit.record_read(actor=user, obj=case, purpose=purpose, household_id=case.household_id)
    return case


_TIMELINE = CompiledQuery(
    lambda case_id: (
        CaseEvent.objects.filter(case_id=case_id)
        .select_related("actor", "organisation")
        .order_by("at", "id")
    )
)


def case_timeline(case: Case) -> list[CaseEvent]:
    """The timeline of a case already read with `case_for_view` (every agency's events),
    by a query compiled once (`onehome.compiled_queries`)."""
    events = _TIMELINE(case.pk)
    for event in events:
        event.case = case  # as the related manager would set it
    return events
