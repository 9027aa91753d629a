"""The full run (every level, exact dimension sets, target poor, household list) against a
loop-per-person reference, on random specs and on the TPMAP catalogue."""

from __future__ import annotations

import random
from collections import defaultdict

import ibis
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onehome.targeting.engine.full_run import LEVELS, full_run
from onehome.targeting.engine.measures import measures_frame
from onehome.targeting.engine.run_ready_columns import HOUSEHOLD_SIZE, ID_NUMBER, VILLAGE_NUMBER
from onehome.targeting.engine.spec import load_spec
from onehome.targeting.engine.village_totals import village_totals
from onehome.targeting.tests.conftest import CATALOGUES
from onehome.targeting.tests.reference import per_unit, random_case
from onehome.targeting.tests.rounds import packed_answers_of

VILLAGES = ["57010101", "57010102", "57010201", "57020101", "10010101"]


def with_places(frame: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, list[str]]:
    """Each household in one village; most people have a key, some are on the list."""
    rng = random.Random(seed)
    village_of = {hh: rng.choice(VILLAGES) for hh in frame["household_id"].unique()}
    frame = frame.assign(
        village_code=frame["household_id"].map(village_of),
        person_key=[None if rng.random() < 0.1 else f"{i:013d}" for i in range(len(frame))],
    )
    keys = [k for k in frame["person_key"] if k is not None]
    welfare = rng.sample(keys, len(keys) // 2) + ["9999999999999"]
    return frame, welfare


def expected_run(frame: pd.DataFrame, spec, welfare: list[str]):
    """Areas, exact-set subsets and poor households, one person at a time."""
    units = per_unit(frame, spec)
    on_list = set(welfare)
    dims = spec.dimensions
    areas: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    subsets: dict[tuple[str, str, int], int] = defaultdict(int)
    households: dict = {}
    hh_col = spec.household_column
    for u in units:
        row = u["row"]
        poor, valid = u["poor"], u["valid"]
        target = poor and row["person_key"] in on_list
        mask = 0
        for d, dim in enumerate(dims):
            if poor and any(
                u["dep"][j] for j, ind in enumerate(spec.indicators) if ind.dimension == dim
            ):
                mask |= 1 << d
        counts = {
            "rows": 1,
            "n": int(valid),
            "q": int(poor),
            "units_with_missing": int(any(u["miss"])),
            "target_poor": int(target),
        }
        for j in range(len(spec.indicators)):
            counts[f"cen_{j}"] = int(poor and u["dep"][j])
            counts[f"unc_{j}"] = int(valid and u["dep"][j])
            counts[f"miss_{j}"] = int(u["miss"][j])
        for d in range(len(dims)):
            counts[f"dim_{d}"] = mask >> d & 1
        hh = households.setdefault(
            row[hh_col],
            {
                "village_code": row["village_code"],
                "members": 0,
                "poor_members": 0,
                "target_members": 0,
                "deprived": 0,
                "score": 0.0,
            },
        )
        hh["members"] += 1
        hh["poor_members"] += int(poor)
        hh["target_members"] += int(target)
        hh["deprived"] |= sum(1 << j for j, dep in enumerate(u["dep"]) if dep)
        score = sum(ind.weight for ind, dep in zip(spec.indicators, u["dep"], strict=True) if dep)
        hh["score"] = max(hh["score"], score)
        for level, width in LEVELS:
            code = row["village_code"][:width]
            for key, value in counts.items():
                areas[level, code][key] += value
            if poor:
                subsets[level, code, mask] += 1
    for hh in households.values():
        for level, width in LEVELS:
            area = areas[level, hh["village_code"][:width]]
            area["households"] += 1
            area["poor_households"] += int(hh["poor_members"] > 0)
            area["target_households"] += int(hh["target_members"] > 0)
    poor_households = {k: v for k, v in households.items() if v["poor_members"]}
    return areas, dict(subsets), poor_households


def run_ready(frame: pd.DataFrame, welfare: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The columns the survey and welfare imports add (``touched.py``)."""
    sizes = frame.groupby("household_id")["household_id"].transform("size").astype("int16")
    ids = pd.to_numeric(frame["person_key"], errors="coerce").astype("Int64")
    welfare_ids = pd.to_numeric(welfare["national_id"], errors="coerce").astype("Int64")
    villages = frame["village_code"].astype("int32")
    ready = {HOUSEHOLD_SIZE: sizes, ID_NUMBER: ids, VILLAGE_NUMBER: villages}
    return (
        frame.assign(**ready, **packed_answers_of(frame)),
        welfare.assign(**{ID_NUMBER: welfare_ids}),
    )


def check_against_reference(frame: pd.DataFrame, spec, welfare: list[str]) -> None:
    listed = pd.DataFrame({"national_id": welfare})
    ready_people, ready_list = run_ready(frame, listed)
    # any file; a run-ready round and list; a run-ready round with an older list
    for data, ids in ((frame, listed), (ready_people, ready_list), (ready_people, listed)):
        con = ibis.duckdb.connect()
        out = full_run(
            con.create_table("people", ibis.memtable(data)),
            spec,
            welfare_ids=con.create_table("welfare", ibis.memtable(ids)),
        )
        compare(out, frame, spec, welfare)


def compare(out, frame: pd.DataFrame, spec, welfare: list[str]) -> None:
    areas, subsets, households = expected_run(frame, spec, welfare)

    got = out.areas.set_index(["level", "code"])
    assert set(got.index) == set(areas)
    for key, counts in areas.items():
        for column, value in counts.items():
            assert got.loc[key, column] == value, (key, column)
    assert {(r.level, r.code, r.subset): r.poor for r in out.subsets.itertuples()} == subsets

    listed = out.households.set_index("household_id")
    assert set(listed.index) == set(households)
    for hh, values in households.items():
        for column, value in values.items():
            if column == "score":
                assert listed.loc[hh, column] == pytest.approx(value)
            else:
                assert listed.loc[hh, column] == value, (hh, column)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_full_run_matches_brute_force_on_random_specs(seed):
    frame, spec = random_case(seed, people=80)
    frame, welfare = with_places(frame, seed)
    check_against_reference(frame, spec, welfare)


def tpmap_people(
    seed: int, households: int = 40, *, once: bool = False, blanks: bool = False
) -> pd.DataFrame:
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    rng = random.Random(seed)
    rows = []
    for hh in range(households):
        income = rng.choice([12000, 30000, 45000, 90000, None])
        shared = {
            ind.column: rng.random() > 0.1
            for ind in spec.indicators
            if ind.unit == "household" and ind.rule == "is_false"
        }
        for member in range(rng.randint(1, 5)):
            row = {ind.column: rng.random() > 0.1 for ind in spec.indicators}
            # Some surveys record household answers on the head's row only; the others
            # say "met", and the head's answer must still reach every member.
            head_only = once and member > 0
            row.update(
                {column: True for column in shared} if head_only else shared,
                household_id=hh,
                age=rng.randrange(0, 90),
                sex=rng.choice("MF"),
                bmn22_income_per_person=income,
            )
            if blanks and member > 0 and rng.random() < 0.3:
                # One member's row leaves a household answer blank: the household's answer
                # is missing for every member, who are counted without being read.
                row[rng.choice(sorted(shared))] = None
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["bmn22_income_per_person"] = frame["bmn22_income_per_person"].astype("Int64")
    return frame


@pytest.mark.parametrize(
    ("seed", "once", "blanks"),
    [(1, False, False), (7, False, False), (2, True, False), (3, False, True)],
)
def test_tpmap_full_run_matches_brute_force(seed, once, blanks):
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, welfare = with_places(tpmap_people(seed, once=once, blanks=blanks), seed)
    check_against_reference(frame, spec, welfare)


def test_levels_roll_up_and_subsets_sum_to_q():
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, welfare = with_places(tpmap_people(3, households=60), 3)
    con = ibis.duckdb.connect()
    out = full_run(
        con.create_table("people", ibis.memtable(frame)),
        spec,
        welfare_ids=con.create_table("w", ibis.memtable(pd.DataFrame({"national_id": welfare}))),
    )
    areas = out.areas
    value_columns = [c for c in areas.columns if c not in ("level", "code")]
    nation = areas[areas.level == "nation"][value_columns].iloc[0]
    for level, _ in LEVELS:
        assert (areas[areas.level == level][value_columns].sum() == nation).all(), level
    assert nation["rows"] == len(frame)
    assert 0 < nation["target_poor"] < nation["q"]
    q = areas.set_index(["level", "code"])["q"]
    per_area = out.subsets.groupby(["level", "code"])["poor"].sum()
    assert (per_area.reindex(q.index, fill_value=0) == q).all()
    assert out.subsets["subset"].between(1, 31).all()
    measures = measures_frame(areas, spec, by=["level", "code"])
    assert measures.loc[measures.level == "nation", "H"].iloc[0] == pytest.approx(
        nation["q"] / nation["n"]
    )


def test_without_welfare_list_and_progress_is_reported():
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, _ = with_places(tpmap_people(5, households=10), 5)
    stages = []
    out = full_run(
        ibis.duckdb.connect().create_table("people", ibis.memtable(frame)),
        spec,
        progress=lambda stage, fraction: stages.append(fraction),
    )
    assert out.areas["target_poor"].sum() == 0
    assert out.households["target_members"].sum() == 0
    assert stages == sorted(stages) and stages[-1] == 1.0


@pytest.mark.spark
@pytest.mark.parametrize("ready", [False, True], ids=["any-file", "run-ready"])
def test_full_run_is_identical_on_spark(spark_con, tmp_path, ready):
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, welfare = with_places(tpmap_people(11, households=30, blanks=True), 11)
    listed = pd.DataFrame({"national_id": welfare})
    if ready:  # the packed answers, sizes and numeric ids, read with bit operations
        frame, listed = run_ready(frame, listed)
    frame.to_parquet(tmp_path / "people.parquet", index=False)
    listed.to_parquet(tmp_path / "welfare.parquet", index=False)
    runs = []
    for con in (ibis.duckdb.connect(), spark_con):
        people = con.read_parquet(str(tmp_path / "people.parquet"), table_name="fr_people")
        ids = con.read_parquet(str(tmp_path / "welfare.parquet"), table_name="fr_welfare")
        runs.append(full_run(people, spec, welfare_ids=ids))
    on_duck, on_spark = runs
    for name in ("areas", "subsets", "households"):
        left = getattr(on_duck, name).reset_index(drop=True)
        right = getattr(on_spark, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_a_round_summary_gives_each_village_its_people_and_households():
    """A run of an imported round takes people and households per village from the round's
    summary (``round_summary``) instead of counting them: the same numbers, and the
    summary's numbers are the ones used."""
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, welfare = with_places(tpmap_people(5), 5)
    ready, _ = run_ready(frame, pd.DataFrame({"national_id": welfare}))
    people = ibis.duckdb.connect().create_table("people", ibis.memtable(ready))
    counted = full_run(people, spec).areas
    summary = village_totals(people, spec)
    pd.testing.assert_frame_equal(full_run(people, spec, per_village=summary).areas, counted)

    village = summary.loc[0, "village_code"]
    summary.loc[0, ["all_rows", "households"]] += 1  # one more person, alone, untouched
    changed = full_run(people, spec, per_village=summary).areas.set_index(["level", "code"])
    before = counted.set_index(["level", "code"])
    for level, width in LEVELS:
        key = (level, village[:width])
        for column in ("rows", "n", "households"):
            assert changed.loc[key, column] == before.loc[key, column] + 1, (key, column)
        assert changed.loc[key, "q"] == before.loc[key, "q"]


def test_a_round_without_poor_people_has_no_subsets_and_no_households():
    spec = load_spec(CATALOGUES / "tpmap_2018.yaml")
    frame, welfare = with_places(tpmap_people(3), 3)
    for ind in spec.indicators:  # every answer met, every income above the threshold
        frame[ind.column] = 90000 if ind.rule == "lt" else True
    frame["bmn22_income_per_person"] = frame["bmn22_income_per_person"].astype("Int64")
    check_against_reference(frame, spec, welfare)
    out = full_run(ibis.duckdb.connect().create_table("p", ibis.memtable(frame)), spec)
    assert out.subsets.empty and out.households.empty
    assert (out.areas["q"] == 0).all() and out.areas["rows"].iloc[0] == len(frame)
