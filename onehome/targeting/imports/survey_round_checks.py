# ruff: noqa: S608 - SQL text here is built from constants and catalogue column names
# (checked to be plain identifiers); values from the file are never part of it.
"""The checks of a survey-round file, as SQL for DuckDB: normalising each column, one
condition per row check, and the whole-file checks (repeated person keys, households
spread over several villages). Used by :mod:`onehome.targeting.imports.survey_rounds`."""

from __future__ import annotations

import duckdb
from django.utils.translation import gettext as _

from onehome.targeting.engine.run_ready_columns import (
    HOUSEHOLD_SIZE,
    ID_NUMBER,
    answer_columns,
    packed_answers_sql,
    village_number_sql,
)
from onehome.targeting.imports import import_steps as imp

BASE_KINDS = {
    "household_id": "text",
    "village_code": "text",
    "person_key": "text",
    "age": "integer",
    "sex": "text",
}
MAX_AGE = 120
# list_contains, not IN: DuckDB plans an IN list as a join, one per column (far slower;
# docs/performance.md).
_TRUE = "['true', 't', '1', 'yes', 'y']"
_FALSE = "['false', 'f', '0', 'no', 'n']"


def staged_sql(kinds: dict[str, str]) -> str:
    """Each column as trimmed text (``t_<col>``) and as its normalised value (``v_<col>``)."""
    parts = ["s._row"]
    for column, kind in kinds.items():
        raw = imp.text(column)
        parts.append(f'{raw} AS "t_{column}"')
        parts.append(f'{_normalise(column, kind, raw)} AS "v_{column}"')
    return (
        f"SELECT {', '.join(parts)}, k.code IS NOT NULL AS sub_known, "
        "coalesce(k.has_villages, false) AS sub_has_villages, g.code IS NOT NULL AS vil_known "
        "FROM src s "
        f"LEFT JOIN known_subdistricts k ON k.code = left({imp.text('village_code')}, 6) "
        f"LEFT JOIN known_villages g ON g.code = {imp.text('village_code')}"
    )


def _normalise(column: str, kind: str, raw: str) -> str:
    if column == "person_key":
        compact = f"replace(replace({raw}, '-', ''), ' ', '')"
        return f"CASE WHEN regexp_full_match({compact}, '[0-9]+') THEN {compact} ELSE {raw} END"
    if column == "sex":
        return (
            f"CASE WHEN list_contains(['male', 'm', 'ชาย'], lower({raw})) THEN 'male' "
            f"WHEN list_contains(['female', 'f', 'หญิง'], lower({raw})) THEN 'female' "
            f"WHEN list_contains(['unknown', 'u'], lower({raw})) THEN 'unknown' END"
        )
    if kind == "boolean":
        return (
            f"CASE WHEN list_contains({_TRUE}, lower({raw})) THEN true "
            f"WHEN list_contains({_FALSE}, lower({raw})) "
            "THEN false END"
        )
    if kind in ("number", "integer"):
        return f"TRY_CAST({raw} AS DOUBLE)"
    return raw


def row_checks(kinds: dict[str, str], province: str | None) -> list[imp.Check]:
    def c(column: str, code: str, condition: str) -> imp.Check:
        return imp.Check(column, code, condition, f'"t_{column}"')

    key = '"v_person_key"'
    village = '"t_village_code"'
    eight = f"regexp_full_match({village}, '[0-9]{{8}}')"
    checks = [
        c("household_id", "required", '"t_household_id" IS NULL'),
        c("household_id", "too_long", 'length("t_household_id") > 64'),
        c("village_code", "required", f"{village} IS NULL"),
        c("village_code", "village_format", f"NOT regexp_full_match({village}, '[0-9]{{8}}')"),
        c(
            "village_code",
            "unknown_subdistrict",
            f"{eight} AND NOT sub_known",
        ),
        c(
            "village_code",
            "village_number",
            f"{eight} AND sub_known AND right({village}, 2) = '00'",
        ),
        c(
            "village_code",
            "unknown_village",
            f"{eight} AND sub_has_villages AND NOT vil_known AND right({village}, 2) <> '00'",
        ),
        c(
            "person_key",
            "thai_id",
            f"regexp_full_match({key}, '[0-9]{{13}}') AND NOT {imp.thai_id_valid(key)}",
        ),
        c(
            "person_key",
            "digits_not_13",
            f"regexp_full_match({key}, '[0-9]+') AND length({key}) <> 13",
        ),
        c(
            "person_key",
            "key_format",
            f"NOT regexp_full_match({key}, '[0-9]+') "
            f"AND NOT regexp_full_match({key}, '[A-Za-z][A-Za-z0-9_]{{0,15}}:[^\\s]{{1,64}}')",
        ),
        c(
            "age",
            "not_integer",
            '"t_age" IS NOT NULL AND ("v_age" IS NULL OR NOT isfinite("v_age") '
            'OR "v_age" <> floor("v_age"))',
        ),
        c("age", "age_range", f'isfinite("v_age") AND ("v_age" < 0 OR "v_age" > {MAX_AGE})'),
        c("sex", "required", '"t_sex" IS NULL'),
        c("sex", "sex", '"t_sex" IS NOT NULL AND "v_sex" IS NULL'),
    ]
    if province:
        checks.append(
            c(
                "village_code",
                "outside_province",
                f"sub_known AND left({village}, 2) <> '{province}'",
            )
        )
    for column, kind in kinds.items():
        if column in BASE_KINDS:
            continue
        if kind == "boolean":
            checks.append(
                c(column, "not_boolean", f'"t_{column}" IS NOT NULL AND "v_{column}" IS NULL')
            )
        elif kind == "number":
            checks.append(
                c(
                    column,
                    "not_number",
                    f'"t_{column}" IS NOT NULL '
                    f'AND ("v_{column}" IS NULL OR NOT isfinite("v_{column}"))',
                )
            )
            checks.append(c(column, "negative", f'"v_{column}" < 0'))
    return checks


def check_keys(
    con: duckdb.DuckDBPyConnection,
) -> tuple[tuple[list[imp.RowError], list[imp.ErrorTotal]], int, int]:
    """Person keys are unique in a round; a household lives in one village. Also counts."""
    text = messages()
    con.execute(
        "CREATE TEMP TABLE repeated_keys AS SELECT v_person_key AS key, min(_row) AS first_row, "
        "max(_row) AS last_row, count(*) AS n FROM staged WHERE v_person_key IS NOT NULL "
        "GROUP BY v_person_key HAVING count(*) > 1"
    )
    con.execute(
        "CREATE TEMP TABLE households AS SELECT t_household_id AS household, "
        "count(DISTINCT t_village_code) AS villages, min(_row) AS first_row, count(*) AS n "
        "FROM staged GROUP BY t_household_id"
    )
    rows, households = con.execute(
        "SELECT coalesce(sum(n), 0), count(*) FROM households WHERE household IS NOT NULL"
    ).fetchone() or (0, 0)
    errors: list[imp.RowError] = []
    totals: list[imp.ErrorTotal] = []
    for table, column, code, value_sql, count_sql in (
        ("repeated_keys", "person_key", "duplicate_key", "key", "n - 1"),
        ("households", "household_id", "household_villages", "household", "1"),
    ):
        where = "" if table == "repeated_keys" else "WHERE villages > 1"
        total, first = con.execute(
            f"SELECT coalesce(sum({count_sql}), 0), min(first_row) FROM {table} {where}"
        ).fetchone() or (0, None)
        if not total:
            continue
        totals.append(imp.ErrorTotal(column, text[code], int(total), int(first)))
        row_sql = "last_row" if table == "repeated_keys" else "first_row"
        sample = con.execute(
            f"SELECT {row_sql}, {value_sql}, first_row FROM {table} {where} "
            f"ORDER BY {row_sql} LIMIT {imp.MAX_REPORTED_ERRORS}"
        ).fetchall()
        for row, value, first_row in sample:
            message = text[code]
            if code == "duplicate_key":
                message = _("%(message)s (first on row %(row)s)") % {
                    "message": message,
                    "row": first_row,
                }
            errors.append(imp.RowError(int(row), column, str(value)[:100], message))
    return (errors, totals), int(rows), int(households)


def normalised_sql(kinds: dict[str, str]) -> str:
    types = {"text": "VARCHAR", "integer": "SMALLINT", "number": "DOUBLE", "boolean": "BOOLEAN"}
    columns = [f'CAST("v_{c}" AS {types[kind]}) AS "{c}"' for c, kind in kinds.items()]
    # The run-ready columns (engine/run_ready_columns.py, read by engine/touched_people.py):
    # the household's size, and the key as a number when it is a national ID (other keys
    # carry a prefix: NULL).
    columns.append(
        f"CAST(count(*) OVER (PARTITION BY v_household_id) AS SMALLINT) AS {HOUSEHOLD_SIZE}"
    )
    columns.append(f"TRY_CAST(v_person_key AS BIGINT) AS {ID_NUMBER}")
    columns.append(village_number_sql("v_village_code"))
    answers = answer_columns((c, kind == "boolean") for c, kind in kinds.items())
    columns += packed_answers_sql([f'CAST("v_{c}" AS BOOLEAN)' for c in answers])
    return (
        f"SELECT {', '.join(columns)}, _row AS source_row FROM staged "
        "ORDER BY village_code, household_id, source_row"
    )


def messages() -> dict[str, str]:
    return {
        "required": _("a value is required"),
        "too_long": _("longer than 64 characters"),
        "village_format": _("a village code has 8 digits (sub-district code + village number)"),
        "unknown_subdistrict": _("the first 6 digits are not a known sub-district code"),
        "village_number": _("village number 00 is not a village (use 01-99)"),
        "unknown_village": _("not a village registered in this sub-district"),
        "outside_province": _("the village is outside the round's province"),
        "thai_id": _("not a valid Thai national ID (check digit or first digit)"),
        "digits_not_13": _("a national ID has 13 digits"),
        "key_format": _("a key that is not a national ID needs a prefix, e.g. survey:HH12-3"),
        "not_integer": _("not a whole number"),
        "age_range": _("age must be between 0 and %(max)s") % {"max": MAX_AGE},
        "sex": _("use male, female or unknown (or m, f, u; ชาย, หญิง)"),
        "not_boolean": _("use true/false (or 1/0, yes/no); leave empty when missing"),
        "not_number": _("not a number"),
        "negative": _("must not be negative"),
        "duplicate_key": _("the same person key appears twice"),
        "household_villages": _("the household's members are in more than one village"),
    }
