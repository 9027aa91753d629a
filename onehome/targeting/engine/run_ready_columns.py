"""The run-ready columns of an imported survey round (and welfare-card list): the names a
run reads, and the DuckDB SQL that writes the computed ones.

The imports write them (``imports.survey_round_checks.normalised_sql``,
``imports.welfare_lists``); ``touched_people`` and ``deprivation`` read them. The format is
in docs/targeting.md.
"""

from __future__ import annotations

from collections.abc import Iterable

VILLAGE = "village_code"
PERSON_KEY = "person_key"
HOUSEHOLD_SIZE = "_household_size"  # members of the person's household
ID_NUMBER = "_id_number"  # the person key as a BIGINT when it is a national ID, else NULL
# The village code as a number: a run groups, joins and sorts it instead of the text
# (8-digit codes, checked at import; the text column stays for everything else).
VILLAGE_NUMBER = "_village_number"
# The boolean answers of a row, packed: bit i is set when the i-th answer column (in the
# file's column order, ``answer_columns``) is FALSE, or NULL. A national run tests these
# two integers instead of decoding every boolean column of 36.6 M rows.
FALSE_ANSWERS = "_false_answers"
BLANK_ANSWERS = "_blank_answers"
MAX_PACKED_ANSWERS = 62


def answer_columns(columns: Iterable[tuple[str, bool]]) -> list[str]:
    """The packed answer columns, bit 0 first: the boolean columns (``(name, is_boolean)``
    in the file's order) that are not run-ready columns; none when there are more than a
    BIGINT holds (the import then writes no packed columns)."""
    names = [name for name, boolean in columns if boolean and not name.startswith("_")]
    return names if len(names) <= MAX_PACKED_ANSWERS else []


def village_number_sql(village: str) -> str:
    """The run-ready village number as a DuckDB select item, from the SQL of the code."""
    return f"CAST({village} AS INTEGER) AS {VILLAGE_NUMBER}"


def packed_answers_sql(values: list[str]) -> list[str]:
    """The two packed columns as DuckDB select items, from the SQL of each answer value
    (``answer_columns`` order)."""
    if not values:
        return []
    false = " + ".join(
        f"CASE WHEN NOT ({v}) THEN {1 << i} ELSE 0 END" for i, v in enumerate(values)
    )
    blank = " + ".join(
        f"CASE WHEN ({v}) IS NULL THEN {1 << i} ELSE 0 END" for i, v in enumerate(values)
    )
    return [
        f"CAST({false} AS BIGINT) AS {FALSE_ANSWERS}",
        f"CAST({blank} AS BIGINT) AS {BLANK_ANSWERS}",
    ]
