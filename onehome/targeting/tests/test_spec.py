"""Specs load from YAML or dicts, and every authoring mistake is a SpecError naming the culprit."""

from __future__ import annotations

import math

import pytest

from onehome.targeting.engine.spec import SpecError, check_columns, load_spec
from onehome.targeting.tests.conftest import CATALOGUES


def spec_dict(**overrides):
    base = {
        "k": 0.5,
        "indicators": [
            {"id": "a", "dimension": "d1", "column": "x", "rule": "lt", "cutoff": 1, "weight": 0.5},
            {"id": "b", "dimension": "d2", "column": "y", "rule": "is_false", "weight": 0.5},
        ],
    }
    base.update(overrides)
    return base


def with_indicator(pos, **changes):
    raw = spec_dict()
    raw["indicators"][pos] = {**raw["indicators"][pos], **changes}
    return raw


def test_tpmap_catalogue_has_17_indicators_in_5_equally_weighted_dimensions():
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    assert len(spec.indicators) == 17
    assert spec.dimensions == ("health", "living", "education", "income", "access")
    assert math.fsum(i.weight for i in spec.indicators) == pytest.approx(1.0, abs=1e-12)
    for dim in spec.dimensions:
        members = [i.weight for i in spec.indicators if i.dimension == dim]
        assert math.fsum(members) == pytest.approx(1 / 5)
        assert len(set(members)) == 1  # equal within the dimension
    assert spec.k_rule == "union"
    assert spec.k == pytest.approx(1 / 20)  # the smallest weight: any deprivation
    income = next(i for i in spec.indicators if i.id == "bmn22")
    assert (income.rule, income.cutoff) == ("lt", 38000)


def test_tpmap_income_threshold_is_a_setting_that_can_be_overridden():
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml", income_threshold=40000)
    assert next(i for i in spec.indicators if i.id == "bmn22").cutoff == 40000


def test_global_mpi_catalogue_weights():
    spec = load_spec(CATALOGUES / "global_mpi.yaml")
    assert len(spec.indicators) == 10
    assert math.fsum(i.weight for i in spec.indicators) == pytest.approx(1.0, abs=1e-12)
    weights = sorted({round(i.weight, 12) for i in spec.indicators})
    assert weights == [round(1 / 18, 12), round(1 / 6, 12)]
    assert spec.k == pytest.approx(1 / 3)


def test_union_means_the_smallest_positive_weight():
    raw = spec_dict(k="union")
    raw["indicators"][0]["weight"] = "1/4"
    raw["indicators"][1]["weight"] = "3/4"
    assert load_spec(raw).k == 0.25


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (with_indicator(0, weight=0.6), "weights sum to 1.1"),
        (with_indicator(0, rule="below"), "indicator 'a': unknown rule 'below'"),
        (with_indicator(0, cutoff=None), "indicator 'a': rule 'lt' needs a 'cutoff'"),
        (with_indicator(0, cutoff="low"), "indicator 'a': rule 'lt' needs a numeric cutoff"),
        (with_indicator(1, cutoff=3), "indicator 'b': rule 'is_false' takes no cutoff"),
        (with_indicator(1, id="a"), "indicator 'a': duplicate id"),
        (with_indicator(1, unit="village"), "indicator 'b': unit 'village'"),
        (with_indicator(0, age_min=10, age_max=5), "indicator 'a': age_min is above age_max"),
        (with_indicator(0, colour="red"), "indicator 'a': unknown keys ['colour']"),
        (with_indicator(0, cutoff={"setting": "nope"}), "cutoff setting 'nope' is not defined"),
        (spec_dict(k=0), "k: 0 is out of range"),
        (spec_dict(k=1.5), "k: 1.5 is out of range"),
        (spec_dict(k="most"), "k: 'most' is not a number"),
        (spec_dict(missing="ignore"), "missing: 'ignore' is not one of"),
        (spec_dict(indicators=[]), "non-empty list 'indicators'"),
    ],
)
def test_spec_errors_name_the_problem(raw, message):
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_spec(raw)


def test_weights_within_tolerance_are_accepted():
    raw = spec_dict()
    raw["indicators"][0]["weight"] = 0.5 + 1e-12
    assert load_spec(raw)


def test_unknown_column_is_reported_with_the_indicator():
    spec = load_spec(spec_dict())
    with pytest.raises(SpecError, match="indicator 'b': column 'y' is not in the data"):
        check_columns(spec, ["x", "z"])


def test_age_and_household_columns_are_required_only_when_used():
    raw = with_indicator(0, age_min=15, unit="household")
    spec = load_spec(raw)
    with pytest.raises(SpecError, match="indicator 'a': has an age range but the age column"):
        check_columns(spec, ["x", "y", "household_id"])
    with pytest.raises(SpecError, match="indicator 'a': unit is household"):
        check_columns(spec, ["x", "y", "age"])
    check_columns(load_spec(spec_dict()), ["x", "y"])


def test_missing_yaml_file_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("k: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_spec(bad)


def test_cardinality_requires_every_indicator_to_be_a_numeric_comparison():
    assert not load_spec(spec_dict()).is_cardinal
    raw = with_indicator(1, rule="ge", cutoff=2)
    assert load_spec(raw).is_cardinal
