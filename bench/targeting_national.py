"""Benchmark: the full national TPMAP run (engine.full_run.full_run) on DuckDB, against a
straightforward pandas run of the same thing, and on Spark local mode.

    .venv/bin/python bench/targeting_national.py --people 36600000 --repeat 3
    .venv/bin/python bench/targeting_national.py --people 200000 --repeat 1   # smoke

The round (and its welfare-card list) is generated once by bench/targeting_data.py into
--data-dir and reused. Each measurement runs in a fresh process, so its peak RSS
(ru_maxrss) is its own; the time is end to end: open the files, all indicators, all five
levels, the dimension sets, target poor, the household list. The pandas baseline runs on
--pandas-people (its own generated round) and its area counts must equal the engine's on
the same file; Spark runs on --spark-people (default a tenth of --people).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from targeting_engine import _in_child, _pandas_deprivations, _peak_rss_mb  # noqa: E402

from onehome.targeting.engine.spec import SCORE_TOLERANCE, load_spec  # noqa: E402

CATALOGUE = ROOT / "onehome" / "targeting" / "catalogues" / "tpmap_2018.yaml"
LEVELS = (("nation", 0), ("province", 2), ("district", 4), ("subdistrict", 6), ("village", 8))


def files(data_dir: Path, people: int) -> tuple[Path, Path]:
    people_path = data_dir / f"people_{people}.parquet"
    welfare_path = data_dir / f"welfare_{people}.parquet"
    if not people_path.exists() or not welfare_path.exists():
        from targeting_data import generate

        _in_child(generate, data_dir, people)
    return people_path, welfare_path


def run_engine(engine: str, people_path: Path, welfare_path: Path) -> dict:
    from onehome.targeting.engine.backends import connect
    from onehome.targeting.engine.full_run import full_run
    from onehome.targeting.engine.village_totals import read_summary

    spec = load_spec(CATALOGUE)
    if engine == "duckdb":
        # Imported once per worker process, not per run (0.5 s cold): outside the timing,
        # as the pandas baseline's imports are. A run still opens its own connection.
        import ibis.backends.duckdb  # noqa: F401
    start = time.perf_counter()
    if engine == "duckdb":
        con = connect("duckdb", threads=2, memory_limit="2GB")
    else:
        con = connect("spark", spark_master="local[2]")
        con._session.sparkContext.setLogLevel("ERROR")
    people = con.read_parquet(str(people_path), table_name="people")
    welfare = con.read_parquet(str(welfare_path), table_name="welfare_ids")
    # As a run of an imported round: its per-village totals come from the round's summary.
    out = full_run(people, spec, welfare_ids=welfare, per_village=read_summary(people_path))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss": _peak_rss_mb(), "areas": out.areas, "out": _sizes(out)}


def run_pandas(people_path: Path, welfare_path: Path) -> dict:
    """What a first version would write: every person in memory, one column at a time."""
    spec = load_spec(CATALOGUE)
    start = time.perf_counter()
    frame = pd.read_parquet(people_path)
    welfare = pd.read_parquet(welfare_path)["national_id"]
    hh = frame["household_id"]
    # The same per-indicator pandas code as the engine benchmark's baseline; columns by
    # position below.
    dep_frame, miss_frame = (
        f.set_axis(range(len(spec.indicators)), axis=1) for f in _pandas_deprivations(frame, spec)
    )
    anymiss = miss_frame.any(axis=1)
    valid = ~anymiss
    weights = np.array([ind.weight for ind in spec.indicators])
    score = dep_frame.to_numpy(dtype=float) @ weights
    poor = valid & (score >= spec.k - SCORE_TOLERANCE)
    target = poor & frame["person_key"].isin(welfare)
    work = pd.DataFrame(
        {
            "village_code": frame["village_code"].astype(str),
            "household_id": hh,
            "rows": 1,
            "n": valid.astype(int),
            "q": poor.astype(int),
            "units_with_missing": anymiss.astype(int),
            "target_poor": target.astype(int),
        }
    )
    mask = np.zeros(len(frame), dtype=np.int64)
    for j in range(len(spec.indicators)):
        work[f"cen_{j}"] = (dep_frame[j] & poor).astype(int)
        work[f"unc_{j}"] = (dep_frame[j] & valid).astype(int)
        work[f"miss_{j}"] = miss_frame[j].astype(int)
    for d, dimension in enumerate(spec.dimensions):
        cols = [j for j, i in enumerate(spec.indicators) if i.dimension == dimension]
        in_dim = dep_frame[cols].any(axis=1) & poor
        work[f"dim_{d}"] = in_dim.astype(int)
        mask |= in_dim.to_numpy().astype(np.int64) << d
    work["mask"] = mask
    households = work.groupby("household_id").agg(
        village_code=("village_code", "first"),
        members=("rows", "sum"),
        poor_members=("q", "sum"),
        target_members=("target_poor", "sum"),
    )
    households["score"] = pd.Series(score, index=frame.index).groupby(hh).max()
    value_columns = [c for c in work.columns if c not in ("village_code", "household_id", "mask")]
    areas, subsets = [], []
    for level, width in LEVELS:
        key = work["village_code"].str.slice(0, width)
        summed = work[value_columns].groupby(key).sum()
        hkey = households["village_code"].str.slice(0, width)
        summed["households"] = households.groupby(hkey).size()
        summed["poor_households"] = (households["poor_members"] > 0).groupby(hkey).sum()
        summed["target_households"] = (households["target_members"] > 0).groupby(hkey).sum()
        areas.append(summed.assign(level=level).rename_axis("code").reset_index())
        poor_rows = work[poor.to_numpy()]
        subsets.append(poor_rows.groupby([key[poor.to_numpy()], "mask"]).size())
    poor_households = households[households["poor_members"] > 0]
    seconds = time.perf_counter() - start
    areas_frame = pd.concat(areas, ignore_index=True)
    return {
        "seconds": seconds,
        "rss": _peak_rss_mb(),
        "areas": areas_frame,
        "out": {"poor households": len(poor_households)},
    }


def _sizes(out) -> dict:
    return {"poor households": len(out.households), "subset rows": len(out.subsets)}


def same_areas(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    columns = [c for c in a.columns if c not in ("level", "code")]
    left = a.set_index(["level", "code"]).sort_index()[columns]
    right = b.set_index(["level", "code"]).sort_index()[columns]
    return left.shape == right.shape and bool((left.to_numpy() == right.to_numpy()).all())


def measure(label: str, people: int, repeat: int, func, *args) -> tuple[dict, dict]:
    results = [_in_child(func, *args) for _ in range(repeat)]
    times = [r["seconds"] for r in results]
    row = {
        "variant": label,
        "people": f"{people:,}",
        "best s": f"{min(times):.2f}",
        "median s": f"{statistics.median(times):.2f}",
        "peak RSS MB": f"{max(r['rss'] for r in results):.0f}",
        "runs": repeat,
    }
    print(f"  {label}: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)
    return row, results[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=36_600_000)
    parser.add_argument("--pandas-people", type=int, help="default: same as --people")
    parser.add_argument("--spark-people", type=int, help="default: a tenth of --people")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "targeting"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--skip-spark", action="store_true")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    rows, ok = [], True
    people_files = files(data_dir, args.people)
    row, engine = measure(
        "DuckDB (Ibis)", args.people, args.repeat, run_engine, "duckdb", *people_files
    )
    rows.append(row)
    if not args.skip_pandas:
        size = args.pandas_people or args.people
        pandas_files = files(data_dir, size)
        if size != args.people:
            row, engine = measure(
                "DuckDB (Ibis)", size, args.repeat, run_engine, "duckdb", *pandas_files
            )
            rows.append(row)
        row, baseline = measure("pandas baseline", size, 1, run_pandas, *pandas_files)
        rows.append(row)
        ok = same_areas(engine["areas"], baseline["areas"])
        print(f"area counts equal (engine vs pandas, {size:,} people): {ok}")
    if not args.skip_spark:
        size = args.spark_people or max(1, args.people // 10)
        spark_files = files(data_dir, size)
        row, _ = measure("Spark local[2] (Ibis)", size, 1, run_engine, "spark", *spark_files)
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
