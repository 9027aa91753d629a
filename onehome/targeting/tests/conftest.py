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


@pytest.fixture(scope="module")
def _runs_of_the_module(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[list[int], Path]]:
    """The finished runs of a module's tests, built once and rolled back after the last of
    them; each test runs in a savepoint within it. One run like ``run``, or those that the
    module's ``build_module_runs(folder)`` returns. Only for a module whose every database
    test may see them (see ``module_runs``)."""
    from django.db import transaction
    from django.test.utils import override_settings

    from onehome.targeting.tests import finished

    build = getattr(
        request.module, "build_module_runs", lambda folder: [finished.finished_run(folder)]
    )
    folder = tmp_path_factory.mktemp("module-runs")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(ONEHOME_DATA_DIR=folder / "data"):
            built = build(folder)
        yield [each.pk for each in built], folder / "data"
        transaction.set_rollback(True)


@pytest.fixture
def module_runs(_runs_of_the_module: tuple[list[int], Path], db: None, data_dir: Path) -> list:
    """Finished runs built once per module, not once per test: building one (imports and
    the engine) cost one to three seconds. The test gets its own copy of the runs' files in
    its own data directory and fresh ``Run`` row objects, and whatever it writes is rolled
    back, so the tests stay apart. A module opts in with a ``run`` (or ``runs``) fixture
    that returns ``module_run`` (``module_runs``); it must hold no database test that
    counts on there being no run or survey round (those live in a module of their own:
    ``test_import_page.py``, ``test_compare_defaults.py``)."""
    from onehome.targeting.models import Run

    pks, files = _runs_of_the_module
    shutil.copytree(files, data_dir / "data", dirs_exist_ok=True)
    return [Run.objects.get(pk=pk) for pk in pks]


@pytest.fixture
def module_run(module_runs: list) -> Any:
    """The one finished run of ``module_runs`` (the same run as ``run``)."""
    [only] = module_runs
    return only


def pytest_configure(config: pytest.Config) -> None:
    # ibis 12 reads a pandas option that pandas 3 deprecates; noise, not a defect of ours.
    config.addinivalue_line(
        "filterwarnings", "ignore:The 'future.infer_string' option is deprecated"
    )
    config.addinivalue_line("filterwarnings", "ignore:The copy keyword is deprecated")
    config.addinivalue_line("filterwarnings", "ignore:fetch_arrow_table\\(\\) is deprecated")
