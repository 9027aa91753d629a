"""Every read of cases as a whole: the user's work queues ("my work"), and one case with
everything every agency on it sees, in a fixed number of queries.

Cases are read through `visibility.selectors.visible_cases` (area scope + the
sensitive-case rule). Visibility of one case is checked once (`case_for_view`: area
scope, the sensitive-case rule, the audit record); its parts are then read by the case's
id: re-checking visibility for each part through the modules' `*_of(user=..., case_id=...)`
selectors built the scope filter and its sub-queries five times per request (see
docs/performance.md, "Figures behind choices in the code (cases API)").

Alleged offenders are shown to those who work on cases only (`intake.selectors.
sees_alleged_offenders`); nothing here is ever used on a reporter-facing page (the public
tracking page shows a status and nothing else).
"""

import re
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.deadlines.selectors import by_urgency_and_deadline, overdue_cases
from onehome.cases.deadlines.sla import overdue_q
from onehome.cases.intake.selectors import (
    dispatch_board,
    sees_alleged_offenders,
    visible_reports,
)
from onehome.cases.lifecycle.transitions import allowed_next, involved_by
from onehome.cases.models import (
    OPEN_STATUSES,
    Assessment,
    Case,
    CaseEvent,
    CaseStatus,
    CaseWorker,
    Party,
    PartyRole,
    PlanGoal,
    Referral,
    Report,
    Service,
)
from onehome.cases.referrals.selectors import referrals_to_answer
from onehome.cases.visibility.selectors import get_visible_case, visible_cases
from onehome.core import thai_dates
from onehome.core.compiled.queries import CompiledQuery


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
    if not may(user, Action.DECIDE_CLOSURE):
        return Case.objects.none()
    qs = visible_cases(user).filter(status=CaseStatus.CLOSURE_REQUESTED)
    if not may(user, Action.ANSWER_FOR_AREA_CASES):
        qs = qs.filter(
            Q(owner_id=user.organisation_id)
            | Q(assignments__user__organisation_id=user.organisation_id)
        ).distinct()
    return by_urgency_and_deadline(qs.select_related("subdistrict", "owner"))


def my_work(user: User) -> dict[str, QuerySet]:
    return {
        "cases": my_cases(user),
        "unit_cases": unit_cases(user),
        "approvals": closures_to_approve(user),
        "overdue": overdue_cases(user),
        "reports": dispatch_board(user),
    }


# Why a case is on "my work", in the order its badges show.
WORK_REASONS = ("approval", "overdue", "lead", "assigned", "unit", "referral")


def _work_sets(user: User) -> dict[str, QuerySet]:
    """Each reason's cases (unordered, for sub-queries and counts)."""
    return {
        "approval": closures_to_approve(user).order_by(),
        "overdue": overdue_cases(user).order_by(),
        "lead": my_cases(user).filter(assignments__user=user, assignments__lead=True).order_by(),
        "assigned": my_cases(user).order_by(),
        "unit": unit_cases(user).order_by(),
    }


def work_cases(user: User) -> QuerySet[Case]:
    """Every case of the user's work, once however many reasons put it there, most urgent
    first (a case assigned to the user, of their unit and overdue is one row, not three)."""
    sets = _work_sets(user)
    anyof = Q(pk__in=[])
    for qs in sets.values():
        anyof |= Q(pk__in=qs.values("pk"))
    qs = Case.objects.filter(anyof).select_related("subdistrict", "owner")
    return by_urgency_and_deadline(qs)


def work_reasons(user: User, case_ids: list[int]) -> dict[int, list[str]]:
    """The reasons each of those cases is on the user's work (one query per reason, over
    the page's ids only)."""
    reasons: dict[int, list[str]] = {pk: [] for pk in case_ids}
    if not case_ids:
        return reasons
    for reason, qs in _work_sets(user).items():
        for pk in set(qs.filter(pk__in=case_ids).values_list("pk", flat=True)):
            reasons[pk].append(reason)
    waiting = referrals_to_answer(user=user).filter(case_id__in=case_ids)
    for pk in set(waiting.values_list("case_id", flat=True)):
        reasons[pk].append("referral")
    for found in reasons.values():
        if "lead" in found and "assigned" in found:
            found.remove("assigned")  # the lead is assigned too: one badge says it
    return reasons


def work_counts(user: User) -> dict[str, int]:
    """How many cases each reason puts on the user's work."""
    return {reason: qs.values("pk").distinct().count() for reason, qs in _work_sets(user).items()}


# What the case page and the API's detail read with the case itself.
CASE_DETAIL_RELATED = ("owner", "subdistrict", "village")
OLD_CASE_NUMBER = re.compile(r"^C(\d{4})-(\d{6})$")


def case_for_view(user: User, case_id: int, *, purpose: str) -> Case:
    """The case with its owner and place (404 when not visible); the read is audited."""
    case = get_visible_case(user, case_id, related=CASE_DETAIL_RELATED)
    audit_case_read(user, case, purpose=purpose)
    return case


def audit_case_read(user: User, case: Case, *, purpose: str) -> None:
    audit.record_read(actor=user, obj=case, purpose=purpose, household_id=case.household_id)


def case_as_listed(case_id: int) -> Case:
    """A case just written, read again as the case list shows it (owner and place)."""
    return Case.objects.select_related("owner", "subdistrict").get(pk=case_id)


def cases_listed(
    user: User,
    *,
    status: str | None = None,
    urgency: str | None = None,
    category: str | None = None,
    owner_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[Case]:
    """The case list's rows as filtered by the API's query parameters, newest first by the
    primary key: an index walk with LIMIT, no sort of the area."""
    qs = visible_cases(user)
    if status:
        qs = qs.filter(status=status)
    if urgency:
        qs = qs.filter(urgency=urgency)
    if category:
        qs = qs.filter(category=category)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if overdue:
        qs = qs.filter(overdue_q(timezone.now()))
    return qs.order_by("-id")


def visible_case_numbered(user: User, number: str) -> Case | None:
    """The case `user` may see with that number (as staff type it, in Thai digits, or with
    the Gregorian year the numbers had before they took the Buddhist era), or None."""
    number = number.strip().upper().translate(thai_dates.THAI_DIGITS)
    if (m := OLD_CASE_NUMBER.match(number)) and int(m[1]) < thai_dates.FIRST_BUDDHIST_YEAR:
        number = f"C{int(m[1]) + thai_dates.BUDDHIST_ERA_OFFSET}-{m[2]}"
    return visible_cases(user).filter(number=number).first()


def latest_event(case: Case) -> CaseEvent | None:
    """The newest event on the case's timeline (a note just added, say)."""
    return case.events.select_related("actor", "organisation").order_by("-at", "-id").first()


_TIMELINE = CompiledQuery(
    lambda case_id: (
        CaseEvent.objects.filter(case_id=case_id)
        .select_related("actor", "organisation")
        .order_by("at", "id")
    )
)


def case_timeline(case: Case) -> list[CaseEvent]:
    """The timeline of a case already read with `case_for_view` (every agency's events),
    by a query compiled once (`onehome.core.compiled.queries`)."""
    events = _TIMELINE(case.pk)
    for event in events:
        event.case = case  # as the related manager would set it
    return events


@dataclass
class CaseDetail:
    case: Case
    assignments: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    events: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    services: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    plan: list = field(default_factory=list)
    moves: list = field(default_factory=list)
    viewer: User | None = None

    def as_context(self) -> dict:
        return {
            "viewer": self.viewer,
            "assignments": self.assignments,
            "parties": self.parties,
            "events": self.events,
            "referrals": self.referrals,
            "services": self.services,
            "assessments": self.assessments,
            "plan": self.plan,
            "moves": self.moves,
        }


# The parts every detail reads, compiled once (`onehome.core.compiled.queries`).
CASE_ASSIGNMENTS = CompiledQuery(
    lambda case_id: CaseWorker.objects.filter(case_id=case_id).select_related(
        "user", "user__organisation"
    )
)


def _parties_query(*, offenders: bool) -> CompiledQuery:
    def build(case_id: int):
        qs = Party.objects.filter(report__case_id=case_id)
        if not offenders:
            qs = qs.exclude(role=PartyRole.ALLEGED_OFFENDER)
        return qs.select_related("person").order_by("role", "id")

    return CompiledQuery(build)


CASE_PARTIES = _parties_query(offenders=True)
CASE_PARTIES_BUT_OFFENDERS = _parties_query(offenders=False)


def parties_of(user: User, case: Case) -> list[Party]:
    """The people on the case's reports; alleged offenders only for who may see them."""
    return (CASE_PARTIES if sees_alleged_offenders(user) else CASE_PARTIES_BUT_OFFENDERS)(case.pk)


_PARTS = {"referrals": Referral, "services": Service, "assessments": Assessment, "plan": PlanGoal}
_PARTS_SQL: dict[str, str] = {}


def _parts_present(case_id: int) -> set[str]:
    """Which of the case's optional parts have any row, in one fixed query: most cases have
    no referral, service, assessment or plan yet, and building and reading those four
    empty answers through the ORM cost more than the query (see docs/performance.md,
    "Figures behind choices in the code (cases API)")."""
    alias = router.db_for_read(Case)
    if alias not in _PARTS_SQL:
        quote = connections[alias].ops.quote_name
        # Table names from the models, quoted; the case id is a parameter.
        tests = [
            f"EXISTS (SELECT 1 FROM {quote(m._meta.db_table)} WHERE case_id = %s)"  # noqa: S608
            for m in _PARTS.values()
        ]
        _PARTS_SQL[alias] = "SELECT " + ", ".join(tests)
    with connections[alias].cursor() as cursor:
        cursor.execute(_PARTS_SQL[alias], [case_id] * len(_PARTS))
        row = cursor.fetchone()
    return {name for name, present in zip(_PARTS, row, strict=True) if present}


@dataclass
class CaseReports:
    """The reports behind a case as the case page shows them: those the user may read
    (the report page's rule, `intake.selectors.visible_reports`) with their place, issue,
    risks and reporter, and how many others there are that the user may not open (a report
    merged in from outside their area)."""

    shown: list[Report] = field(default_factory=list)
    hidden: int = 0


def case_reports(user: User, case: Case, *, purpose: str) -> CaseReports:
    """The case's reports for the case page (`CaseReports`). Reporter name and phone are
    what the report page shows the same user: each report read through the same rule, an
    anonymous reporter's never. The reports listed are written to the audit log, like the
    case's own read."""
    rows = Report.objects.filter(case_id=case.pk)
    shown = list(
        visible_reports(user, rows)
        .select_related("subdistrict", "village")
        .order_by("received_at", "id")
    )
    hidden = rows.count() - len(shown)
    for report in shown:
        report.shows_reporter = not report.reporter_anonymous
    if shown:
        audit.listed(user, shown, kind="cases.report", purpose=purpose)
    return CaseReports(shown=shown, hidden=hidden)


def case_detail(user: User, case_id: int, *, purpose: str) -> CaseDetail:
    """The case and its parts; NotInScopeError (404) when the user may not see it.
    The read is audited once, with `purpose`."""
    case = get_visible_case(user, case_id, related=CASE_DETAIL_RELATED)
    return case_detail_of(user, case, purpose=purpose)


def case_detail_of(user: User, case: Case, *, purpose: str) -> CaseDetail:
    """The parts of a case already resolved for `user` (`get_visible_case` with
    `CASE_DETAIL_RELATED`, as `case_access` does); the read is audited once, here."""
    audit_case_read(user, case, purpose=purpose)
    present = _parts_present(case.pk)
    referrals = []
    if "referrals" in present:
        referrals = list(
            Referral.objects.filter(case_id=case.pk).select_related("from_org", "to_org", "sent_by")
        )
    for referral in referrals:
        referral.case = case  # already read and checked: no join, no second copy
    assignments = CASE_ASSIGNMENTS(case.pk)
    detail = CaseDetail(
        case=case,
        assignments=assignments,
        parties=parties_of(user, case),
        events=case_timeline(case),
        referrals=referrals,
        viewer=user,
        moves=allowed_next(
            case,
            user,
            involved=lambda: involved_by(user, case, assignments=assignments, referrals=referrals),
        ),
    )
    if "services" in present:
        detail.services = list(
            Service.objects.filter(case_id=case.pk).select_related(
                "provider", "item", "requested_by", "approved_by"
            )
        )
    if "assessments" in present:
        detail.assessments = list(
            Assessment.objects.filter(case_id=case.pk).select_related("assessed_by")[:3]
        )
    if "plan" in present:
        detail.plan = list(PlanGoal.objects.filter(case_id=case.pk).select_related("agency"))
    return detail
