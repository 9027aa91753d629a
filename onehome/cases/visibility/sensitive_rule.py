"""The sensitive-case rule in its readable form: the specification.

A *sensitive* case (violence, abuse, sexual, trafficking) in the user's area is open to a
user who may read cases only when one of these holds:

1. the user is assigned to the case;
2. the user holds a break-the-glass grant on the case that has not expired
   (`visibility.glass.break_glass`);
3. the user's agency has a referral on the case that it has not declined (at any other
   step, from sent to outcome reported: an agency cannot act on a referral it cannot
   read);
4. the user answers for their agency's cases (a supervisor: the role table's
   `ANSWER_FOR_AGENCY_CASES`) and has an agency, and that agency owns the case or one of
   its staff is assigned to it.

A user without an agency is never reached through one (3 and 4). Anyone else in the area
must break the glass. Ordinary cases are not concerned: for them the area and the role
decide (`selectors.visible_cases`).

The reads do not run this form: `selectors.SensitiveAllowed` is its fast path, the same
condition written as SQL once (why: docs/performance.md, "Figures behind choices in the
code (cases API)"). `cases/tests/test_sensitive_rule.py` checks that the two give the same
cases for every kind of user; change the rule here first, then the fast path.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.models import CaseWorker, GlassBreak, Referral, ReferralStatus


def sensitive_allowed_q(user: User, *, now: datetime) -> Q:
    """The condition on a case (a `Case` queryset's row) under which ``user`` may see it if
    it is sensitive, with glass grants compared to ``now``."""
    case = OuterRef("pk")
    assigned = Exists(CaseWorker.objects.filter(case=case, user=user))
    holds_glass = Exists(GlassBreak.objects.filter(case=case, user=user, expires_at__gt=now))
    allowed = Q(assigned) | Q(holds_glass)
    agency = user.organisation_id
    if not agency:
        return allowed
    referred_to_agency = Exists(
        Referral.objects.filter(case=case, to_org_id=agency).exclude(status=ReferralStatus.DECLINED)
    )
    allowed |= Q(referred_to_agency)
    if may(user, Action.ANSWER_FOR_AGENCY_CASES):
        colleague_assigned = Exists(
            CaseWorker.objects.filter(case=case, user__organisation_id=agency)
        )
        allowed |= Q(owner_id=agency) | Q(colleague_assigned)
    return allowed
