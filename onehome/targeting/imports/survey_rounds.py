# ruff: noqa: S608 - SQL text here is built from constants and catalogue column names
# (checked to be plain identifiers); values from the file are never part of it.
"""Survey-round files: the format, whole-file validation in DuckDB, and the import.

One row per person (format: docs/targeting.md, "Survey round file format"). The import
loads every row or none: all checks run over the whole file first, and only a file that
passes is written, as a normalised Parquet copy under ONEHOME_DATA_DIR, and registered.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.errors import ValidationError
from onehome.geo.models import Province, Subdistrict, Village
from onehome.targeting.catalogue_files import catalogue
from onehome.targeting.engine.spec import BOOLEAN_RULES, COMPARISON_RULES, Spec
from onehome.targeting.engine.village_totals import write_summary
from onehome.targeting.imports import import_steps as imp
from onehome.targeting.imports import survey_round_checks as checks
from onehome.targeting.imports.survey_round_checks import BASE_KINDS
from onehome.targeting.models import SurveyRound


def column_kinds(spec: Spec) -> dict[str, str]:
    """Every column a round for ``spec`` must have, with its kind."""
    kinds = dict(BASE_KINDS)
    for ind in spec.indicators:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", ind.column):
            raise ValidationError(
                _("Indicator %(id)s: column name %(column)r must be letters, digits and _.")
                % {"id": ind.id, "column": ind.column},
                code="bad_catalogue",
            )
        if ind.rule in BOOLEAN_RULES or isinstance(ind.cutoff, bool):
            kinds[ind.column] = "boolean"
        elif ind.rule in COMPARISON_RULES or isinstance(ind.cutoff, int | float):
            kinds[ind.column] = "number"
        else:
            kinds.setdefault(ind.column, "text")
    return kinds


def check_actor(actor: User | None) -> None:
    """None is the command line (the operator of the machine); users need a targeting role."""
    if actor is not None and not may(actor, Action.IMPORT_SURVEYS):
        raise PermissionDenied(_("Only analysts and administrators may do this."))


def import_survey_round(
    *,
    actor: User | None,
    path: str | Path,
    year: int,
    name: str = "",
    catalogue_name: str = "tpmap_2018",
    province: str | None = None,
    progress: imp.Progress | None = None,
) -> SurveyRound:
    """Validate the whole file and load it, or raise ImportRejected and load nothing."""
    check_actor(actor)
    path = Path(path)
    spec = catalogue(catalogue_name)
    if not 2000 <= int(year) <= 2700:
        raise ValidationError(_("Survey year %(year)s is not plausible.") % {"year": year})
    if province and not Province.objects.filter(code=province).exists():
        raise ValidationError(_("Unknown province code %(code)s.") % {"code": province})
    imp.report(progress, "checksum", 0.0)
    checksum = imp.unseen_checksum(
        path,
        SurveyRound,
        lambda existing: _("This file was already imported as %(round)s.") % {"round": existing},
    )
    kinds = column_kinds(spec)
    with imp.workspace() as (con, _scratch):
        imp.report(progress, "reading", 0.05)
        types = imp.open_source(con, path)
        imp.check_columns(types, kinds, parquet=path.suffix.lower() == ".parquet")
        _stage_geography(con, province)
        imp.report(progress, "normalising", 0.1)
        # A table, not a view: every check, the key pass and the write then read computed
        # columns instead of re-evaluating the normalisation (a view is inlined per use).
        con.execute(f"CREATE TEMP TABLE staged AS {checks.staged_sql(kinds)}")
        imp.report(progress, "checking rows", 0.3)
        rows_report = imp.run_checks(
            con, "staged", checks.row_checks(kinds, province), checks.messages()
        )
        imp.report(progress, "checking people and households", 0.5)
        unique_report, rows, households = checks.check_keys(con)
        errors, totals = imp.merge_reports(rows_report, unique_report)
        imp.reject_if_any(errors, totals, name=path.name)
        if rows == 0:
            raise ValidationError(_("The file %(name)s has no rows.") % {"name": path.name})
        imp.report(progress, "writing", 0.7)
        relative = f"rounds/{int(year)}-{checksum[:16]}.parquet"
        written = imp.write_parquet(con, checks.normalised_sql(kinds), relative)
    imp.report(progress, "counting villages", 0.85)
    try:
        summary = write_summary(written, spec)
    except Exception:
        written.unlink(missing_ok=True)
        raise
    return imp.register_written(
        written,
        SurveyRound,
        actor=actor,
        purpose="survey round import",
        progress=progress,
        companions=[summary],
        year=int(year),
        name=name or f"{spec.name or catalogue_name} {year}",
        province_id=province or None,
        catalogue=catalogue_name,
        parquet_path=relative,
        source_name=path.name,
        rows=rows,
        households=households,
        checksum=checksum,
    )


def _stage_geography(con: duckdb.DuckDBPyConnection, province: str | None) -> None:
    """Known sub-districts and registered villages, as small tables to join against."""
    with_villages = set(Village.objects.values_list("subdistrict_id", flat=True).distinct())
    subs = list(Subdistrict.objects.values_list("code", flat=True))
    # Copied into DuckDB tables: joining against a registered Arrow object is far slower.
    con.register(
        "subdistricts_arrow",
        pa.table({"code": subs, "has_villages": [code in with_villages for code in subs]}),
    )
    villages = list(Village.objects.values_list("code", flat=True))
    con.register("villages_arrow", pa.table({"code": pa.array(villages, pa.string())}))
    con.execute("CREATE TABLE known_subdistricts AS SELECT * FROM subdistricts_arrow")
    con.execute("CREATE TABLE known_villages AS SELECT * FROM villages_arrow")
    con.unregister("subdistricts_arrow")
    con.unregister("villages_arrow")
