"""Where the engine's Ibis expressions run: DuckDB in-process by default, PySpark for scale.

Files are read by the backend itself (never through pandas), so Parquet NULLs stay NULLs
on both engines and a national file never has to fit in Python's memory.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
    # Imported here: PySpark is optional (the ``spark`` extra) and starts slowly.
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


def connect(
    engine: str = "duckdb",
    *,
    spark_master: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> Any:
    """An Ibis connection for ``engine``; ``threads`` and ``memory_limit`` (e.g. "2GB")
    bound an in-process DuckDB, which otherwise takes every core and 80 % of memory."""
    if engine == "duckdb":
        config = {"threads": threads, "memory_limit": memory_limit}
        return ibis.duckdb.connect(**{k: v for k, v in config.items() if v is not None})
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


@contextmanager
def materialized(expr: ir.Table) -> Iterator[ir.Table]:
    """``expr`` computed once and kept (a DuckDB temporary table, a cached Spark
    DataFrame) while the block runs, then dropped.

    Not ``Table.cache()`` on DuckDB: with ibis 12 and current sqlglot its release emits
    ``DROP TABLE IF EXISTS`` without the table's name, a syntax error."""
    backend = expr._find_backend(use_default=True)
    if backend.name != "duckdb":
        cached = expr.cache()
        try:
            yield cached
        finally:
            cached.release()
        return
    name = f"_onehome_{uuid.uuid4().hex}"
    table = backend.create_table(name, expr, temp=True)
    try:
        yield table
    finally:
        backend.raw_sql(f'DROP TABLE IF EXISTS "{name}"')
