"""Year over year: which households entered or left poverty between two runs of one area.

Each run's household file lists its *poor* households; the survey rounds say who was
surveyed at all. A household poor in the later run is ``entered`` when the earlier round
surveyed it and found it not poor, ``new`` when the earlier round did not survey it; a
household poor in the earlier run is ``left`` when the later round found it not poor and
``gone`` when the later round did not survey it; ``stayed`` is poor in both. Households
are matched by the survey's household id, which the จปฐ. keeps from year to year.

Counts per area are aggregates (small cells suppressed on the page for users without
personal-data roles); the list of households is personal data, scoped and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.results import selectors

CHANGES = {
    "entered": gettext_lazy("Entered poverty"),
    "left": gettext_lazy("Left poverty"),
    "stayed": gettext_lazy("Poor in both"),
    "new": gettext_lazy("Poor, not surveyed before"),
    "gone": gettext_lazy("Was poor, not surveyed again"),
}
# The width of the codes one level down; a village (8 digits) has no areas under it.
CHILD_WIDTH = {0: 2, 2: 4, 4: 6, 6: 8}
AREA_WIDTHS = (2, 4, 6, 8)


@dataclass
class Comparison:
    earlier: Run
    later: Run
    area: str
    totals: dict[str, int]
    children: list[dict[str, Any]]  # {"code", "entered", "left", ...} per child area

    @property
    def has_children(self) -> bool:
        """Whether there are areas under this one (a village has none)."""
        return len(self.area) in CHILD_WIDTH


def default_runs() -> tuple[Run | None, Run | None]:
    """(earlier, later) that the empty comparison form proposes: the newest finished run,
    and the newest finished run of an older survey round of the same area (None when there
    is none). Proposing the same run twice would only earn "choose two different runs"."""
    finished = Run.objects.filter(status=RunStatus.DONE).exclude(result_dir="")
    later = finished.select_related("survey_round").first()
    if later is None:
        return None, None
    earlier = finished.filter(
        survey_round__year__lt=later.survey_round.year,
        survey_round__province_id=later.survey_round.province_id,
    ).first()
    return earlier, later


def check_comparable(earlier: Run, later: Run) -> None:
    """Two finished runs of the same area, the earlier one first."""
    if earlier.pk == later.pk:
        raise ValidationError(_("Choose two different runs."), code="same_run")
    if earlier.survey_round.province_id != later.survey_round.province_id:
        raise ValidationError(_("The two runs cover different areas."), code="area")
    if earlier.survey_round.year > later.survey_round.year:
        raise ValidationError(_("The first run must be of the earlier survey."), code="order")


def _changes_sql(earlier: Run, later: Run) -> tuple[str, list[str]]:
    # Only fixed SQL here; file paths are parameters.
    sql = """
        WITH a AS (SELECT CAST(household_id AS VARCHAR) AS hh, CAST(village_code AS VARCHAR)
                          AS village_code FROM read_parquet(?)),
             b AS (SELECT CAST(household_id AS VARCHAR) AS hh, CAST(village_code AS VARCHAR)
                          AS village_code FROM read_parquet(?)),
             ra AS (SELECT DISTINCT CAST(household_id AS VARCHAR) AS hh FROM read_parquet(?)),
             rb AS (SELECT DISTINCT CAST(household_id AS VARCHAR) AS hh FROM read_parquet(?))
        SELECT coalesce(b.hh, a.hh) AS household_id,
               coalesce(b.village_code, a.village_code) AS village_code,
               CASE WHEN a.hh IS NOT NULL AND b.hh IS NOT NULL THEN 'stayed'
                    WHEN b.hh IS NOT NULL AND ra.hh IS NOT NULL THEN 'entered'
                    WHEN b.hh IS NOT NULL THEN 'new'
                    WHEN rb.hh IS NOT NULL THEN 'left'
                    ELSE 'gone' END AS change
        FROM a FULL OUTER JOIN b ON a.hh = b.hh
        LEFT JOIN ra ON a.hh IS NULL AND ra.hh = b.hh
        LEFT JOIN rb ON b.hh IS NULL AND rb.hh = a.hh
    """
    params = [
        str(earlier.result_path / "households.parquet"),
        str(later.result_path / "households.parquet"),
        str(earlier.survey_round.path),
        str(later.survey_round.path),
    ]
    return sql, params


def compare_runs(*, earlier: Run, later: Run, area: str = "") -> Comparison:
    """Counts of each change in ``area`` (a code prefix, "" = all) and per child area."""
    check_comparable(earlier, later)
    if area and (not area.isdigit() or len(area) not in AREA_WIDTHS):
        raise ValidationError(_("Unknown area."), code="area")
    # A village is counted by its own code; it has no child rows.
    width = CHILD_WIDTH.get(len(area), len(area))
    sql, params = _changes_sql(earlier, later)
    # width is an int (a code's width); the rest is fixed SQL with parameters.
    query = f"SELECT substr(village_code, 1, {width}) AS code, change, count(*) "  # noqa: S608
    query += f"FROM ({sql}) WHERE starts_with(village_code, ?) GROUP BY 1, 2 ORDER BY 1"
    with duckdb.connect() as con:
        rows = con.execute(query, [*params, area]).fetchall()
    totals = dict.fromkeys(CHANGES, 0)
    by_code: dict[str, dict[str, Any]] = {}
    for code, change, count in rows:
        totals[change] += int(count)
        entry = by_code.setdefault(code, {"code": code, **dict.fromkeys(CHANGES, 0)})
        entry[change] = int(count)
    children = [by_code[c] for c in sorted(by_code)] if len(area) in CHILD_WIDTH else []
    return Comparison(earlier, later, area, totals, children)


def change_counts_by_area(*, earlier: Run, later: Run) -> dict[str, dict[str, int]]:
    """Counts of each change in every area of the two runs (the nation "", provinces,
    districts, sub-districts, villages): the whole tree that `withheld` protects."""
    check_comparable(earlier, later)
    sql, params = _changes_sql(earlier, later)
    # The widths are the fixed ints of AREA_WIDTHS; the file paths are parameters.
    query = "SELECT code, change, count(*) FROM ("
    query += " UNION ALL ".join(
        f"SELECT substr(village_code, 1, {width}) AS code, change FROM changes"  # noqa: S608
        for width in (0, *AREA_WIDTHS)
    )
    query += ") GROUP BY 1, 2"
    with duckdb.connect() as con:
        rows = con.execute(f"WITH changes AS ({sql}) {query}", params).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for code, change, count in rows:
        counts.setdefault(code, dict.fromkeys(CHANGES, 0))[change] = int(count)
    return counts


def changed_households(
    *,
    user: User,
    earlier: Run,
    later: Run,
    area: str = "",
    changes: tuple[str, ...] = ("entered", "left"),
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[list[dict[str, str]], int]:
    """Households that entered or left poverty in the user's area: (page, total). Audited."""
    scope = selectors.household_scope(user)
    check_comparable(earlier, later)
    bad_area = area and (not area.isdigit() or len(area) not in AREA_WIDTHS)
    if bad_area or not set(changes) <= set(CHANGES):
        raise NotInScopeError
    sql, params = _changes_sql(earlier, later)
    where, scope_params = scope.sql()
    base = (  # noqa: S608 - fixed SQL and the scope's fixed predicate; values are parameters
        f"FROM ({sql}) WHERE {where} AND starts_with(village_code, ?) AND list_contains(?, change)"
    )
    args = [*params, *scope_params, area, list(changes)]
    page_sql = f"SELECT household_id, village_code, change {base} "  # noqa: S608 - fixed SQL
    page_sql += "ORDER BY village_code, household_id"
    if limit is not None:
        page_sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    with duckdb.connect() as con:
        total = int(con.execute(f"SELECT count(*) {base}", args).fetchone()[0])
        rows = con.execute(page_sql, args).fetchall()
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="targeting.yoy",
        object_id=f"{earlier.pk}/{later.pk}",
        after={
            "ids": [household_id for household_id, _v, _c in rows],
            "area": area,
            "changes": list(changes),
            "rows": len(rows),
        },
        purpose=audit.current_purpose("year-over-year list"),
        subdistrict_code=area[:6] if len(area) >= 6 else "",
    )
    return [{"household_id": h, "village_code": v, "change": c} for h, v, c in rows], total
