"""The engine agrees with a naive per-person computation: missing values, age ranges,
household indicators, grouping and decomposability."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onehome.targeting.engine.measures import aggregate_counts, compute_mpi, rollup_counts
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.tests.conftest import duck_table
from onehome.targeting.tests.reference import random_case, reference_measures

FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def two_indicator_spec(missing="report", **extra):
    return load_spec(
        {
            "k": "union",
            "missing": missing,
            "indicators": [
                {
                    "id": "inc",
                    "dimension": "income",
                    "column": "income",
                    "rule": "lt",
                    "cutoff": 100,
                    "weight": 0.5,
                    **extra,
                },
                {
                    "id": "sch",
                    "dimension": "education",
                    "column": "in_school",
                    "rule": "is_false",
                    "weight": 0.5,
                },
            ],
        }
    )


MISSING = pd.DataFrame(
    {
        "income": [50.0, 150.0, None, 150.0, None],
        "in_school": pd.array([True, True, False, None, True], dtype="boolean"),
    }
)


def test_missing_report_drops_units_from_n_and_says_so():
    """Rows 3, 4 and 5 have a missing value: n = 2, and the output counts them per indicator."""
    result = compute_mpi(duck_table(MISSING), two_indicator_spec("report"))
    assert (result["n"], result["q"]) == (2, 1)
    assert result["missing"]["units_with_missing"] == 3
    assert result["missing"]["by_indicator"] == {"inc": 2, "sch": 1}
    assert "left out of n (n = 2 of 5 units)" in result["missing"]["note"]


def test_missing_policies_side_by_side():
    """report/drop leave rows 3-5 (any missing) out; not_deprived keeps all five and treats
    the missing values as not deprived (row 3 is still deprived in schooling)."""
    frame = duck_table(MISSING)
    report = compute_mpi(frame, two_indicator_spec("report"))
    drop = compute_mpi(frame, two_indicator_spec("drop"))
    kept = compute_mpi(frame, two_indicator_spec("not_deprived"))
    assert (report["n"], report["q"]) == (2, 1)
    assert (drop["n"], drop["q"]) == (2, 1)
    assert "by_indicator" in report["missing"] and "by_indicator" not in drop["missing"]
    assert (kept["n"], kept["q"]) == (5, 2)
    assert kept["M0"] == pytest.approx((0.5 + 0.5) / 5)
    assert "counted as not deprived" in kept["missing"]["note"]
    for result in (report, drop, kept):
        assert result["missing"]["units_with_missing"] == 3


def test_nan_counts_as_missing_like_null():
    frame = pd.DataFrame({"income": [float("nan"), 50.0], "in_school": [True, True]})
    result = compute_mpi(duck_table(frame), two_indicator_spec())
    assert result["n"] == 1


def test_age_range_limits_who_can_be_deprived():
    """Only people aged 15–59 are judged on income; a missing income outside the range is
    not a missing value, and an unknown age is."""
    frame = pd.DataFrame(
        {
            "age": pd.array([10, 20, 70, None, 30], dtype="Int64"),
            "income": [10.0, 10.0, 10.0, 500.0, None],
            "in_school": [True] * 5,
        }
    )
    result = compute_mpi(duck_table(frame), two_indicator_spec(age_min=15, age_max=59))
    assert result["missing"]["by_indicator"]["inc"] == 2  # unknown age; 30-year-old's income
    assert (result["n"], result["q"]) == (3, 1)


def test_household_indicator_deprives_every_member():
    """unit: household — one member aged 15–59 without income deprives the household."""
    frame = pd.DataFrame(
        {
            "household_id": [1, 1, 1, 2, 2],
            "age": [8, 35, 40, 30, 31],
            "income": [0.0, 0.0, 500.0, 500.0, 500.0],
            "in_school": [True] * 5,
        }
    )
    spec = two_indicator_spec(unit="household", age_min=15, age_max=59)
    result = compute_mpi(duck_table(frame), spec)
    assert result["q"] == 3  # all of household 1, including the child
    assert result["uncensored_headcount"]["inc"] == pytest.approx(3 / 5)


@FEW
@given(seed=st.integers(0, 2**31))
def test_engine_matches_naive_computation(seed):
    frame, spec = random_case(seed)
    expected = reference_measures(frame, spec)
    result = compute_mpi(duck_table(frame), spec)
    assert (result["n"], result["q"]) == (expected["n"], expected["q"])
    assert result["missing"]["units_with_missing"] == expected["units_with_missing"]
    for key in ("H", "A", "M0"):
        assert result[key] == pytest.approx(expected[key], abs=1e-12)
    n = expected["n"]
    for j, ind in enumerate(spec.indicators):
        if n:
            assert result["censored_headcount"][ind.id] == pytest.approx(expected["cen"][j] / n)


@FEW
@given(seed=st.integers(0, 2**31))
def test_m0_is_the_population_weighted_mean_of_subgroup_m0(seed):
    """Decomposability: M0 = Σ_g (n_g / n) M0_g, and the grouped run's total equals an
    ungrouped run."""
    frame, spec = random_case(seed)
    table = duck_table(frame)
    grouped = compute_mpi(table, spec, by=["village"])
    whole = compute_mpi(table, spec)
    assert (grouped["n"], grouped["q"]) == (whole["n"], whole["q"])
    if whole["n"] == 0:
        return
    weighted = sum(g["n"] / whole["n"] * (g["M0"] or 0.0) for g in grouped["groups"])
    assert weighted == pytest.approx(whole["M0"], abs=1e-12)
    assert grouped["M0"] == pytest.approx(whole["M0"], abs=1e-12)


def test_by_groups_and_rollup():
    """--by gives one entry per group; adding village counts gives the district's."""
    frame = pd.DataFrame(
        {
            "district": ["d1", "d1", "d1", "d2"],
            "village": ["v1", "v1", "v2", "v3"],
            "income": [50.0, 150.0, 50.0, 150.0],
            "in_school": [True, False, True, True],
        }
    )
    spec = two_indicator_spec()
    table = duck_table(frame)
    result = compute_mpi(table, spec, by=["district", "village"])
    assert [g["group"] for g in result["groups"]] == [
        {"district": "d1", "village": "v1"},
        {"district": "d1", "village": "v2"},
        {"district": "d2", "village": "v3"},
    ]
    assert [g["q"] for g in result["groups"]] == [2, 1, 0]
    assert result["groups"][2]["A"] is None  # no poor: intensity undefined
    villages = aggregate_counts(table, spec, by=["district", "village"])
    districts = rollup_counts(villages, by=["district"])
    direct = aggregate_counts(table, spec, by=["district"])
    pd.testing.assert_frame_equal(districts, direct, check_dtype=False)


def test_m1_m2_only_for_cardinal_specs():
    result = compute_mpi(duck_table(MISSING), two_indicator_spec())
    assert "M1" not in result and "M2" not in result
