"""The survey rows of one household in an imported round, and which person keys are on a
welfare-card list: the reads of survey files that explanations and registry links share.

Survey rows are personal data: callers check the user's scope (`selectors.household_scope`)
and audit the read.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


def household_rows(path: Path, household_id: str) -> pd.DataFrame:
    """The survey rows of one household (an imported round is sorted by village and
    household, so DuckDB skips the row groups that cannot hold it)."""
    sql = "SELECT * FROM read_parquet(?) WHERE CAST(household_id AS VARCHAR) = ?"
    with duckdb.connect() as con:
        return con.execute(sql, [str(path), str(household_id)]).df()


def welfare_members(path: Path, keys: list[str]) -> set[str]:
    """Which of ``keys`` are on the welfare-card list at ``path`` (column ``national_id``)."""
    if not keys:
        return set()
    sql = "SELECT DISTINCT national_id FROM read_parquet(?) WHERE list_contains(?, national_id)"
    with duckdb.connect() as con:
        return {str(r[0]) for r in con.execute(sql, [str(path), keys]).fetchall()}


def key_value(value: Any) -> str | None:
    """A survey cell as a person key: text, or None when empty or missing."""
    value = plain_value(value)
    return None if value in (None, "") else str(value)


def plain_value(value: Any) -> Any:
    """A cell read by pandas as a plain Python value, None for every kind of missing."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
