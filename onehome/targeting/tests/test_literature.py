"""The engine reproduces worked examples from the Alkire–Foster literature.

References
- [AF2011] S. Alkire & J. Foster (2011), "Counting and multidimensional poverty
  measurement", Journal of Public Economics 95(7–8): 476–487,
  doi:10.1016/j.jpubeco.2010.11.006. Running example of sections 2–3: four persons,
  four dimensions (income, years of schooling, self-reported health, malaria), achievement
  matrix y and cutoffs z = (13, 12, 3, 1) as below. (The same y and z are reused by third
  parties, e.g. the R package perlatex/easyuse's examples.)
- [AFSSRB2015] S. Alkire, J. E. Foster, S. Seth, M. E. Santos, J. M. Roche & P. Ballon
  (2015), "Multidimensional Poverty Measurement and Analysis", Oxford University Press,
  ch. 5 "The Alkire–Foster counting methodology" (OPHI Working Paper 86): M0 = Σ w_j h_j(k),
  contribution_j = w_j h_j(k) / M0, M1 = H·A·G, M2 = H·A·S with gaps (z_j − x_ij)/z_j.
- UNDP & OPHI global MPI (2018 revision): weights 1/6 (health, education indicators)
  and 1/18 (living standards), poor when deprived in at least one third.

Every expected value is worked out by hand in the test, with exact fractions.
"""

from __future__ import annotations

from fractions import Fraction as F

import pandas as pd
import pytest

from onehome.targeting.engine.measures import compute_mpi
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.tests.conftest import CATALOGUES, duck_table

AF2011_Y = pd.DataFrame(
    {
        "income": [13.1, 15.2, 12.5, 20.0],
        "schooling": [14, 7, 10, 11],
        "health": [4, 5, 1, 3],
        "malaria_free": [1, 0, 0, 1],
    }
)


def af2011_spec(k, weights=("1/4", "1/4", "1/4", "1/4")):
    columns = [("income", 13), ("schooling", 12), ("health", 3), ("malaria_free", 1)]
    return load_spec(
        {
            "k": k,
            "indicators": [
                {"id": col, "dimension": col, "column": col, "rule": "lt", "cutoff": z, "weight": w}
                for (col, z), w in zip(columns, weights, strict=True)
            ],
        }
    )


def test_af2011_dual_cutoff_k2_gives_h_a_m0():
    """[AF2011] deprivation counts c = (0, 2, 4, 1); with k = 2 of 4 (weighted 0.5)
    persons 2 and 3 are poor: H = 2/4, A = (2 + 4)/(2·4) = 3/4, M0 = 6/16 = 3/8."""
    result = compute_mpi(duck_table(AF2011_Y), af2011_spec(0.5))
    assert (result["n"], result["q"]) == (4, 2)
    assert result["H"] == pytest.approx(0.5)
    assert result["A"] == pytest.approx(0.75)
    assert result["M0"] == pytest.approx(0.375)


def test_af2011_censored_headcounts_and_contributions():
    """[AF2011] censored matrix g0(k=2) keeps rows 2 and 3: h = (1/4, 2/4, 1/4, 2/4),
    M0 = Σ w_j h_j = ¼·(¼+½+¼+½) = 3/8 [AFSSRB2015]; person 4's schooling deprivation is
    censored, so the uncensored schooling headcount is 3/4; contributions w_j h_j / M0 =
    (1/6, 1/3, 1/6, 1/3)."""
    result = compute_mpi(duck_table(AF2011_Y), af2011_spec(0.5))
    assert result["censored_headcount"] == pytest.approx(
        {"income": 0.25, "schooling": 0.5, "health": 0.25, "malaria_free": 0.5}
    )
    assert result["uncensored_headcount"]["schooling"] == pytest.approx(0.75)
    assert result["contribution"] == pytest.approx(
        {"income": 1 / 6, "schooling": 1 / 3, "health": 1 / 6, "malaria_free": 1 / 3}
    )
    assert sum(result["contribution"].values()) == pytest.approx(1.0)


def test_af2011_m1_and_m2_from_the_normalised_gaps():
    """[AF2011] censored normalised gaps g1(k): person 2 has (12−7)/12 = 5/12 and
    (1−0)/1 = 1; person 3 has (13−12.5)/13 = 1/26, (12−10)/12 = 1/6, (3−1)/3 = 2/3, 1.
    M1 = Σ g1 / (n·d) = (171/52)/16 = 171/832 ≈ 0.2055; M2 = Σ g1² / 16 ≈ 0.1655.
    (Equal weights ¼ make "mean over n·d entries" and "Σ w_j … / n" the same.)"""
    gaps = [F(5, 12), F(1), F(1, 26), F(1, 6), F(2, 3), F(1)]
    m1 = sum(gaps) / 16
    m2 = sum(g * g for g in gaps) / 16
    assert m1 == F(171, 832)
    result = compute_mpi(duck_table(AF2011_Y), af2011_spec(0.5))
    assert result["M1"] == pytest.approx(float(m1), rel=1e-12)
    assert result["M2"] == pytest.approx(float(m2), rel=1e-12)
    # M1 = H·A·G with G the average gap among the poor's deprivations [AFSSRB2015]
    assert result["M1"] == pytest.approx(result["H"] * result["A"] * float(sum(gaps) / 6))


@pytest.mark.parametrize(
    ("k", "q", "h", "a", "m0"),
    [
        ("union", 3, F(3, 4), F(7, 12), F(7, 16)),  # c ≥ 1: persons 2, 3, 4
        (0.25, 3, F(3, 4), F(7, 12), F(7, 16)),  # the same cutoff written as a number
        (0.5, 2, F(1, 2), F(3, 4), F(3, 8)),  # c ≥ 2
        (0.75, 1, F(1, 4), F(1), F(1, 4)),  # c ≥ 3: person 3 only
        (1, 1, F(1, 4), F(1), F(1, 4)),  # intersection
    ],
)
def test_af2011_k_from_union_to_intersection(k, q, h, a, m0):
    """[AF2011] identification ρ_k over k = 1..d for c = (0, 2, 4, 1): union counts
    everyone with a deprivation (H = 3/4, A = (2+4+1)/(3·4) = 7/12, M0 = 7/16)."""
    result = compute_mpi(duck_table(AF2011_Y), af2011_spec(k))
    assert result["q"] == q
    assert result["H"] == pytest.approx(float(h))
    assert result["A"] == pytest.approx(float(a))
    assert result["M0"] == pytest.approx(float(m0))
    assert result["M0"] == pytest.approx(result["H"] * result["A"])


def test_weighted_example_with_score_exactly_at_k():
    """[AFSSRB2015] ch. 5 weighted identification, on [AF2011]'s y with w = (½, ⅙, ⅙, ⅙) and
    k = ⅓. Scores: p1 0, p2 ⅙+⅙ = ⅓ (exactly k: poor), p3 1, p4 ⅙. Σ w_j C_j =
    ½·1 + ⅙·2 + ⅙·1 + ⅙·2 = 4/3, so M0 = 4/3 / 4 = ⅓, A = 4/3 / 2 = ⅔, and contributions
    (3/8, 1/4, 1/8, 1/4)."""
    spec = af2011_spec("1/3", weights=("1/2", "1/6", "1/6", "1/6"))
    result = compute_mpi(duck_table(AF2011_Y), spec)
    assert result["q"] == 2
    assert result["M0"] == pytest.approx(1 / 3)
    assert result["A"] == pytest.approx(2 / 3)
    assert result["contribution"] == pytest.approx(
        {"income": 3 / 8, "schooling": 1 / 4, "health": 1 / 8, "malaria_free": 1 / 4}
    )


def test_global_mpi_poor_at_exactly_one_third():
    """UNDP/OPHI global MPI: poor when the weighted deprivations reach ⅓. Six 1/18 living-
    standard deprivations (float sum 0.333…26 < ⅓) and nutrition + three of them (⅙ + 3/18)
    are exactly one third and poor; five living standards (5/18) or nutrition alone are not."""
    spec = load_spec(CATALOGUES / "global_mpi.yaml")
    living = [
        "solid_cooking_fuel",
        "unimproved_sanitation",
        "no_safe_water_30min",
        "no_electricity",
        "inadequate_housing",
        "lacks_assets",
    ]
    households = {
        1: {"any_undernourished": True},
        2: {"any_undernourished": True, **dict.fromkeys(living[:3], True)},
        3: dict.fromkeys(living[:5], True),
        4: dict.fromkeys(living, True),
        5: {"max_years_schooling_10plus": 5, "child_not_in_school": True},
    }
    rows = []
    for hh, deprived in households.items():
        base = {
            "household_id": hh,
            "any_undernourished": False,
            "child_died_last_5y": False,
            "max_years_schooling_10plus": 9,
            "child_not_in_school": False,
            **dict.fromkeys(living, False),
        }
        rows += [{**base, **deprived}] * 2  # two members each
    result = compute_mpi(duck_table(pd.DataFrame(rows)), spec)
    assert (result["n"], result["q"]) == (10, 6)  # households 2, 4 and 5, two people each
    # Σ_j w_j C_j = 2·(⅙ + 3/18) + 2·(6/18) + 2·(⅙ + ⅙) = 2
    assert result["M0"] == pytest.approx(2 / 10)
    assert result["A"] == pytest.approx(1 / 3)
    assert result["poor_by_dimension"] == {"health": 2, "education": 2, "living_standards": 4}
