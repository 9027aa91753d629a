"""The per-village totals of an imported survey round, kept in a small file beside it.

People and households per village are facts of the round, whatever the catalogue or the
threshold of a run, so the import counts them once and every run reads ≈ 75,000 rows
instead of scanning a national round's 36.6 M (0.4–0.6 s of a national run;
docs/performance.md). They are counted by the run's own code (``touched.village_totals``)
on the written file, so a run with or without the summary gives the same numbers. A round
imported before the summary existed has none; its runs count the totals themselves.

The summary is ``<round>.villages.parquet``: ``village_code`` (text), ``all_rows`` and
``households`` (BIGINT), one row per village of the round.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from onehome.targeting.backends import connect
from onehome.targeting.round_format import write_whole
from onehome.targeting.spec import Spec
from onehome.targeting.touched import village_totals

COLUMNS = ("village_code", "all_rows", "households")


def summary_path(round_path: Path) -> Path:
    return round_path.with_name(f"{round_path.stem}.villages.parquet")


def write_summary(round_path: Path, spec: Spec) -> Path:
    """Count the round's people and households per village and write the summary beside
    it (``round_format.write_whole``: complete or not there)."""
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
