"""A synthetic national survey round for the targeting benchmark (never committed).

    .venv/bin/python bench/targeting_data.py --people 36600000 --out var/bench/targeting

writes ``people_<N>.parquet`` (one row per person, TPMAP 2018 columns) and
``welfare_<N>.parquet`` (one column ``national_id``). Seeded and vectorised; written in
chunks of whole villages, so memory stays near one chunk and the rows of a village and of
a household are contiguous (sorted by village code, then household id). Both files carry
the run-ready columns the imports add (``_household_size``, ``_id_number``, the packed
answers ``_false_answers``/``_blank_answers``) and ``source_row``.

Shape: the real 7,436 sub-districts (geothai), about 10 villages each (~75,000), 2.84
people per household (36.6 M people in 12.9 M households). A household "hardship" draw
raises every deprivation rate of its members together, so deprivations cluster the way
they do in the จปฐ. data, and poorer households are likelier to hold welfare cards
(~30 % of people, ~11 M at national size, plus 3 % IDs of people not in the survey).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geothai
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # onehome, run as a script

PEOPLE_PER_HOUSEHOLD = 36_600_000 / 12_900_000
VILLAGES_PER_SUBDISTRICT = 75_000 / 7_436
HOUSEHOLD_SIZES = np.arange(1, 9)
SIZE_SHARES = np.array([0.21, 0.27, 0.22, 0.15, 0.08, 0.04, 0.02, 0.01])
INCOME_THRESHOLD = 38_000
# Base failure rate of each boolean indicator among the people (or households) it applies
# to; a household's hardship multiplies it (mean multiplier 1).
BASE_RATES = {
    "bmn01_newborn_weight_ok": 0.021,
    "bmn04_safe_food": 0.0021,
    "bmn05_medicine_use_ok": 0.00175,
    "bmn07_exercises": 0.014,
    "bmn08_secure_housing": 0.0042,
    "bmn09_drinking_water_ok": 0.0021,
    "bmn10_water_use_ok": 0.0028,
    "bmn11_home_hygienic": 0.00525,
    "bmn15_preschool_care": 0.007,
    "bmn16_compulsory_schooling": 0.00175,
    "bmn17_continues_upper_secondary": 0.0105,
    "bmn19_literate_numerate": 0.0035,
    "bmn20_has_occupation": 0.00875,
    "bmn21_has_occupation": 0.028,
    "bmn27_elderly_cared_for": 0.0021,
    "bmn28_disabled_cared_for": 0.00105,
}
HOUSEHOLD_COLUMNS = {
    "bmn04_safe_food",
    "bmn05_medicine_use_ok",
    "bmn08_secure_housing",
    "bmn09_drinking_water_ok",
    "bmn10_water_use_ok",
    "bmn11_home_hygienic",
}
AGE_RANGES = {  # outside the range the indicator does not apply: coded as met (catalogue)
    "bmn01_newborn_weight_ok": (0, 0),
    "bmn07_exercises": (6, 200),
    "bmn15_preschool_care": (3, 5),
    "bmn16_compulsory_schooling": (6, 14),
    "bmn17_continues_upper_secondary": (15, 17),
    "bmn19_literate_numerate": (15, 59),
    "bmn20_has_occupation": (15, 59),
    "bmn21_has_occupation": (60, 200),
    "bmn27_elderly_cared_for": (60, 200),
}
MISSING_RATE = 0.0005  # a few unanswered questions, reported by the engine


def village_codes(rng: np.random.Generator) -> np.ndarray:
    subs = sorted(
        s.code
        for p in geothai.provinces()
        for d in geothai.districts(p.code)
        for s in geothai.subdistricts(d.code)
    )
    per_sub = np.clip(rng.poisson(VILLAGES_PER_SUBDISTRICT - 1, len(subs)) + 1, 1, 99)
    return np.array(
        [f"{sub}{v:02d}" for sub, n in zip(subs, per_sub, strict=True) for v in range(1, n + 1)]
    )


def household_layout(rng: np.random.Generator, people: int, villages: int):
    """(households per village, people per household) summing exactly to ``people``."""
    households = max(1, round(people / PEOPLE_PER_HOUSEHOLD))
    shares = SIZE_SHARES / SIZE_SHARES.sum()
    sizes = rng.choice(HOUSEHOLD_SIZES, households, p=shares).astype(np.int64)
    # Scale the size distribution's mean to the national ratio, then fix the exact total.
    diff = people - int(sizes.sum())
    while diff:
        pick = rng.integers(0, households, min(abs(diff), households))
        step = 1 if diff > 0 else -1
        ok = (sizes[pick] + step >= 1) & (sizes[pick] + step <= 12)
        pick = np.unique(pick[ok])[: abs(diff)]
        sizes[pick] += step
        diff -= step * len(pick)
    weights = rng.lognormal(0.0, 0.5, villages)
    per_village = rng.multinomial(households, weights / weights.sum())
    return per_village, sizes


def thai_ids(index: np.ndarray) -> np.ndarray:
    """Distinct valid 13-digit national IDs (int64) for distinct non-negative ``index``:
    an affine bijection modulo 8·10¹¹ spreads them, the 13th digit is the checksum."""
    body = 100_000_000_000 + (index * 7_919_000_003 + 12_345_678_901) % 800_000_000_000
    total = np.zeros_like(body)
    rest = body.copy()
    for weight in range(2, 14):  # digits from the right: weights 2..13
        total += (rest % 10) * weight
        rest //= 10
    check = (11 - total % 11) % 10
    return body * 10 + check


def chunk_table(rng, codes, per_village, sizes, first_hh, first_person):
    households = int(per_village.sum())
    hh_sizes = sizes[first_hh : first_hh + households]
    n = int(hh_sizes.sum())
    hh_local = np.repeat(np.arange(households), hh_sizes)
    hh_village = np.repeat(np.arange(len(codes)), per_village)
    hardship = rng.gamma(0.5, 2.0, households)  # mean 1, long tail of hard-up households
    person_hardship = hardship[hh_local]
    age = np.minimum(rng.exponential(36.0, n), 100).astype(np.int8)
    columns: dict[str, pa.Array] = {
        "household_id": pa.array(first_hh + hh_local, pa.int64()),
        "village_code": pa.DictionaryArray.from_arrays(
            pa.array(hh_village[hh_local], pa.int32()), pa.array(codes)
        ),
        "age": pa.array(age, pa.int8()),
        "sex": pa.DictionaryArray.from_arrays(
            pa.array(rng.integers(0, 2, n, dtype=np.int8)), pa.array(["F", "M"])
        ),
    }
    ids = thai_ids(first_person + np.arange(n, dtype=np.int64))
    unknown = rng.random(n) < 0.03  # no national ID recorded
    columns["person_key"] = pc.if_else(pa.array(unknown), None, pa.array(ids).cast(pa.string()))
    # The two run-ready columns the survey import adds (targeting/engine/run_ready_columns.py).
    columns["_household_size"] = pa.array(hh_sizes[hh_local], pa.int16())
    columns["_id_number"] = pa.array(ids, pa.int64(), mask=unknown)
    columns["source_row"] = pa.array(first_person + np.arange(n, dtype=np.int64))
    for column, base in BASE_RATES.items():
        if column in HOUSEHOLD_COLUMNS:
            fails = (rng.random(households) < np.minimum(base * hardship, 0.9))[hh_local]
        else:
            fails = rng.random(n) < np.minimum(base * person_hardship, 0.9)
        if column in AGE_RANGES:
            lo, hi = AGE_RANGES[column]
            fails &= (age >= lo) & (age <= hi)
        missing = rng.random(n) < MISSING_RATE
        columns[column] = pa.array(~fails, pa.bool_(), mask=missing)
    income = rng.lognormal(np.log(155_000) - 0.55 * np.log1p(hardship), 0.55, households)
    columns["bmn22_income_per_person"] = pa.array(income.astype(np.int32)[hh_local])
    # Welfare cards: adults, likelier in hard-up and low-income households.
    card_p = np.clip(0.29 + 0.25 * np.log1p(hardship) + 0.3 * (income < 60_000), 0, 0.95)
    on_list = (rng.random(n) < card_p[hh_local]) & (age >= 18) & ~unknown
    return pa.table(columns), ids[on_list], n


def generate(out_dir: str | Path, people: int, seed: int = 2018) -> tuple[Path, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    people_path, welfare_path = out / f"people_{people}.parquet", out / f"welfare_{people}.parquet"
    rng = np.random.default_rng(seed)
    codes = village_codes(rng)
    per_village, sizes = household_layout(rng, people, len(codes))
    chunk = max(1, len(codes) // max(1, people // 1_000_000))  # ~1 M people a row group
    first_hh = first_person = 0
    writer, cards = None, []
    for start in range(0, len(codes), chunk):
        sub_rng = np.random.default_rng([seed, start])
        table, ids, n = chunk_table(
            sub_rng,
            codes[start : start + chunk],
            per_village[start : start + chunk],
            sizes,
            first_hh,
            first_person,
        )
        if writer is None:
            writer = pq.ParquetWriter(people_path, table.schema, compression="snappy")
        writer.write_table(table, row_group_size=len(table))
        cards.append(ids)
        first_hh += int(per_village[start : start + chunk].sum())
        first_person += n
    writer.close()
    _as_imported(people_path)
    _with_summary(people_path)
    cards_all = np.concatenate(cards)
    outsiders = thai_ids(people + np.arange(int(len(cards_all) * 0.03), dtype=np.int64))
    listed = np.concatenate([cards_all, outsiders])
    rng.shuffle(listed)
    pq.write_table(
        pa.table(
            {"national_id": pa.array(listed).cast(pa.string()), "_id_number": pa.array(listed)}
        ),
        welfare_path,
        row_group_size=1_000_000,
    )
    _as_imported(welfare_path)
    return people_path, welfare_path


def _as_imported(path: Path) -> None:
    """Rewrite ``path`` as the imports write their files (DuckDB, same COPY options), so
    the benchmark reads what a run reads in production."""
    import duckdb

    from onehome.targeting.engine.parquet_files import PARQUET_COPY_OPTIONS
    from onehome.targeting.engine.run_ready_columns import (
        answer_columns,
        packed_answers_sql,
        village_number_sql,
    )

    staged = path.with_name(f".{path.name}.arrow.parquet")
    path.replace(staged)
    try:
        con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
        source = f"read_parquet('{staged}')"
        schema = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        answers = answer_columns((name, kind == "BOOLEAN") for name, kind, *_ in schema)
        items = ["*", *packed_answers_sql([f'"{a}"' for a in answers])]
        if any(name == "village_code" for name, *_ in schema):  # the round, not the list
            items.append(village_number_sql("village_code"))
        items = ", ".join(items)
        con.execute(f"COPY (SELECT {items} FROM {source}) TO '{path}' ({PARQUET_COPY_OPTIONS})")
    finally:
        staged.unlink(missing_ok=True)


def _with_summary(path: Path) -> None:
    """The per-village totals the survey import writes beside a round (engine/village_totals.py)."""
    from onehome.targeting.engine.spec import load_spec
    from onehome.targeting.engine.village_totals import write_summary

    catalogue = Path(__file__).resolve().parents[1] / "onehome/targeting/catalogues/tpmap_2018.yaml"
    started = time.perf_counter()
    write_summary(path, load_spec(catalogue))
    print(f"{path.name}: per-village summary written in {time.perf_counter() - started:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=36_600_000)
    parser.add_argument("--out", default="var/bench/targeting")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    start = time.perf_counter()
    people_path, welfare_path = generate(args.out, args.people, args.seed)
    meta = pq.ParquetFile(people_path).metadata
    print(
        f"{people_path}: {meta.num_rows:,} people, {meta.num_row_groups} row groups, "
        f"{people_path.stat().st_size / 2**20:.0f} MiB; {welfare_path}: "
        f"{pq.ParquetFile(welfare_path).metadata.num_rows:,} IDs; "
        f"{time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
