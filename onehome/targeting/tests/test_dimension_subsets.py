"""Counts for every non-empty subset of dimensions (TPMAP's 31 for 5 dimensions)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onehome.targeting.engine.dimension_subsets import dimension_subset_counts
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.tests.conftest import CATALOGUES, duck_table
from onehome.targeting.tests.reference import random_case, reference_subsets


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_subset_counts_match_brute_force(seed):
    frame, spec = random_case(seed)
    expected = reference_subsets(frame, spec)
    got = dimension_subset_counts(duck_table(frame), spec)
    assert len(got) == 31
    for row in got.itertuples():
        assert row.units == expected[frozenset(row.subset.split("+"))], row.subset


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_subset_counts_by_area_add_up_to_the_total(seed):
    frame, spec = random_case(seed)
    table = duck_table(frame)
    by_area = dimension_subset_counts(table, spec, by=["village"])
    total = dimension_subset_counts(table, spec)
    summed = by_area.groupby("subset", sort=False)[["units", "n"]].sum()
    for row in total.itertuples():
        assert summed.loc[row.subset, "units"] == row.units
        assert summed.loc[row.subset, "n"] == row.n


def test_tpmap_subsets_on_a_small_village():
    """Household 1 lacks safe food (health) and income; household 2's child is out of
    school. Union rule: subsets touching health or income count household 1's 2 people."""
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    people = []
    for hh, age, income, food, school in [
        (1, 40, 20000, False, None),
        (1, 12, 20000, False, True),
        (2, 35, 90000, True, None),
        (2, 9, 90000, True, False),
    ]:
        row = {ind.column: True for ind in spec.indicators}
        row.update(
            household_id=hh,
            age=age,
            bmn22_income_per_person=income,
            bmn04_safe_food=food,
            bmn16_compulsory_schooling=school,
            bmn01_newborn_weight_ok=None,
            bmn15_preschool_care=None,
        )
        for column in (
            "bmn17_continues_upper_secondary",
            "bmn21_has_occupation",
            "bmn27_elderly_cared_for",
        ):
            row[column] = None
        if age < 15:
            row["bmn19_literate_numerate"] = None
            row["bmn20_has_occupation"] = None
        people.append(row)
    frame = pd.DataFrame(people)
    for column in frame.columns:
        if column.startswith("bmn") and column != "bmn22_income_per_person":
            frame[column] = frame[column].astype("boolean")
    got = dimension_subset_counts(duck_table(frame), spec).set_index("subset")
    assert got.loc["health", "units"] == 2
    assert got.loc["income", "units"] == 2
    assert got.loc["education", "units"] == 1
    assert got.loc["health+education", "units"] == 3
    assert got.loc["living+access", "units"] == 0
    assert got.loc["health+living+education+income+access", "units"] == 3
    assert set(got["n"]) == {4}
