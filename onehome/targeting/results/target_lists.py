"""The target list of a run: poor households in the user's area, each with its registry
household when one is linked (`registry_links`), and exportable.

- :func:`target_households` reads the run's household file with DuckDB, filtered to the
  user's area (`selectors.household_scope`), one page at a time.
- :func:`export_target_list` writes it as CSV or Excel (an audited export) with headers in
  the page's language and what a field worker needs (`export_details`: the head's name,
  the house, the village, the deprivations in words, the assigned worker).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.core.exports import append_safe_row, safe_row
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.catalogue_files import run_spec
from onehome.targeting.models import Run, SurveyRound
from onehome.targeting.results import selectors
from onehome.targeting.results.export_details import export_details
from onehome.targeting.results.registry_links import linked_household_ids


@dataclass
class TargetPage:
    rows: list[dict[str, Any]]
    total: int


def target_households(
    *,
    user: User,
    run: Run,
    area: str = "",
    only_target: bool = True,
    limit: int | None = 50,
    offset: int = 0,
) -> TargetPage:
    """Poor households of a run in the user's area (and in ``area``, a code prefix), target
    households only by default (a poor member on the welfare-card list)."""
    scope = selectors.household_scope(user)
    if area and not area.isdigit():
        raise NotInScopeError
    where, params = scope.sql()
    if area:
        where += " AND starts_with(CAST(village_code AS VARCHAR), ?)"
        params.append(area)
    if only_target:
        where += " AND target_members > 0"
    path = str(run.result_path / "households.parquet")
    with duckdb.connect() as con:
        # `where` is built above from fixed fragments; every value is a parameter.
        count_sql = f"SELECT count(*) FROM read_parquet(?) WHERE {where}"  # noqa: S608
        total = con.execute(count_sql, [path, *params]).fetchone()[0]
        sql = f"SELECT * FROM read_parquet(?) WHERE {where}"  # noqa: S608
        sql += " ORDER BY village_code, household_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        frame = con.execute(sql, [path, *params]).df()
    return TargetPage(rows=_describe(frame, run), total=int(total))


def _describe(frame: pd.DataFrame, run: Run) -> list[dict[str, Any]]:
    spec = run_spec(run)
    ids = [ind.id for ind in spec.indicators]
    dimension_of = {ind.id: ind.dimension for ind in spec.indicators}
    keys = _person_keys(run.survey_round, [str(h) for h in frame.get("household_id", [])])
    records = frame.to_dict("records")
    registry_ids = linked_household_ids(
        [
            (str(r["village_code"]), str(r["household_id"]), keys.get(str(r["household_id"]), []))
            for r in records
        ],
    )
    rows = []
    for record in records:
        household_id = str(record["household_id"])
        mask = int(record.get("deprived") or 0)
        failed = [ids[j] for j in range(len(ids)) if mask >> j & 1]
        dims = list(dict.fromkeys(dimension_of[i] for i in failed))
        rows.append(
            {
                "household_id": household_id,
                "village_code": str(record["village_code"]),
                "members": int(record["members"]),
                "poor_members": int(record["poor_members"]),
                "target_members": int(record["target_members"]),
                "score": round(float(record["score"]), 4),
                "dimensions": dims,
                "indicators": failed,
                "registry_household": registry_ids.get(household_id),
            }
        )
    return rows


def _person_keys(survey_round: SurveyRound, household_ids: list[str]) -> dict[str, list[str]]:
    if not household_ids:
        return {}
    sql = (
        "SELECT CAST(household_id AS VARCHAR), list(person_key) FROM read_parquet(?) "
        "WHERE list_contains(?, CAST(household_id AS VARCHAR)) GROUP BY 1"
    )
    with duckdb.connect() as con:
        rows = con.execute(sql, [str(survey_round.path), household_ids]).fetchall()
    return {hh: [str(k) for k in keys if k] for hh, keys in rows}


# The columns of the export: (key, header in the page's language). Names and the house come
# from the registry household the survey household is linked to (`registry_links`), read
# through the user's scope; a household that is not linked has them empty.
EXPORT_HEADERS = (
    ("household_id", gettext_lazy("Survey household ID")),
    ("registration_no", gettext_lazy("House registration number")),
    ("head_name", gettext_lazy("Head of household")),
    ("house_no", gettext_lazy("House number")),
    ("village_code", gettext_lazy("Village code")),
    ("village_name", gettext_lazy("Village")),
    ("subdistrict_name", gettext_lazy("Sub-district")),
    ("members", gettext_lazy("Members")),
    ("poor_members", gettext_lazy("Poor members")),
    ("score", gettext_lazy("Deprivation score")),
    ("deprivations", gettext_lazy("Indicators not met")),
    ("welfare_card", gettext_lazy("Welfare card")),
    ("assigned_worker", gettext_lazy("Assigned worker")),
    ("registry_household", gettext_lazy("Registry household")),
)


def export_target_list(
    *, user: User, run: Run, area: str = "", fmt: str = "csv", only_target: bool = True
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the whole list in the user's area, with Thai
    (or English) headers, the head's name, the house and the deprivations in words; one
    audit row naming every household, registry household, head and case read."""
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Unknown export format."), code="format")
    page = target_households(user=user, run=run, area=area, only_target=only_target, limit=None)
    details = export_details(user, run, page.rows)
    header = [str(title) for _key, title in EXPORT_HEADERS]
    table = [[_cell(row[key]) for key, _title in EXPORT_HEADERS] for row in details.rows]
    name = f"target-list-run{run.pk}{'-' + area if area else ''}"
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = _("Target households")[:31]
        # Household ids and other survey text are the survey's: written as text, never run.
        append_safe_row(sheet, header)
        for line in table:
            append_safe_row(sheet, line)
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name += ".xlsx"
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(line) for line in table)
        # A BOM so that Excel opens Thai text as UTF-8.
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
        name += ".csv"
    audit.record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="targeting.targetlist",
        object_id=str(run.pk),
        after={
            "ids": [row["household_id"] for row in page.rows],
            "registry_households": details.households,
            "people": details.people,
            "cases": details.cases,
            "area": area,
            "rows": len(table),
            "format": fmt,
            "only_target": only_target,
        },
        purpose=audit.current_purpose("target list export"),
        subdistrict_code=area[:6] if len(area) >= 6 else "",
    )
    return content, content_type, name


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value
