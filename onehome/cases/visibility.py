"""Who may see and act on a case. Every read of a case goes through `visible_cases()`.

1. Area scope first (`access.scope.scoped`): out-of-area cases do not exist (404).
2. Only case roles see cases at all (volunteers see the reports they filed, not cases).
3. A *sensitive* case (violence, abuse, sexual, trafficking) is visible only to its assigned
   workers, to supervisors of the owning agency or of an assigned worker's agency, and to
   the staff of an agency the case is referred to (while the referral is live or delivered:
   they cannot act on a referral they cannot read).
   Anyone else in scope must break the glass (`glass.break_glass`): a reason, a grant
   that expires, an audit record and a notice to the supervisors.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.models import PERSONAL_DATA_ROLES, Role, User
from onehome.access.scope import in_scope, scoped
from onehome.errors import NotInScopeError, ValidationError

from .models import Case, CaseStatus, CaseWorker, GlassBreak, Referral, ReferralStatus

# Everyone whose work needs named people, but volunteers: they report, they do not see cases.
CASE_ROLES = PERSONAL_DATA_ROLES - {Role.VOLUNTEER}
# Roles that do the work on a case (everyone in CASE_ROLES but inspectors, who only look).
CASE_WORK_ROLES = CASE_ROLES - {Role.INSPECTOR}


def _on_sensitive_case(qs: QuerySet) -> QuerySet:
    """`qs` (correlated on the case) made to refer to the outer case's `sensitive` flag too.
    That keeps PostgreSQL from turning the `Exists` into a hashed sub-plan, which first read
    every assignment the user (or their agency) ever had: 9,762 rows for a provincial worker
    on the bench database, most of a page's cost. Per row it probes the (case, user) index,
    and only for sensitive cases, since `NOT sensitive OR …` stops early."""
    return qs.filter(Exact(OuterRef("sensitive"), True))


def _sensitive_allowed(user: User) -> Q:
    assigned = Exists(_on_sensitive_case(CaseWorker.objects.filter(case=OuterRef("pk"), user=user)))
    granted = Exists(
        _on_sensitive_case(
            GlassBreak.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=timezone.now())
        )
    )
    allowed = Q(assigned) | Q(granted)
    if user.organisation_id:
        allowed |= Exists(
            _on_sensitive_case(
                Referral.objects.filter(case=OuterRef("pk"), to_org_id=user.organisation_id)
            ).exclude(status=ReferralStatus.DECLINED)
        )
    if user.has_role(Role.SUPERVISOR) and user.organisation_id:
        allowed |= Q(owner_id=user.organisation_id)
        allowed |= Exists(
            _on_sensitive_case(
                CaseWorker.objects.filter(
                    case=OuterRef("pk"), user__organisation_id=user.organisation_id
                )
            )
        )
    return allowed


def visible_cases(user: User, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases `user` may read now (area scope, case roles, the sensitive-case rule)."""
    qs = Case.objects.all() if qs is None else qs
    qs = scoped(user, qs, roles=CASE_ROLES)
    return qs.filter(Q(sensitive=False) | _sensitive_allowed(user))


def cases_needing_glass(user: User, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Sensitive cases in the user's area that they could open only by breaking the glass."""
    qs = Case.objects.all() if qs is None else qs
    qs = scoped(user, qs, roles=CASE_ROLES).filter(sensitive=True)
    return qs.exclude(_sensitive_allowed(user))


def visible_referrals(user: User) -> QuerySet[Referral]:
    """Referrals on the cases `user` may read now (the rule of `visible_cases`)."""
    return Referral.objects.filter(case__in=visible_cases(user))


def may_see(user: User, case: Case) -> bool:
    """Whether `user` may read `case` (a row already read): the rule of `visible_cases`.
    The area and role are checked here, without the database; a sensitive case is checked
    by `visible_cases` itself (one query), so the sensitive-case rule stays in one place."""
    if not in_scope(user, subdistrict_code=case.subdistrict_id, roles=CASE_ROLES):
        return False
    return not case.sensitive or visible_cases(user).filter(pk=case.pk).exists()


def get_visible_case(
    user: User, pk: int, *, for_update: bool = False, related: tuple[str, ...] = ()
) -> Case:
    """The case, or NotInScopeError (404) when it is missing, out of area or sensitive and
    not open to the user. With ``for_update`` the row is locked (call inside atomic());
    ``related`` names foreign keys to read in the same query.

    Without ``for_update`` the row is read by its key and checked with `may_see`: building
    and sending the scope filter (up to 290 sub-district codes) and the sensitive-case
    sub-queries for one row cost more than the rest of a case's detail."""
    if for_update:
        qs = Case.objects.select_for_update().filter(
            pk__in=visible_cases(user).filter(pk=pk).values("pk")
        )
        try:
            return qs.select_related(*related).get(pk=pk) if related else qs.get(pk=pk)
        except (Case.DoesNotExist, ValueError, TypeError) as exc:
            raise NotInScopeError from exc
    qs = Case.objects.select_related(*related) if related else Case.objects.all()
    try:
        case = qs.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    if not may_see(user, case):
        raise NotInScopeError
    return case


def can_work_on(user: User) -> bool:
    return user.is_active and user.has_role(*CASE_WORK_ROLES)


def case_to_work_on(actor: User, case_id: int) -> Case:
    """The case locked for a write (call inside atomic()), or NotInScopeError (404) for
    anyone who may not work on it; a closed case takes no new work until it is reopened."""
    if not can_work_on(actor):
        raise NotInScopeError
    case = get_visible_case(actor, case_id, for_update=True)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it before changing it."))
    return case
