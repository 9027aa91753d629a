"""The cells of a run (or of a comparison of two runs) that a user does not see, decided
once over the whole area tree, so that every page and endpoint hides the same ones.

A page that decided alone could hide a district as the complement of a small one while
the district's own page shows it as its total: together the two pages give the small one
back. So the small cells and their complements are chosen in one pass over every sum the
run publishes (`access.disclosure.complementary_suppression`):

- each count of an area is the sum of that count in the areas under it;
- the poor of an area are the sum of its subsets (poor in exactly these dimensions);
- its poor in a dimension are the sum of the subsets that include the dimension;
- (comparison) each kind of change in an area is the sum of it in the areas under it.

What a user knows exactly depends only on their area scope (`access.scope.area_scope`),
so the answer is kept per run and area scope in this process.
"""

from __future__ import annotations

from functools import lru_cache

import duckdb

from onehome.access.disclosure import SMALL_CELL, Sum, complementary_suppression
from onehome.access.models import User
from onehome.access.scope import area_scope, areas_in_scope
from onehome.targeting.catalogue_files import run_spec
from onehome.targeting.models import Run
from onehome.targeting.results.suppression import Key
from onehome.targeting.results.year_over_year import CHANGES, change_counts_by_area

AREA_COLUMNS = ("n", "q", "target_poor")


def subset_key(subset: int) -> str:
    """The column of a subset's count ("subset:3": poor in dimensions 0 and 1 only)."""
    return f"subset:{subset}"


def hidden_cells(user: User, run: Run) -> frozenset[Key]:
    """The (area, column) cells of ``run`` hidden from ``user`` on every page and in the
    API: small cells outside their own area, and the complements that guard them."""
    return _hidden_in_run(run.pk, str(run.result_path), _Viewer(user))


def hidden_changes(user: User, earlier: Run, later: Run) -> frozenset[Key]:
    """The (area, kind of change) cells of the comparison of two runs hidden from ``user``."""
    return _hidden_in_comparison(
        earlier.pk, later.pk, str(later.result_path), str(earlier.result_path), _Viewer(user)
    )


class _Viewer:
    """A user as the cache sees them: equal when their area scope is (they know exactly
    the same areas), so one answer serves every user of one scope."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.scope = area_scope(user)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Viewer) and other.scope == self.scope

    def __hash__(self) -> int:
        return hash(self.scope)


def area_tree(run: Run) -> tuple[dict[Key, int], list[Sum]]:
    """Every published count of ``run`` and every sum among them."""
    spec = run_spec(run)
    dims = [f"dim_{d}" for d in range(len(spec.dimensions))]
    with duckdb.connect() as con:
        areas = con.execute(
            "SELECT * FROM read_parquet(?)", [str(run.result_path / "areas.parquet")]
        ).df()
        subsets = con.execute(
            "SELECT code, subset, poor FROM read_parquet(?)",
            [str(run.result_path / "subsets.parquet")],
        ).fetchall()
    columns = {c: c for c in AREA_COLUMNS if c in areas}
    columns |= {dim: f"poor_in_{name}" for dim, name in zip(dims, spec.dimensions, strict=True)}
    values: dict[Key, int] = {}
    for row in areas[["code", *columns]].itertuples(index=False):
        code = row[0]
        for value, column in zip(row[1:], columns.values(), strict=True):
            values[(code, column)] = int(value or 0)
    sums = _sums_over_tree({code for code, _ in values}, list(columns.values()))
    by_area: dict[str, list[tuple[int, int]]] = {}
    for code, subset, poor in subsets:
        values[(code, subset_key(int(subset)))] = int(poor)
        by_area.setdefault(code, []).append((int(subset), int(poor)))
    for code, rows in by_area.items():
        sums.append(Sum(total=(code, "q"), parts=tuple((code, subset_key(s)) for s, _ in rows)))
        for d, name in enumerate(spec.dimensions):
            parts = tuple((code, subset_key(s)) for s, _ in rows if s >> d & 1)
            sums.append(Sum(total=(code, f"poor_in_{name}"), parts=parts))
    return values, sums


def _sums_over_tree(codes: set[str], columns: list[str]) -> list[Sum]:
    """For each area with areas under it: each column is the sum of theirs."""
    children: dict[str, list[str]] = {}
    for code in codes:
        if code:  # a code's parent drops its last two digits; the nation is ""
            children.setdefault(code[:-2], []).append(code)
    return [
        Sum(total=(parent, column), parts=tuple((c, column) for c in sorted(kids)))
        for parent, kids in sorted(children.items())
        if parent in codes
        for column in columns
    ]


def _protect(values: dict[Key, int], sums: list[Sum], viewer: _Viewer) -> frozenset[Key]:
    exact = areas_in_scope(viewer.user, {code for code, _ in values})
    small = {k for k, n in values.items() if k[0] not in exact and 0 < n < SMALL_CELL}
    known = {k for k in values if k[0] in exact}
    return frozenset(complementary_suppression(values, small, sums, known=known))


@lru_cache(maxsize=64)
def _hidden_in_run(run_id: int, path: str, viewer: _Viewer) -> frozenset[Key]:
    # ``path``: a run's results are written once; a new directory is a new answer.
    values, sums = area_tree(Run.objects.get(pk=run_id))
    return _protect(values, sums, viewer)


@lru_cache(maxsize=64)
def _hidden_in_comparison(
    earlier_id: int, later_id: int, later_path: str, earlier_path: str, viewer: _Viewer
) -> frozenset[Key]:
    earlier, later = Run.objects.get(pk=earlier_id), Run.objects.get(pk=later_id)
    counts = change_counts_by_area(earlier=earlier, later=later)
    values = {(code, k): int(row.get(k, 0)) for code, row in counts.items() for k in CHANGES}
    return _protect(values, _sums_over_tree(set(counts), list(CHANGES)), viewer)
