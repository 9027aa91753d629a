"""What the case page and the case API show of one case, in a fixed number of queries.

Visibility is checked once (`selectors.case_for_view`: area scope, the sensitive-case rule,
the audit record); the parts are then read by the case's id. Re-checking visibility for
each part through the modules' `*_of(user=..., case_id=...)` selectors built the scope
filter and its sub-queries five times per request, a third of the detail's time.

Alleged offenders are shown to those who work on cases only; nothing here is ever used on
a reporter-facing page (the public tracking page shows a status and nothing else).
"""

from dataclasses import dataclass, field

from django.db import connections, router

from onehome.access.models import User
from onehome.compiled_queries import CompiledQuery

from . import selectors
from .lifecycle import allowed_next, involved_by
from .models import Assessment, Case, CaseWorker, Party, PartyRole, PlanGoal, Referral, Service
from .visibility import can_work_on


@dataclass
class CaseBundle:
    case: Case
    assignments: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    events: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    services: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    plan: list = field(default_factory=list)
    moves: list = field(default_factory=list)

    def as_context(self) -> dict:
        return {
            "assignments": self.assignments,
            "parties": self.parties,
            "events": self.events,
            "referrals": self.referrals,
            "services": self.services,
            "assessments": self.assessments,
            "plan": self.plan,
            "moves": self.moves,
        }


# The parts every detail reads, compiled once (`onehome.compiled_queries`).
_ASSIGNMENTS = CompiledQuery(
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


_PARTIES = _parties_query(offenders=True)
_PARTIES_BUT_OFFENDERS = _parties_query(offenders=False)


def parties_of(user: User, case: Case) -> list[Party]:
    """The people on the case's reports; alleged offenders only for case workers."""
    return (_PARTIES if can_work_on(user) else _PARTIES_BUT_OFFENDERS)(case.pk)


_PARTS = {"referrals": Referral, "services": Service, "assessments": Assessment, "plan": PlanGoal}
_PARTS_SQL: dict[str, str] = {}


def _parts_present(case_id: int) -> set[str]:
    """Which of the case's optional parts have any row, in one fixed query: most cases have
    no referral, service, assessment or plan yet, and the ORM spent about a millisecond
    building and reading each of those four empty answers."""
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


def case_bundle(user: User, case_id: int, *, purpose: str) -> CaseBundle:
    """The case and its parts; NotInScopeError (404) when the user may not see it.
    The read is audited once, with `purpose`."""
    case = selectors.case_for_view(user, case_id, purpose=purpose)
    present = _parts_present(case.pk)
    referrals = []
    if "referrals" in present:
        referrals = list(
            Referral.objects.filter(case_id=case.pk).select_related("from_org", "to_org", "sent_by")
        )
    for referral in referrals:
        referral.case = case  # already read and checked: no join, no second copy
    assignments = _ASSIGNMENTS(case.pk)
    bundle = CaseBundle(
        case=case,
        assignments=assignments,
        parties=parties_of(user, case),
        events=selectors.case_timeline(case),
        referrals=referrals,
        moves=allowed_next(
            case,
            user,
            involved=lambda: involved_by(user, case, assignments=assignments, referrals=referrals),
        ),
    )
    if "services" in present:
        bundle.services = list(
            Service.objects.filter(case_id=case.pk).select_related(
                "provider", "item", "requested_by", "approved_by"
            )
        )
    if "assessments" in present:
        bundle.assessments = list(
            Assessment.objects.filter(case_id=case.pk).select_related("assessed_by")[:3]
        )
    if "plan" in present:
        bundle.plan = list(PlanGoal.objects.filter(case_id=case.pk).select_related("agency"))
    return bundle
