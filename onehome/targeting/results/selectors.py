"""Reads of a finished run's results: the run itself (`finished_run`), area levels, the
measures of an area and its children, the dimension-subset counts, and the user's area as
a filter on a run's household file.

Households of a survey are rows in Parquet files, not ORM rows, so `access.scope.scoped()`
cannot filter them; :func:`household_scope` is its counterpart for those files: the same
roles and the same area (`access.scope.area_scope`), failing closed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from onehome.access.models import ScopeLevel, User
from onehome.access.scope import area_scope
from onehome.errors import NotInScopeError
from onehome.geo.models import Province
from onehome.targeting.catalogue_files import run_spec
from onehome.targeting.models import Run, RunStatus


@dataclass(frozen=True)
class HouseholdScope:
    """Which villages of a run a user may see households in: everything (nation) or the
    villages whose code starts with one of ``prefixes``."""

    prefixes: tuple[str, ...] | None  # None = the whole country

    def allows(self, village_code: str) -> bool:
        return self.prefixes is None or str(village_code).startswith(self.prefixes)

    def overlaps(self, area: str) -> bool:
        """Whether the area ``area`` ("" = the nation) and the user's area overlap: only
        then can its household list show the user anyone."""
        if self.prefixes is None or not area:
            return True
        return any(area.startswith(p) or p.startswith(area) for p in self.prefixes)

    def sql(self, column: str = "village_code") -> tuple[str, list]:
        """A DuckDB predicate and its parameters."""
        if self.prefixes is None:
            return "TRUE", []
        width = len(self.prefixes[0])
        return f"list_contains(?, substr(CAST({column} AS VARCHAR), 1, {width}))", [
            list(self.prefixes)
        ]


def households_visible_in(user: User, area: str) -> bool:
    """Whether a household list of ``area`` would show the user anything at all."""
    try:
        return household_scope(user).overlaps(area)
    except NotInScopeError:
        return False


def household_scope(user: User) -> HouseholdScope:
    """The user's area as a filter on survey households; NotInScopeError (404) for users
    who may not see households at all."""
    scope = area_scope(user)  # reading households is reading personal data
    if scope is None:
        raise NotInScopeError
    level, code = scope
    if level == ScopeLevel.NATION:
        return HouseholdScope(None)
    if level == ScopeLevel.REGION:
        provinces = tuple(Province.objects.filter(region_id=code).values_list("code", flat=True))
        if not provinces:
            raise NotInScopeError
        return HouseholdScope(provinces)
    return HouseholdScope((code,))


def finished_run(run_id: int) -> Run:
    """A run whose results can be read; anything else is 404."""
    run = Run.objects.select_related("survey_round", "welfare_list").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.DONE or run.result_path is None:
        raise NotInScopeError
    return run


LEVEL_OF_WIDTH = {0: "nation", 2: "province", 4: "district", 6: "subdistrict", 8: "village"}
CHILD_LEVEL = {"nation": "province", "province": "district", "district": "subdistrict",
               "subdistrict": "village"}  # fmt: skip


def level_of(code: str) -> str:
    """The level an area code names by its length ("" is the nation); NotInScopeError for
    anything that is not an area code."""
    if code and not code.isdigit() or len(code) not in LEVEL_OF_WIDTH:
        raise NotInScopeError
    return LEVEL_OF_WIDTH[len(code)]


def area_measures(run: Run, code: str) -> tuple[dict | None, list[dict]]:
    """Measures of the area ``code`` ("" = nation) and of each area directly under it,
    from the run's ``areas.parquet`` (counts) through `engine.measures.measures_frame`."""
    # Imported here: the engine pulls in Ibis and pandas, which a web worker should load
    # only for the pages that need them (every page imports this module).
    from onehome.targeting.engine.measures import measures_frame

    level = level_of(code)
    child = CHILD_LEVEL.get(level)
    sql = (
        "SELECT * FROM read_parquet(?) WHERE (level = ? AND code = ?) "
        "OR (level = ? AND starts_with(code, ?)) ORDER BY level, code"
    )
    with duckdb.connect() as con:
        counts = con.execute(
            sql, [str(run.result_path / "areas.parquet"), level, code, child or "", code]
        ).df()
    if counts.empty:
        return None, []
    frame = measures_frame(counts, run_spec(run), by=["level", "code"])
    for column in ("target_poor", "households", "poor_households", "target_households"):
        if column in counts:
            frame[column] = counts[column]
    records = frame.to_dict("records")
    this = next((r for r in records if r["level"] == level and r["code"] == code), None)
    return this, [r for r in records if r["level"] == child]


def subset_counts(run: Run, code: str) -> list[dict]:
    """Poor people per exact set of deprived dimensions in the area ("health+income" = poor
    in those two dimensions and no other), largest first; ``of`` is all the poor there."""
    # Imported here, as in `area_measures`: the engine pulls in Ibis and pandas.
    from onehome.targeting.engine.dimension_subsets import subset_label

    level = level_of(code)
    sql = "SELECT subset, poor FROM read_parquet(?) WHERE level = ? AND code = ? ORDER BY poor DESC"
    with duckdb.connect() as con:
        rows = con.execute(sql, [str(run.result_path / "subsets.parquet"), level, code]).fetchall()
    dims = run_spec(run).dimensions
    total = sum(int(p) for _s, p in rows)
    return [
        {
            "subset": int(s),
            "label": subset_label(int(s), dims),
            "dimensions": [dim for d, dim in enumerate(dims) if int(s) >> d & 1],
            "poor": int(p),
            "of": total,
        }
        for s, p in rows
    ]
