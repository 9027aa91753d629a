"""The full run's first filter (``deprivation.touched``) keeps every row that ``annotate``
finds deprived or missing in some indicator, for every rule and column type, with NULLs
(and NaN in a float column). Without age ranges it keeps exactly those rows."""

from __future__ import annotations

import math

import ibis
import pandas as pd
import pytest

from onehome.targeting.engine.deprivation import (
    annotate,
    dep_col,
    miss_col,
    own_bits,
    packed_answers,
    touched,
)
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.tests.conftest import duck_table
from onehome.targeting.tests.rounds import packed_answers_of

RULES = [
    {"id": "flag_false", "column": "flag", "rule": "is_false"},
    {"id": "flag_true", "column": "other", "rule": "is_true"},
    {"id": "num_lt", "column": "num", "rule": "lt", "cutoff": 5},
    {"id": "num_ge", "column": "num2", "rule": "ge", "cutoff": 5},
    {"id": "real_le", "column": "real", "rule": "le", "cutoff": 1.5},
    {"id": "real_gt", "column": "real2", "rule": "gt", "cutoff": 1.5},
    {"id": "text_eq", "column": "text", "rule": "eq", "cutoff": "none"},
    {"id": "text_ne", "column": "text2", "rule": "ne", "cutoff": "ok"},
    {"id": "int01_false", "column": "int01", "rule": "is_false"},
]


def people() -> pd.DataFrame:
    flags = [True, False, None]
    numbers = [4, 5, 6, None]
    reals = [1.0, 1.5, 2.0, None, math.nan]
    texts = ["ok", "none", None]
    n = 60  # every value of every column, in shifted combinations
    return pd.DataFrame(
        {
            "flag": pd.array([flags[i % 3] for i in range(n)], dtype="boolean"),
            "other": pd.array([flags[(i // 3) % 3] for i in range(n)], dtype="boolean"),
            "num": pd.array([numbers[i % 4] for i in range(n)], dtype="Int64"),
            "num2": pd.array([numbers[(i // 4) % 4] for i in range(n)], dtype="Int64"),
            "real": [reals[i % 5] for i in range(n)],
            "real2": [reals[(i // 5) % 5] for i in range(n)],
            "text": [texts[i % 3] for i in range(n)],
            "text2": [texts[(i // 2) % 3] for i in range(n)],
            "int01": pd.array([[1, 0, None][(i // 7) % 3] for i in range(n)], dtype="Int64"),
            "age": pd.array([[30, None, 70][(i // 11) % 3] for i in range(n)], dtype="Int64"),
            "row": range(n),
        }
    )


def spec_with(rule: dict, *, age_range: bool):
    indicator = {"dimension": "d", "weight": 1, **rule}
    if age_range:
        indicator["age_max"] = 59
    return load_spec({"k": "union", "indicators": [indicator]})


def kept_and_flagged(table, spec) -> tuple[set[int], set[int]]:
    kept = set(table.filter(touched(table, spec)).select("row").to_pandas()["row"])
    units = annotate(table, spec).to_pandas()
    flagged = units[(units[dep_col(0)] == 1) | (units[miss_col(0)] == 1)]
    return kept, set(flagged["row"])


@pytest.mark.parametrize("packed", [False, True], ids=["columns", "packed-answers"])
@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_touched_is_exactly_deprived_or_missing(rule, packed):
    frame = people()
    if packed:  # the import's packed boolean answers stand in for the boolean columns
        frame = frame.assign(**packed_answers_of(frame))
    kept, flagged = kept_and_flagged(duck_table(frame), spec_with(rule, age_range=False))
    assert flagged, "the data must exercise the rule"
    assert kept == flagged


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_touched_keeps_every_flagged_row_with_an_age_range(rule):
    kept, flagged = kept_and_flagged(duck_table(people()), spec_with(rule, age_range=True))
    assert flagged <= kept


@pytest.mark.spark
def test_touched_is_the_same_on_spark(spark_con, tmp_path):
    people().to_parquet(tmp_path / "units.parquet", index=False)
    on_duck = ibis.duckdb.connect().read_parquet(str(tmp_path / "units.parquet"))
    on_spark = spark_con.read_parquet(str(tmp_path / "units.parquet"), table_name="tf_units")
    for rule in RULES:
        spec = spec_with(rule, age_range=True)
        kept = [
            set(t.filter(touched(t, spec)).select("row").to_pandas()["row"])
            for t in (on_duck, on_spark)
        ]
        assert kept[0] == kept[1], rule["id"]


def test_only_is_false_on_a_boolean_column_reads_the_packed_answers():
    frame = people()
    table = duck_table(frame.assign(**packed_answers_of(frame)))
    by_id = {r["id"]: spec_with(r, age_range=False).indicators for r in RULES}
    assert packed_answers(table, by_id["flag_false"]) == {"flag_false": 0}
    assert packed_answers(table, by_id["flag_true"]) == {}  # is_true reads the column
    assert packed_answers(table, by_id["int01_false"]) == {}  # not a boolean column
    assert packed_answers(duck_table(frame), by_id["flag_false"]) == {}  # no packed columns


def test_two_rules_on_one_boolean_column_read_the_packed_answers_and_the_column():
    frame = people()
    table = duck_table(frame.assign(**packed_answers_of(frame)))
    both = load_spec(
        {
            "k": 0.5,
            "indicators": [
                {"id": "met", "dimension": "a", "weight": 0.5, "column": "flag",
                 "rule": "is_false"},
                {"id": "unmet", "dimension": "b", "weight": 0.5, "column": "flag",
                 "rule": "is_true"},
            ],
        }
    )  # fmt: skip
    assert packed_answers(table, both.indicators) == {"met": 0}
    dep, miss = own_bits(table, both)
    got = table.select("flag", _dep=dep, _miss=miss).to_pandas()
    expected_dep = got["flag"].map({True: 2, False: 1}).fillna(0).astype(int)
    assert list(got["_dep"]) == list(expected_dep)
    assert list(got["_miss"]) == [3 if pd.isna(v) else 0 for v in got["flag"]]
