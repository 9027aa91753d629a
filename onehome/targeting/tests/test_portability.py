"""The same Ibis expressions give the same answers on DuckDB and on PySpark (local mode).

Both engines read the same Parquet file, the way production does. Counts, and every
measure derived from counts alone (H, A, M0, headcounts, contributions), must be equal;
M1 and M2 are float sums whose order differs between engines, so they match to 1e-12.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from onehome.targeting.engine.backends import read_table
from onehome.targeting.engine.dimension_subsets import dimension_subset_counts
from onehome.targeting.engine.measures import compute_mpi
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.tests.conftest import CATALOGUES
from onehome.targeting.tests.reference import random_case
from onehome.targeting.tests.test_literature import AF2011_Y, af2011_spec

pytestmark = pytest.mark.spark


def both(spark_con, frame, tmp_path, name):
    path = tmp_path / f"{name}.parquet"
    frame.to_parquet(path, index=False)
    return read_table(ibis.duckdb.connect(), path), read_table(spark_con, path, name=name)


def test_af2011_example_is_identical_on_both_engines(spark_con, tmp_path):
    duck, spark = both(spark_con, AF2011_Y, tmp_path, "af2011")
    spec = af2011_spec(0.5)
    on_duck, on_spark = compute_mpi(duck, spec), compute_mpi(spark, spec)
    for key in ("M1", "M2"):
        assert on_spark.pop(key) == pytest.approx(on_duck.pop(key), rel=1e-12)
    assert on_spark == on_duck
    assert (on_duck["n"], on_duck["q"], on_duck["M0"]) == (4, 2, 0.375)


@pytest.mark.parametrize("seed", [3, 2024])
def test_random_data_grouped_counts_and_subsets_are_identical(spark_con, tmp_path, seed):
    """Households, ages, NULLs and every missing-value policy, grouped by village."""
    frame, spec = random_case(seed, people=200)
    duck, spark = both(spark_con, frame, tmp_path, f"random_{seed}")
    on_duck = compute_mpi(duck, spec, by=["village"])
    on_spark = compute_mpi(spark, spec, by=["village"])
    assert on_duck == on_spark  # counts only (no gaps in this spec): exactly equal
    pd.testing.assert_frame_equal(
        dimension_subset_counts(duck, spec, by=["village"]),
        dimension_subset_counts(spark, spec, by=["village"]),
        check_dtype=False,
    )


def test_tpmap_catalogue_runs_on_spark(spark_con, tmp_path):
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame = pd.DataFrame(
        {
            "household_id": [1, 1, 2],
            "age": [40, 10, 70],
            **{ind.column: [True, True, True] for ind in spec.indicators},
        }
    )
    frame["bmn22_income_per_person"] = [20000, 20000, 50000]
    frame["bmn16_compulsory_schooling"] = [None, False, None]
    frame["bmn16_compulsory_schooling"] = frame["bmn16_compulsory_schooling"].astype("boolean")
    duck, spark = both(spark_con, frame, tmp_path, "tpmap")
    on_duck, on_spark = compute_mpi(duck, spec), compute_mpi(spark, spec)
    assert on_duck == on_spark
    assert on_spark["q"] == 2  # household 1: income (household) and the child's schooling
