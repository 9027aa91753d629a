"""People and households per village of a survey round: counted (:func:`village_totals`)
and kept in a small summary file beside an imported round.

People and households per village are facts of the round, whatever the catalogue or the
threshold of a run, so the import counts them once and every run reads one row per
village instead of scanning every person (figures: docs/performance.md, "Targeting").
The summary is counted by the run's own code (:func:`village_totals`) on the written
file, so a run with or without it gives the same numbers. A round imported before the
summary existed has none; its runs count the totals themselves.

The summary is ``<round>.villages.parquet``: ``village_code`` (text), ``all_rows`` and
``households`` (BIGINT), one row per village of the round.
"""

from __future__ import annotations

from pathlib import Path

import ibis.expr.types as ir
import pandas as pd

from onehome.targeting.engine.backends import connect
from onehome.targeting.engine.parquet_files import write_whole
from onehome.targeting.engine.run_ready_columns import HOUSEHOLD_SIZE, VILLAGE
from onehome.targeting.engine.spec import Spec

COLUMNS = ("village_code", "all_rows", "households")


def village_totals(people: ir.Table, spec: Spec) -> pd.DataFrame:
    """People (``all_rows``) and households per village."""
    if HOUSEHOLD_SIZE in people.columns:
        share = 1.0 / people[HOUSEHOLD_SIZE].cast("float64")
        frame = (
            people.group_by(VILLAGE)
            .aggregate(all_rows=people.count(), households=share.sum())
            .to_pandas()
        )
        # Each household's shares sum to exactly 1; the float sum is within 1e-9 of it.
        frame["households"] = frame["households"].round().astype("int64")
        return frame
    per_household = people.group_by([VILLAGE, spec.household_column]).aggregate(
        _members=people.count()
    )
    return (
        per_household.group_by(VILLAGE)
        .aggregate(all_rows=per_household._members.sum(), households=per_household.count())
        .to_pandas()
    )


def summary_path(round_path: Path) -> Path:
    return round_path.with_name(f"{round_path.stem}.villages.parquet")


def write_summary(round_path: Path, spec: Spec) -> Path:
    """Count the round's people and households per village and write the summary beside
    it (``parquet_files.write_whole``: complete or not there)."""
    con = connect("duckdb")
    try:
        frame = village_totals(con.read_parquet(str(round_path)), spec)
    finally:
        con.disconnect()
    frame = frame[list(COLUMNS)].astype({"all_rows": "int64", "households": "int64"})
    return write_whole(summary_path(round_path), lambda to: frame.to_parquet(to, index=False))


def read_summary(round_path: Path) -> pd.DataFrame | None:
    """The round's per-village totals, or None when it has no summary."""
    path = summary_path(round_path)
    if not path.exists():
        return None
    return pd.read_parquet(path, columns=list(COLUMNS))
