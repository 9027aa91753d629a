"""How an imported survey round (and welfare-card list) is stored: the Parquet options,
and the column names the run reads by name.

The run-ready columns are written by the imports (``survey_checks.normalised_sql``,
``welfare.py``) and used by ``touched.py`` and ``deprivation.py``; the format is in
docs/targeting.md.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

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

# DuckDB COPY options of every imported file. Snappy, not zstd: the national run decodes
# every indicator column of 36.6 M rows, and snappy costs ~15 % less CPU to decode there
# (docs/performance.md), for files ~1.7× larger.
PARQUET_COPY_OPTIONS = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880"


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


def write_whole(target: Path, write: Callable[[Path], None]) -> Path:
    """Have ``write`` fill a temporary name beside ``target``, renamed into place only when
    complete, so a crash never leaves a half file where a registered one is expected."""
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
