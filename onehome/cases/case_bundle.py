"""What the case page and the case API show of one case, in a fixed number of queries.

Visibility is checked once (`selectors.case_for_view`: area scope, the sensitive-case rule,
the audit record); the parts are then read by the case's id. Re-checking visibility for
each part through the modules' `*_of(user=..., case_id=...)` selectors built the scope
filter and its sub-queries five times per request, a third of the detail's time.

Alleged offenders are shown to those who work on cases only; nothing here is ever used on
a reporter-facing page (the public tracking page shows a status and nothing else).
"""

from dataclasses import dataclass, field

from onehome.access.models import User

from . import selectors
from .lifecycle import allowed_next
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


def parties_of(user: User, case: Case) -> list[Party]:
    """The people on the case's reports; alleged offenders only for case workers."""
    qs = Party.objects.filter(report__case=case).select_related("person").order_by("role", "id")
    if not can_work_on(user):
        qs = qs.exclude(role=PartyRole.ALLEGED_OFFENDER)
    return list(qs)


def case_bundle(user: User, case_id: int, *, purpose: str) -> CaseBundle:
    """The case and its parts; NotInScopeError (404) when the user may not see it.
    The read is audited once, with `purpose`."""
    case = selectors.case_for_view(user, case_id, purpose=purpose)
    referrals = list(
        Referral.objects.filter(case_id=case.pk).select_related("from_org", "to_org", "sent_by")
    )
    for referral in referrals:
        referral.case = case  # already read and checked: no join, no second copy
    return CaseBundle(
        case=case,
        assignments=list(
            CaseWorker.objects.filter(case_id=case.pk).select_related("user", "user__organisation")
        ),
        parties=parties_of(user, case),
        events=list(selectors.case_timeline(case)),
        referrals=referrals,
        services=list(
            Service.objects.filter(case_id=case.pk).select_related(
                "provider", "item", "requested_by", "approved_by"
            )
        ),
        assessments=list(
            Assessment.objects.filter(case_id=case.pk).select_related("assessed_by")[:3]
        ),
        plan=list(PlanGoal.objects.filter(case_id=case.pk).select_related("agency")),
        moves=allowed_next(case, user),
    )
