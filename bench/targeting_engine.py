"""Benchmark: the Alkire–Foster engine on DuckDB against a straightforward pandas version.

    .venv/bin/python bench/targeting_engine.py --people 1000000

Generates a synthetic person-level Parquet file with the TPMAP 2018 columns, a household
id and an 8-digit village code, then computes — for the nation, every province (2-digit
prefix), district (4), sub-district (6) and village (8) — n, q, H, A, M0, censored
headcounts and the 31 dimension-subset counts, twice: with the engine on DuckDB and with
plain pandas. Each phase runs in its own process so its peak RSS is its own. The two
results are compared before the times are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onehome.targeting.engine.spec import SCORE_TOLERANCE, Spec, load_spec  # noqa: E402

CATALOGUE = ROOT / "onehome" / "targeting" / "catalogues" / "tpmap_2018.yaml"
LEVELS = {"province": 2, "district": 4, "subdistrict": 6, "village": 8}


def generate(path: str, people: int, seed: int = 7) -> None:
    """Synthetic survey: ~3.2 people per household, ~150 households per village."""
    rng = np.random.default_rng(seed)
    spec = load_spec(CATALOGUE)
    households = max(1, int(people / 3.2))
    villages = max(1, households // 150)
    codes = np.unique(
        rng.integers(10, 97, villages) * 1_000_000
        + rng.integers(1, 20, villages) * 10_000
        + rng.integers(1, 15, villages) * 100
        + rng.integers(1, 30, villages)
    )
    hh_village = rng.choice(codes, households)
    hh = np.sort(rng.integers(0, households, people))
    age = rng.integers(0, 95, people)
    data: dict[str, np.ndarray | pd.arrays.BooleanArray] = {
        "household_id": hh,
        "village_code": np.char.zfill(hh_village[hh].astype(str), 8),
        "age": age,
    }
    for ind in spec.indicators:
        if ind.rule == "lt":  # household income per person per year
            income = rng.lognormal(mean=11.0, sigma=0.7, size=households).round()
            data[ind.column] = income[hh]
            continue
        fail_rate = rng.uniform(0.01, 0.08)
        if ind.unit == "household":
            values = rng.random(households)[hh] >= fail_rate
        else:
            values = rng.random(people) >= fail_rate
        missing = rng.random(people) < 0.002
        if ind.has_age_range:  # not applicable: NULL
            lo = -1 if ind.age_min is None else ind.age_min
            hi = 999 if ind.age_max is None else ind.age_max
            missing |= (age < lo) | (age > hi)
        data[ind.column] = pd.arrays.BooleanArray(values, missing)
    pd.DataFrame(data).to_parquet(path, index=False)


def with_levels(frame: pd.DataFrame, key: str = "village_code") -> pd.DataFrame:
    for level, width in LEVELS.items():
        frame[level] = frame[key].str.slice(0, width)
    return frame


def run_engine(path: str) -> dict:
    import ibis

    from onehome.targeting.engine.dimension_subsets import subset_counts_from_counts
    from onehome.targeting.engine.measures import aggregate_counts, measures_frame, rollup_counts

    spec = load_spec(CATALOGUE)
    start = time.perf_counter()
    table = ibis.duckdb.connect().read_parquet(path)
    # One aggregation: village x dimension mask. Everything else is a roll-up of counts.
    counts = aggregate_counts(table, spec, by=["village_code"], by_mask=True)
    counts = with_levels(counts)
    results = {}
    for level in ["nation", *LEVELS]:
        by = [] if level == "nation" else [level]
        level_counts = rollup_counts(counts, by)
        measures = measures_frame(level_counts, spec, by=by)
        subsets = subset_counts_from_counts(counts, spec, by=by)
        results[level] = (measures, subsets)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rss": _peak_rss_mb(), "results": _digest(results)}


def run_pandas(path: str) -> dict:
    spec = load_spec(CATALOGUE)
    start = time.perf_counter()
    frame = pd.read_parquet(path)
    deprived, missing = _pandas_deprivations(frame, spec)
    anymiss = missing.any(axis=1)
    valid = ~anymiss if spec.missing != "not_deprived" else pd.Series(True, frame.index)
    weights = np.array([ind.weight for ind in spec.indicators])
    score = deprived.to_numpy(dtype=float) @ weights
    poor = valid & (score >= spec.k - SCORE_TOLERANCE)
    cen = deprived.mul(poor, axis=0)
    dims = spec.dimensions
    mask = np.zeros(len(frame), dtype=np.int64)
    for d, dim in enumerate(dims):
        cols = [ind.id for ind in spec.indicators if ind.dimension == dim]
        mask += (cen[cols].any(axis=1).to_numpy() << d).astype(np.int64)
    work = pd.DataFrame({"valid": valid.astype(int), "poor": poor.astype(int), "mask": mask})
    work[[f"cen_{i.id}" for i in spec.indicators]] = cen.astype(int).to_numpy()
    work = with_levels(work.assign(village_code=frame["village_code"]))
    results = {}
    for level in ["nation", *LEVELS]:
        by = [] if level == "nation" else [level]
        grouped = work.groupby(by) if by else work.groupby(lambda _: 0)
        sums = grouped[["valid", "poor", *[f"cen_{i.id}" for i in spec.indicators]]].sum()
        n, q = sums["valid"], sums["poor"]
        weighted = sum(i.weight * sums[f"cen_{i.id}"] for i in spec.indicators)
        measures = pd.DataFrame(
            {"n": n, "q": q, "H": q / n, "A": weighted / q.where(q > 0), "M0": weighted / n}
        )
        subsets = {}
        for s in range(1, 2 ** len(dims)):
            hit = (work["mask"] & s) != 0
            subsets[s] = work.loc[hit].groupby(by).size() if by else hit.sum()
        results[level] = (measures.reset_index(), subsets)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rss": _peak_rss_mb(), "results": _digest_pandas(results)}


def _pandas_deprivations(frame: pd.DataFrame, spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    deprived, missing = {}, {}
    for ind in spec.indicators:
        col = frame[ind.column]
        applies = pd.Series(True, index=frame.index)
        if ind.age_min is not None:
            applies &= frame["age"] >= ind.age_min
        if ind.age_max is not None:
            applies &= frame["age"] <= ind.age_max
        miss = applies & col.isna()
        if ind.rule == "lt":
            dep = applies & ~miss & (col < ind.cutoff).fillna(False)
        else:  # is_false
            dep = applies & ~miss & (~col.astype("boolean")).fillna(False)
        if ind.unit == "household":
            dep = dep.groupby(frame["household_id"]).transform("max")
            miss = miss.groupby(frame["household_id"]).transform("max")
        deprived[ind.id], missing[ind.id] = dep.astype(bool), miss.astype(bool)
    return pd.DataFrame(deprived), pd.DataFrame(missing)


def _digest(results: dict) -> dict:
    """Comparable summary: per level, sorted (n, q, M0) rows and per-subset unit totals."""
    out = {}
    for level, (measures, subsets) in results.items():
        rows = sorted(zip(measures["n"], measures["q"], measures["M0"].round(12), strict=True))
        totals = subsets.groupby("subset_mask")["units"].sum().to_dict()
        out[level] = (len(measures), rows[:50], sum(r[1] for r in rows), totals)
    return out


def _digest_pandas(results: dict) -> dict:
    out = {}
    for level, (measures, subsets) in results.items():
        rows = sorted(zip(measures["n"], measures["q"], measures["M0"].round(12), strict=True))
        totals = {s: int(np.sum(v)) for s, v in subsets.items()}
        out[level] = (len(measures), rows[:50], sum(r[1] for r in rows), totals)
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _in_child(func, *args):
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(func, *args).result()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--out", help="keep the generated Parquet here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.out or str(Path(tmp) / "people.parquet")
        start = time.perf_counter()
        _in_child(generate, path, args.people)
        size = Path(path).stat().st_size / 2**20
        print(
            f"generated {args.people:,} people in {time.perf_counter() - start:.1f} s "
            f"({size:.0f} MiB Parquet)"
        )
        engine = _in_child(run_engine, path)
        baseline = _in_child(run_pandas, path)
    agree = engine["results"] == baseline["results"]
    areas = {level: engine["results"][level][0] for level in engine["results"]}
    print(f"areas: {areas}")
    print(f"results agree (n, q, M0 per area; 31 subset totals per level): {agree}")
    print(f"engine (Ibis on DuckDB): {engine['seconds']:.2f} s, peak RSS {engine['rss']:.0f} MB")
    print(
        f"pandas baseline:         {baseline['seconds']:.2f} s, peak RSS {baseline['rss']:.0f} MB"
    )
    print(f"speed-up: {baseline['seconds'] / engine['seconds']:.1f}x")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
