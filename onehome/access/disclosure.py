"""Statistical disclosure control for aggregates: people without personal-data access see
counts, never rows, and counts under 5 are shown as "<5" so no one can be singled out.
Every page or export that shows counts to such users goes through `shown_count`, and
every table whose cells add up to a shown total through `complementary_suppression`, so
that a hidden cell cannot be recovered by subtraction."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .models import User

SMALL_CELL = 5


def shown_count(n: int, *, user: User, exact: bool | None = None) -> str:
    """`n` as the user may see it: exact for personal-data roles unless ``exact`` is False
    (a count of an area outside theirs), small cells suppressed for everyone else (zero
    stays zero: an empty cell reveals no one)."""
    exact = user.reads_personal_data and exact is not False  # it can only hide more
    if not exact and 0 < n < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return f"{n:,}"


@dataclass(frozen=True)
class Sum:
    """A published total and the published cells that add up to it (a row or column of a
    table, the subsets of an area's poor, the areas under an area...)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def complementary_suppression(
    values: Mapping[Hashable, int],
    hidden: Iterable[Hashable],
    sums: Iterable[Sum],
    *,
    known: Iterable[Hashable] = (),
) -> set[Hashable]:
    """Every cell to hide so that no cell of ``hidden`` (the small cells) can be derived by
    subtracting the shown cells of a sum from its shown total.

    The rule: in every sum (its total and its parts) that hides any cell, at least two are
    hidden. Where a sum hides exactly one, hide also its smallest non-zero part that is
    still shown, or its total when there is none (a zero is no help: hiding it leaves the
    difference as it was). Hiding a cell can leave another sum with one hidden cell, so
    this repeats until no sum changes. Cells in ``known`` are ones the user sees exactly
    (their own area): hiding them would protect nothing, so the rule never picks them."""
    hidden = set(hidden)
    known = set(known)
    sums = list(sums)
    changed = True
    while changed:
        changed = False
        for group in sums:
            members = (*group.parts, group.total)
            if sum(m in hidden for m in members) != 1:
                continue
            candidates = [
                p for p in group.parts if p not in hidden and p not in known and values[p]
            ]
            if candidates:
                hidden.add(min(candidates, key=lambda p: values[p]))
                changed = True
            elif group.total not in hidden and group.total not in known:
                hidden.add(group.total)
                changed = True
    return hidden
