# ruff: noqa: S608 - SQL text here is built from constants and catalogue column names
# (checked to be plain identifiers); values from the file are never part of it.
"""Welfare-card lists: national IDs on the state welfare-card registry, imported from CSV
or Parquet (one column ``national_id``) with the same all-or-nothing rule as survey rounds.

Format: docs/targeting.md, "Welfare-card list format".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.core import thai_dates
from onehome.errors import ValidationError
from onehome.targeting.engine.run_ready_columns import ID_NUMBER
from onehome.targeting.imports import import_steps as imp
from onehome.targeting.imports.survey_rounds import check_actor
from onehome.targeting.models import WelfareCardList

COLUMN = "national_id"


def import_welfare_list(
    *,
    actor: User | None,
    path: str | Path,
    as_of: dt.date,
    name: str = "",
    progress: imp.Progress | None = None,
) -> WelfareCardList:
    """Validate every ID and load the list, or raise ImportRejected and load nothing."""
    check_actor(actor)
    path = Path(path)
    if as_of > dt.date.today():
        raise ValidationError(
            _("The list's date %(date)s is in the future.")
            % {"date": thai_dates.format_date(as_of)}
        )
    imp.report(progress, "checksum", 0.0)
    checksum = imp.unseen_checksum(
        path,
        WelfareCardList,
        lambda existing: _("This file was already imported as %(list)s.") % {"list": existing},
    )
    with imp.workspace() as (con, _scratch):
        imp.report(progress, "reading", 0.05)
        types = imp.open_source(con, path)
        imp.check_columns(types, {COLUMN: "text"}, parquet=path.suffix.lower() == ".parquet")
        compact = f"replace(replace({imp.text(COLUMN)}, '-', ''), ' ', '')"
        con.execute(f"CREATE TEMP TABLE staged AS SELECT _row, {compact} AS id FROM src")
        imp.report(progress, "checking IDs", 0.2)
        checks = [
            imp.Check(COLUMN, "required", "id IS NULL", "id"),
            imp.Check(COLUMN, "thai_id", f"id IS NOT NULL AND NOT {imp.thai_id_valid('id')}", "id"),
        ]
        id_report = imp.run_checks(con, "staged", checks, _messages())
        imp.report(progress, "checking duplicates", 0.5)
        duplicate_report = _duplicates(con)
        errors, totals = imp.merge_reports(id_report, duplicate_report)
        imp.reject_if_any(errors, totals, name=path.name)
        count = int((con.execute("SELECT count(*) FROM staged").fetchone() or (0,))[0])
        if count == 0:
            raise ValidationError(_("The file %(name)s has no rows.") % {"name": path.name})
        imp.report(progress, "writing", 0.7)
        relative = f"welfare/{as_of:%Y-%m-%d}-{checksum[:16]}.parquet"
        listed = f"SELECT id AS {COLUMN}, TRY_CAST(id AS BIGINT) AS {ID_NUMBER} FROM staged"
        written = imp.write_parquet(con, f"{listed} ORDER BY id", relative)
    return imp.register_written(
        written,
        WelfareCardList,
        actor=actor,
        purpose="welfare-card list import",
        progress=progress,
        name=name or _("Welfare-card list %(date)s") % {"date": thai_dates.format_date(as_of)},
        as_of=as_of,
        parquet_path=relative,
        source_name=path.name,
        count=count,
        checksum=checksum,
    )


def _duplicates(con) -> tuple[list[imp.RowError], list[imp.ErrorTotal]]:
    """Every repeat of an ID after its first row (a hash aggregate: one pass over 11 M IDs)."""
    con.execute(
        "CREATE TEMP TABLE repeated AS SELECT id, min(_row) AS first_row, max(_row) AS last_row, "
        "count(*) - 1 AS extra FROM staged WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1"
    )
    total, first = con.execute(
        "SELECT coalesce(sum(extra), 0), min(last_row) FROM repeated"
    ).fetchone() or (0, None)
    if not total:
        return [], []
    message = _messages()["duplicate"]
    sample = con.execute(
        f"SELECT last_row, id, first_row FROM repeated ORDER BY last_row "
        f"LIMIT {imp.MAX_REPORTED_ERRORS}"
    ).fetchall()
    errors = [
        imp.RowError(
            int(row),
            COLUMN,
            str(value),
            _("%(message)s (first on row %(row)s)") % {"message": message, "row": first_row},
        )
        for row, value, first_row in sample
    ]
    return errors, [imp.ErrorTotal(COLUMN, message, int(total), int(first))]


def _messages() -> dict[str, str]:
    return {
        "required": _("a value is required"),
        "thai_id": _("not a valid 13-digit Thai national ID"),
        "duplicate": _("the same national ID appears twice"),
    }
