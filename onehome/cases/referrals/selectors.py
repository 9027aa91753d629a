"""Reads of referrals: the inbox and outbox of the user's organisation, a case's referrals,
one referral (all on cases the user may see), and turnaround figures per receiving
organisation."""

from dataclasses import dataclass

from django.db.models import QuerySet

from onehome.access import audit
from onehome.access.models import User
from onehome.cases.models import Referral, ReferralStatus
from onehome.cases.referrals.services import OPEN_REFERRAL
from onehome.cases.visibility.selectors import visible_cases, visible_referrals
from onehome.errors import NotInScopeError

S = ReferralStatus


def _with_related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related("case", "from_org", "to_org", "sent_by")


def referral_inbox(*, user: User, status: str | None = None) -> QuerySet[Referral]:
    """Referrals received by the user's organisation, on cases the user may see."""
    if not user.organisation_id:
        return Referral.objects.none()
    qs = Referral.objects.filter(to_org_id=user.organisation_id, case__in=visible_cases(user))
    return _with_related(qs.filter(status=status) if status else qs)


def referral_outbox(*, user: User, status: str | None = None) -> QuerySet[Referral]:
    """Referrals sent by the user's organisation, on cases the user may see."""
    if not user.organisation_id:
        return Referral.objects.none()
    qs = Referral.objects.filter(from_org_id=user.organisation_id, case__in=visible_cases(user))
    return _with_related(qs.filter(status=status) if status else qs)


def referrals_of(*, user: User, case_id: int) -> QuerySet[Referral]:
    """All referrals on one case (empty when the case is not visible)."""
    qs = Referral.objects.filter(case_id=case_id, case__in=visible_cases(user))
    return _with_related(qs)


def referrals_to_answer(*, user: User) -> QuerySet[Referral]:
    """The inbox's referrals still waiting on the user's organisation."""
    return referral_inbox(user=user).filter(status__in=OPEN_REFERRAL)


def may_see_referral(user: User, referral_id: int) -> bool:
    """Whether `user` may read the referral (its case is visible to them), before a write."""
    return visible_referrals(user).filter(pk=referral_id).exists()


def referral_for_view(user: User, referral_id: int, *, purpose: str) -> Referral:
    """One referral on a case `user` may see, or NotInScopeError (404); the read is
    audited."""
    visible = visible_referrals(user).filter(pk=referral_id)
    referral = visible.select_related("case", "from_org", "to_org").first()
    if referral is None:
        raise NotInScopeError
    audit.record_read(actor=user, obj=referral, purpose=purpose)
    return referral


@dataclass(frozen=True)
class Turnaround:
    """How fast one receiving organisation answers and closes its referrals, in hours."""

    organisation_id: int
    organisation: str
    referrals: int
    declined: int
    open: int
    accept_median_hours: float | None
    accept_p90_hours: float | None
    outcome_median_hours: float | None
    outcome_p90_hours: float | None


def _percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), rounded to 0.1 h."""
    if not values:
        return None
    values = sorted(values)
    pos = (len(values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(values) - 1)
    return round(values[low] + (values[high] - values[low]) * (pos - low), 1)


def referral_turnaround(qs: QuerySet[Referral]) -> list[Turnaround]:
    """Turnaround per receiving organisation of the referrals in `qs` (already scoped by
    the caller): sent → accepted and sent → outcome, median and 90th percentile.
    Declined referrals count in `declined`, not in the acceptance times."""
    rows = qs.order_by().values_list(
        "to_org_id", "to_org__name_th", "status", "sent_at", "responded_at", "outcome_at"
    )
    groups: dict[int, dict] = {}
    for org_id, name, status, sent, responded, outcome_at in rows.iterator(chunk_size=5000):
        g = groups.setdefault(
            org_id, {"name": name, "n": 0, "declined": 0, "open": 0, "accept": [], "outcome": []}
        )
        g["n"] += 1
        if status == S.DECLINED:
            g["declined"] += 1
        elif responded is not None:
            g["accept"].append((responded - sent).total_seconds() / 3600)
        if status in OPEN_REFERRAL:
            g["open"] += 1
        if outcome_at is not None:
            g["outcome"].append((outcome_at - sent).total_seconds() / 3600)
    return [
        Turnaround(
            organisation_id=org_id,
            organisation=g["name"],
            referrals=g["n"],
            declined=g["declined"],
            open=g["open"],
            accept_median_hours=_percentile(g["accept"], 0.5),
            accept_p90_hours=_percentile(g["accept"], 0.9),
            outcome_median_hours=_percentile(g["outcome"], 0.5),
            outcome_p90_hours=_percentile(g["outcome"], 0.9),
        )
        for org_id, g in sorted(groups.items(), key=lambda item: item[1]["name"])
    ]
