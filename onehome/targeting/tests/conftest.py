"""Fixtures for the targeting tests: Spark starts once, if at all; only ``run`` (a
finished run, see ``finished``) touches the database."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

CATALOGUES = Path(__file__).resolve().parents[1] / "catalogues"


def duck_table(frame: pd.DataFrame) -> Any:
    """A pandas frame as a DuckDB-backed Ibis table (via memtable: ibis 12's pandas
    path in ``create_table`` emits invalid SQL with current sqlglot)."""
    return ibis.duckdb.connect().create_table("units", ibis.memtable(frame))


@pytest.fixture(scope="session")
def spark_con() -> Iterator[Any]:
    """One local SparkSession for the whole test session; skip if no JVM can start."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover
        pytest.skip("pyspark is not installed")
    warehouse = tempfile.mkdtemp(prefix="onehome-spark-test-")
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("onehome-targeting-tests")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", warehouse)
            .getOrCreate()
        )
    except Exception as exc:  # noqa: BLE001 - any JVM start failure means "cannot test here"
        pytest.skip(f"PySpark cannot start a JVM here: {exc}")
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ONEHOME_DATA_DIR = tmp_path / "data"
    return tmp_path


@pytest.fixture
def run(db: None, data_dir: Path) -> Any:
    """A finished run (``finished.finished_run``) under a temporary data directory."""
    from onehome.targeting.tests import finished

    return finished.finished_run(data_dir)


def pytest_configure(config: pytest.Config) -> None:
    # ibis 12 reads a pandas option that pandas 3 deprecates; noise, not a defect of ours.
    config.addinivalue_line(
        "filterwarnings", "ignore:The 'future.infer_string' option is deprecated"
    )
    config.addinivalue_line("filterwarnings", "ignore:The copy keyword is deprecated")
    config.addinivalue_line("filterwarnings", "ignore:fetch_arrow_table\\(\\) is deprecated")
