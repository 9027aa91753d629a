"""Who may see and act on a case. Every read of a case goes through `visible_cases()`.

1. Area scope first (`access.scope.scoped`): out-of-area cases do not exist (404).
2. Only case roles see cases at all (volunteers see the reports they filed, not cases).
3. A *sensitive* case (violence, abuse, sexual, trafficking) is visible only to its assigned
   workers, to supervisors of the owning agency or of an assigned worker's agency, and to
   the staff of an agency the case is referred to (while the referral is live or delivered:
   they cannot act on a referral they cannot read). The rule in words and as `Exists`
   sub-queries is `visibility.sensitive_rule`; `SensitiveAllowed` is its fast path.
   Anyone else in scope must break the glass (`visibility.glass.break_glass`): a reason, a grant
   that expires, an audit record and a notice to the supervisors.
"""

import functools
from datetime import datetime
from typing import TypeVar

from django.db.models import BooleanField, Expression, F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.access.scope import area_scope, by_prefix, in_area, in_scope, scoped
from onehome.cases.models import Case, CaseStatus, CaseWorker, GlassBreak, Referral, ReferralStatus
from onehome.core.compiled.queries import CompiledQuery
from onehome.errors import NotInScopeError, ValidationError

M = TypeVar("M", bound=Model)


class SensitiveAllowed(Expression):
    """The sensitive-case rule for one user, as one SQL condition on the outer case: the
    fast path of `sensitive_rule.sensitive_allowed_q` (the specification, in words and in
    `Exists` sub-queries); `cases/tests/test_sensitive_rule.py` tests the two equal.

    Written as SQL once because building three to five correlated querysets on every
    scoped read was the largest part of the case list's cost (see docs/performance.md,
    "Figures behind choices in the code (cases API)"). The case's columns are Django's own
    expressions, so the rule keeps working inside sub-queries under another alias.

    Each EXISTS also tests the outer case's `sensitive` flag. The rule only ever decides
    sensitive cases, so that changes no answer, only the plan: PostgreSQL then probes the
    (case, user) index per sensitive row instead of first reading every assignment the
    user or their agency ever had (same section)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, user_id: int, org_id: int | None, supervisor: bool, now: datetime):
        super().__init__(output_field=BooleanField())
        self.user_id, self.org_id, self.now = user_id, org_id or None, now
        self.supervisor = bool(org_id) and supervisor
        self.columns = [F("pk"), F("sensitive"), F("owner_id")]

    @classmethod
    def of(cls, user: User) -> "SensitiveAllowed":
        """The rule for ``user``, now."""
        supervisor = may(user, Action.ANSWER_FOR_AGENCY_CASES)
        return cls(user.pk, user.organisation_id, supervisor, timezone.now())

    @property
    def shape(self) -> tuple[bool, bool]:
        """What of the user shapes the SQL's text (the rest are parameters)."""
        return self.org_id is not None, self.supervisor

    @property
    def values(self) -> tuple:
        """The parameters that differ between users of one shape, in the order of
        `compiled()`'s arguments."""
        if self.org_id is None:
            return self.user_id, self.now
        return self.user_id, self.org_id, self.now

    @classmethod
    def compiled(cls, shape: tuple[bool, bool], *values) -> "SensitiveAllowed":
        """The rule of ``shape`` for ``values`` (stand-ins while a query is compiled)."""
        has_org, supervisor = shape
        user_id, org_id, now = values if has_org else (values[0], None, values[1])
        return cls(user_id, org_id, supervisor, now)

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        # The case's own columns compile to column references, without parameters.
        (pk, _), (sensitive, _), (owner, _) = (compiler.compile(c) for c in self.columns)
        q = connection.ops.quote_name

        def table(model) -> str:
            return q(model._meta.db_table)

        def col(model, name: str) -> str:
            return q(model._meta.get_field(name).column)

        worker, glass, referral, users = (
            table(CaseWorker),
            table(GlassBreak),
            table(Referral),
            table(User),
        )
        w_case, w_user, g_case, g_user = (
            col(CaseWorker, "case"),
            col(CaseWorker, "user"),
            col(GlassBreak, "case"),
            col(GlassBreak, "user"),
        )
        # Table and column names from the models, quoted; every value is a parameter.
        tests = [
            f"EXISTS (SELECT 1 FROM {worker} w WHERE w.{w_case} = {pk} "  # noqa: S608
            f"AND w.{w_user} = %s AND {sensitive})",
            f"EXISTS (SELECT 1 FROM {glass} g WHERE g.{g_case} = {pk} "  # noqa: S608
            f"AND g.{g_user} = %s AND g.{col(GlassBreak, 'expires_at')} > %s AND {sensitive})",
        ]
        expires = GlassBreak._meta.get_field("expires_at").get_db_prep_value(self.now, connection)
        params: list = [self.user_id, self.user_id, expires]
        if self.org_id is not None:
            tests.append(
                f"EXISTS (SELECT 1 FROM {referral} r "  # noqa: S608
                f"WHERE r.{col(Referral, 'case')} = {pk} AND r.{col(Referral, 'to_org')} = %s "
                f"AND r.{col(Referral, 'status')} <> %s AND {sensitive})"
            )
            params += [self.org_id, ReferralStatus.DECLINED.value]
        if self.supervisor:
            tests.append(f"({owner} IS NOT NULL AND {owner} = %s)")
            tests.append(
                f"EXISTS (SELECT 1 FROM {worker} w "  # noqa: S608
                f"JOIN {users} u ON u.{q(User._meta.pk.column)} = w.{w_user} "
                f"WHERE w.{w_case} = {pk} AND u.{col(User, 'organisation')} = %s "
                f"AND {sensitive})"
            )
            params += [self.org_id, self.org_id]
        return "(" + " OR ".join(tests) + ")", params


def _allowed(qs: QuerySet[Case], rule: SensitiveAllowed) -> QuerySet[Case]:
    return qs.filter(Q(sensitive=False) | Q(rule))


def visible_cases(user: User, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases `user` may read now (area scope, case roles, the sensitive-case rule)."""
    qs = Case.objects.all() if qs is None else qs
    return _allowed(scoped(user, qs, action=Action.READ_CASES), SensitiveAllowed.of(user))


def newest_visible_case_ids(user: User, start: int, stop: int) -> list[int]:
    """``visible_cases(user).order_by("-id")[start:stop]``'s ids: the case list's page.

    The list is the busiest read, and building and compiling its query was its largest
    cost after the rows themselves (see docs/performance.md, "Figures behind choices in
    the code (cases API)"). Its SQL's text depends only on
    the user's area (when the area is a code prefix or the nation) and on whether they
    have an agency and are a supervisor; the user, agency, time and page are parameters.
    So it is compiled once per such shape (the 2,048 most recent ones) and then sent with
    each user's values; `visible_cases` remains the rule (tests compare the two)."""
    scope = area_scope(user, Action.READ_CASES)  # `scoped()`'s check, its filter in the query
    if scope is None:
        return []
    if not by_prefix(Case, scope):
        # An area named by its sub-districts (a region, an odd code): their list is part of
        # the SQL and changes with the geography, so it is not compiled.
        qs = visible_cases(user).order_by("-id")
        return list(qs.values_list("pk", flat=True)[start:stop])
    rule = SensitiveAllowed.of(user)
    query = _newest_first(scope, rule.shape)
    return [row["id"] for row in query.window(start, stop, *rule.values)]


@functools.lru_cache(maxsize=2_048)
def _newest_first(scope: tuple[str, str], shape: tuple[bool, bool]) -> CompiledQuery:
    def build(*values):
        rule = SensitiveAllowed.compiled(shape, *values)
        return _allowed(in_area(Case.objects.all(), scope), rule).order_by("-id").values("id")

    return CompiledQuery(build)


def cases_needing_glass(user: User, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Sensitive cases in the user's area that they could open only by breaking the glass."""
    qs = Case.objects.all() if qs is None else qs
    qs = scoped(user, qs, action=Action.READ_CASES).filter(sensitive=True)
    return qs.exclude(SensitiveAllowed.of(user))


def visible_referrals(user: User) -> QuerySet[Referral]:
    """Referrals on the cases `user` may read now (the rule of `visible_cases`)."""
    return Referral.objects.filter(case__in=visible_cases(user))


def may_see(user: User, case: Case) -> bool:
    """Whether `user` may read `case` (a row already read): the rule of `visible_cases`.
    The area and role are checked here, without the database; a sensitive case is checked
    by `visible_cases` itself (one query), so the sensitive-case rule stays in one place."""
    if not in_scope(user, subdistrict_code=case.subdistrict_id, action=Action.READ_CASES):
        return False
    return not case.sensitive or visible_cases(user).filter(pk=case.pk).exists()


def get_visible_case(
    user: User, pk: int, *, for_update: bool = False, related: tuple[str, ...] = ()
) -> Case:
    """The case, or NotInScopeError (404) when it is missing, out of area or sensitive and
    not open to the user. With ``for_update`` the row is locked (call inside atomic());
    ``related`` names foreign keys to read in the same query.

    Without ``for_update`` the row is read by its key and checked with `may_see`: for one
    row, the scope filter and the sensitive-case sub-queries cost more than the rest of a
    case's detail (see docs/performance.md, "Figures behind choices in the code (cases
    API)")."""
    if for_update:
        qs = Case.objects.select_for_update().filter(
            pk__in=visible_cases(user).filter(pk=pk).values("pk")
        )
        try:
            return qs.select_related(*related).get(pk=pk) if related else qs.get(pk=pk)
        except (Case.DoesNotExist, ValueError, TypeError) as exc:
            raise NotInScopeError from exc
    try:
        key = int(pk)
    except (ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    if not -(2**63) <= key < 2**63:  # no such key (a BIGINT)
        raise NotInScopeError
    case = case_by_id_query(related).one(key)
    if case is None or not may_see(user, case):
        raise NotInScopeError
    return case


@functools.cache
def case_by_id_query(related: tuple[str, ...]) -> CompiledQuery:
    """One case by its key with ``related`` rows, compiled once per ``related``."""
    return CompiledQuery(
        lambda pk: (
            Case.objects.select_related(*related).filter(pk=pk)
            if related
            else Case.objects.filter(pk=pk)
        )
    )


def can_work_on(user: User) -> bool:
    return may(user, Action.WORK_ON_CASES)


def case_to_work_on(actor: User, case_id: int) -> Case:
    """The case locked for a write (call inside atomic()), or NotInScopeError (404) for
    anyone who may not work on it; a closed case takes no new work until it is reopened."""
    if not can_work_on(actor):
        raise NotInScopeError
    case = get_visible_case(actor, case_id, for_update=True)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed. Reopen it before changing it."))
    return case


def part_to_work_on(actor: User, model: type[M], pk: int, *related: str) -> M:
    """A row of a case (a referral, a service, a plan goal) locked for a write after its
    case, which `case_to_work_on` checks and locks first, like every case write; the row
    comes with its case (and ``related``). NotInScopeError (404) when either is unknown or
    hidden from the actor."""
    case_id = model.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotInScopeError
    case_to_work_on(actor, case_id)
    rows = model.objects.select_for_update(of=("self",)).select_related("case", *related)
    return rows.get(pk=pk)
