"""The one scoping function. Every read of personal data goes through `scoped()`.

A model that holds personal data names the path to its sub-district in `scope_field`
(e.g. Person → "subdistrict", Membership → "household__subdistrict"). A user sees a row
when they hold a personal-data role and the row's sub-district lies in their area scope.
Anything else — no role, no scope, an unknown level, a model without `scope_field` — sees
nothing: the function fails closed. Out-of-scope rows are indistinguishable from missing
ones (`get_scoped_or_404` raises Http404), so IDs cannot be probed.

`scoped()` is `area_scope()` (who may read, and where) then `in_area()` (the filter). The
one caller that takes the two halves apart is the case list's query compiled per area
(`cases.visibility.newest_visible_case_ids`): it checks with `area_scope()` on every call
and builds its query with `in_area()` once.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Model, QuerySet
from django.db.models.lookups import In
from django.http import Http404

from onehome.core.compiled.code_prefix import InArea
from onehome.geo.selectors import subdistrict_codes

from .models import ScopeLevel, User
from .roles import Action, may

M = TypeVar("M", bound=Model)


class InCodes(In):
    """`field IN (codes)`; on PostgreSQL `field = ANY(%s)` with the codes as one array.
    The same plan, but Django prepares and psycopg quotes one parameter instead of one per
    code (see docs/performance.md, "Figures behind choices in the code (cases API)")."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, [str(code) for code in self.rhs])


# Levels whose area is one prefix of the sub-district code, and its width.
PREFIX_WIDTH = {ScopeLevel.PROVINCE: 2, ScopeLevel.DISTRICT: 4, ScopeLevel.SUBDISTRICT: 6}


def area_scope(user: User, action: Action = Action.READ_PERSONAL_DATA) -> tuple[str, str] | None:
    """(level, code) of the user's area, or None when the role table does not let them
    do ``action`` (reading personal data, unless the caller reads something else)."""
    if not getattr(user, "is_authenticated", False) or not may(user, action):
        return None
    if user.scope_level not in ScopeLevel.values:
        return None
    if user.scope_level != ScopeLevel.NATION and not user.scope_code:
        return None
    return user.scope_level, user.scope_code


def scoped(
    user: User, qs: QuerySet[M], *, action: Action = Action.READ_PERSONAL_DATA
) -> QuerySet[M]:
    """Restrict `qs` to the rows `user` may read. The only way personal data is read.

    ``action`` is the role-table action that reads this kind of record at all: reading
    personal data for people and households, cases for cases, the audit log for it."""
    field = getattr(qs.model, "scope_field", None)
    if not field:
        raise ImproperlyConfigured(f"{qs.model.__name__} has no scope_field; it cannot be read")
    scope = area_scope(user, action)
    if scope is None:
        return qs.none()
    return in_area(qs, scope)


def in_area(qs: QuerySet[M], scope: tuple[str, str]) -> QuerySet[M]:
    """The rows of `qs` that lie in the area ``scope`` = (level, code) of `area_scope`:
    the filter of `scoped()`, for a caller that has checked the user already."""
    field = qs.model.scope_field
    level, code = scope
    if level == ScopeLevel.NATION:
        return qs
    if by_prefix(qs.model, scope):
        # The same rows: a sub-district's code starts with its district's and province's
        # (checked by `geo.services.load_geography`). A model with an index on the prefix
        # and its key reads an area's newest rows in order instead of sorting them all.
        return qs.filter(InArea(F(field), code))
    return qs.filter(InCodes(F(field), subdistrict_codes(level=level, code=code)))


def by_prefix(model: type[Model], scope: tuple[str, str]) -> bool:
    """Whether `in_area` filters `model` by the area's code alone (the whole nation: no
    filter), so that its SQL depends on nothing but the code. Otherwise it lists the
    area's sub-districts, which change when the geography is reloaded."""
    level, code = scope
    if level == ScopeLevel.NATION:
        return True
    width = PREFIX_WIDTH.get(level)
    return width == len(code) and code.isdigit() and getattr(model, "scope_by_prefix", False)


def get_scoped_or_404(user: User, qs: QuerySet[M], **lookup) -> M:
    try:
        return scoped(user, qs).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# An area code's level by its length (villages lie in the sub-district of their first six).
_LEVEL_OF_WIDTH = {width: level for level, width in PREFIX_WIDTH.items()}


def _readable_subdistricts(user: User, action: Action) -> frozenset[str] | None:
    """The sub-district codes of the user's area scope; None when it is the whole nation,
    empty when the user may read nothing (the rule of `scoped()`, as a set)."""
    scope = area_scope(user, action)
    if scope is None:
        return frozenset()
    level, code = scope
    if level == ScopeLevel.NATION:
        return None
    return frozenset(subdistrict_codes(level=level, code=code))


def area_in_scope(user: User, code: str, *, action: Action = Action.READ_PERSONAL_DATA) -> bool:
    """Whether the whole area ``code`` ("" for the nation, then 2, 4, 6 or 8 digits) lies in
    the user's area scope: every sub-district of it is one the user may read. For counts
    and rates: exact inside one's own area, suppressed like anyone else's outside it."""
    mine = _readable_subdistricts(user, action)
    if mine is None:
        return True
    if len(code) == 8:  # a village: its sub-district
        code = code[:6]
    area_level = _LEVEL_OF_WIDTH.get(len(code))
    if area_level is None:
        return False
    theirs = subdistrict_codes(level=area_level, code=code)
    return bool(theirs) and mine.issuperset(theirs)


def areas_in_scope(
    user: User, codes: Iterable[str], *, action: Action = Action.READ_PERSONAL_DATA
) -> set[str]:
    """The codes of ``codes`` for which `area_in_scope` holds, for a whole area tree (a
    national run's 80,000 areas). An area inside the scope has every area under it
    inside; an area sharing no sub-district with the scope has none; only the areas on
    the scope's border are asked of `area_in_scope` (`test_scope` checks they agree)."""
    mine = _readable_subdistricts(user, action)
    codes = sorted(set(codes), key=len)
    if mine is None:
        return set(codes)
    touching = {s[:width] for s in mine for width in (0, 2, 4, 6)}
    inside: set[str] = set()
    decided: dict[str, bool] = {}
    for code in codes:
        parent = code[:-2] if code else None
        if parent is not None and decided.get(parent):
            answer = True
        elif parent is not None and parent in decided and parent not in touching:
            answer = False
        else:
            answer = area_in_scope(user, code, action=action)
        decided[code] = answer
        if answer:
            inside.add(code)
    return inside


def in_scope(
    user: User, *, subdistrict_code: str, action: Action = Action.READ_PERSONAL_DATA
) -> bool:
    """Whether a sub-district lies in the user's scope (for checks before a write, and for
    a row already read by its key): the rule of `scoped()` for one row."""
    mine = _readable_subdistricts(user, action)
    return mine is None or subdistrict_code in mine
