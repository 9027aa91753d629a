"""Where the engine's Ibis expressions run: DuckDB in-process by default, PySpark for scale.

Files are read by the backend itself (never through pandas), so Parquet NULLs stay NULLs
on both engines and a national file never has to fit in Python's memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

ENGINES = ("duckdb", "spark")
DATA_SUFFIXES = (".csv", ".parquet")


class DataFileError(ValueError):
    """The data file cannot be read (missing, or not CSV/Parquet)."""


def spark_session(master: str | None = None, *, app_name: str = "onehome-targeting") -> Any:
    """A SparkSession (created once per process); local mode unless a master URL is given."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master or "local[*]")
        .appName(app_name)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="onehome-spark-"))
        .getOrCreate()
    )


def connect(engine: str = "duckdb", *, spark_master: str | None = None) -> Any:
    """An Ibis connection for ``engine``."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(spark_master))
    raise DataFileError(f"unknown engine {engine!r} (use one of {', '.join(ENGINES)})")


def read_table(con: Any, path: str | Path, *, name: str | None = None) -> ir.Table:
    """The CSV or Parquet file at ``path`` as an Ibis table on connection ``con``."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"data file not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise DataFileError(f"data file must be .csv or .parquet, not {path.name}")
    if suffix == ".parquet":
        return con.read_parquet(path, table_name=name)
    return con.read_csv(path, table_name=name)
