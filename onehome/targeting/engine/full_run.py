"""The full TPMAP run of a survey round: every level, the dimension subsets, target poor and
the household list, from one person table.

The round is read once for per-village totals and once for the *touched* people, those
whose deprivation pattern can be non-zero (``touched_people``; docs/performance.md,
"Targeting"). For those few rows the engine spreads household deprivations, derives score
and poverty from the bits, looks the poor up on the welfare-card list, and groups them by
(village, deprivation bits, missing bits, target, validity, poverty) and by household.

Everything else is arithmetic on the grouped rows here: an untouched person adds one to
``rows`` and ``n`` and nothing else, and a pattern's bits give its censored counts and
dimension set. Nation, province, district and sub-district are sums of villages, so every
level agrees exactly with the villages under it. Measures come from
``measures.measures_frame(areas, spec, by=["level", "code"])``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from onehome.targeting.engine.backends import materialized
from onehome.targeting.engine.deprivation import annotate, bits_or, gap_col, poverty_from_bits
from onehome.targeting.engine.run_ready_columns import HOUSEHOLD_SIZE, PERSON_KEY, VILLAGE
from onehome.targeting.engine.spec import Spec, SpecError, check_columns
from onehome.targeting.engine.touched_people import spread, target_flag, touched_people
from onehome.targeting.engine.village_totals import village_totals

LEVELS = (("nation", 0), ("province", 2), ("district", 4), ("subdistrict", 6), ("village", 8))
HOUSEHOLD_COUNTS = ("households", "poor_households", "target_households")
_PERSON_COLUMNS = ("_dep_bits", "_miss_bits", "_score", "_valid", "_poor", "_target")
MAX_INDICATORS = 62  # deprivation bits of one person in a BIGINT
_VILLAGE_KEY = "_village_key"  # the household list's village as a number, while counting

Progress = Callable[[str, float], None]


@dataclass
class RunOutput:
    areas: pd.DataFrame
    subsets: pd.DataFrame
    households: pd.DataFrame


def full_run(
    people: ir.Table,
    spec: Spec,
    *,
    welfare_ids: ir.Table | None = None,
    per_village: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> RunOutput:
    """Counts for every area at every level, poor per exact dimension set, poor households.

    A person is *target poor* when poor and their ``person_key`` is in ``welfare_ids``
    (one column ``national_id``). ``households.deprived`` is a bitmask over
    ``spec.indicators`` (bit j set when some member is deprived in indicator j).
    ``per_village`` is the round's people and households per village
    (``village_totals.read_summary``), counted from ``people`` when not given.
    """
    report = progress or _silent
    check_columns(spec, people.columns, by=[VILLAGE, PERSON_KEY])
    if len(spec.indicators) > MAX_INDICATORS:
        raise SpecError(f"a full run supports at most {MAX_INDICATORS} indicators")
    report("counting people and households", 0.0)
    if per_village is None:
        per_village = village_totals(people, spec)
    report("deprivations of touched people", 0.3)
    with touched_people(people, spec) as found:
        candidates = found.people
        gaps = _gap_sums(annotate(candidates, spec), spec) if spec.is_cardinal else None
        t = spread(candidates, found.households, spec)
        t = t.mutate(**poverty_from_bits(t._dep_bits, t._miss_bits, spec))
        t = t.mutate(_target=target_flag(t, candidates, welfare_ids))
        # Only what the patterns and the household list read is written.
        kept = [VILLAGE, spec.household_column, HOUSEHOLD_SIZE, *_PERSON_COLUMNS]
        t = t.select(*[c for c in dict.fromkeys(kept) if c in t.columns])
        with materialized(t) as t, ThreadPoolExecutor(max_workers=1) as backend:
            # Villages as numbers from here on (8-digit codes, checked at import):
            # pandas groups and looks up integers far faster than strings.
            village = t[VILLAGE].cast("int64").name(VILLAGE)
            keys = [village, "_dep_bits", "_miss_bits", "_target", "_valid", "_poor"]
            patterns = t.group_by(keys).aggregate(_count=t.count()).to_pandas()
            if found.untouched is not None:
                patterns = pd.concat([patterns, found.untouched], ignore_index=True)
            # The household list is the backend's work, the per-village sums numpy's on
            # one core: the list's query runs while the sums are made (a backend query
            # releases the GIL), and the block waits for it before dropping ``t``.
            report("household list and levels", 0.7)
            households = backend.submit(_poor_households, t, people, spec)
            patterns = _with_mask(patterns.astype("int64"), spec)
            villages = _village_counts(patterns, per_village, spec, gaps)
            subsets = subset_levels(patterns)
            poor_households = households.result()
    report("levels", 0.9)
    villages = _with_household_counts(villages, poor_households)
    areas = rollup_levels(villages)
    report("done", 1.0)
    households = poor_households.drop(columns=[_VILLAGE_KEY], errors="ignore")
    return RunOutput(areas=areas, subsets=subsets, households=households)


def _gap_sums(t: ir.Table, spec: Spec) -> pd.DataFrame:
    """Censored gap sums per village (cardinal specs only: bits cannot carry gaps)."""
    metrics = {}
    for j in range(len(spec.indicators)):
        gap = t[gap_col(j)]
        metrics[f"gap1_{j}"] = (t._poor * gap).sum()
        metrics[f"gap2_{j}"] = (t._poor * gap * gap).sum()
    frame = t.group_by(VILLAGE).aggregate(**metrics).to_pandas().set_index(VILLAGE)
    return frame.astype("float64")


def _with_mask(patterns: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Each pattern's censored dimension set (bit d: poor and deprived in some indicator
    of dimension d), from its deprivation bits."""
    dep = patterns["_dep_bits"].to_numpy()
    mask = np.zeros(len(patterns), dtype=np.int64)
    for d, dimension in enumerate(spec.dimensions):
        bits = sum(1 << j for j, i in enumerate(spec.indicators) if i.dimension == dimension)
        mask |= ((dep & bits) != 0).astype(np.int64) << d
    return patterns.assign(_mask=np.where(patterns["_poor"] == 1, mask, 0))


def _poor_households(t: ir.Table, people: ir.Table, spec: Spec) -> pd.DataFrame:
    """One row per household with a poor member (computed on the backend: only those
    households leave it). ``t`` may lack a household's untouched members, so ``members``
    is the run-ready household size, or else a count of the round's rows of those
    households."""
    hh = spec.household_column
    deprived = bits_or(t, "_dep_bits", (1 << len(spec.indicators)) - 1)
    sized = HOUSEHOLD_SIZE in t.columns
    members = t[HOUSEHOLD_SIZE].max() if sized else t.count()
    per_household = t.group_by(hh).aggregate(
        **{
            VILLAGE: t[VILLAGE].arbitrary(),  # a household lives in one village
            "members": members,
            "poor_members": t._poor.sum(),
            "target_members": t._target.sum(),
            "deprived": deprived,
            "score": t._score.max(),
        }
    )
    poor = per_household.filter(per_household.poor_members > 0)
    if not sized:
        rows = people.semi_join(poor.select(hh), hh)
        counted = rows.group_by(hh).aggregate(_all=rows.count())
        poor = poor.join(counted, hh).mutate(members=lambda x: x._all).drop("_all")
    # Text columns stay Arrow strings: 1.4 M Python str objects per column would cost more
    # than the whole aggregate.
    ordered = poor.order_by([VILLAGE, hh])
    if ordered[VILLAGE].type().is_integer():  # the run-ready number; the list shows the code
        number = ordered[VILLAGE]
        ordered = ordered.mutate(
            **{VILLAGE: number.cast("string").lpad(8, "0"), _VILLAGE_KEY: number.cast("int64")}
        )
    frame = ordered.to_pyarrow().to_pandas(
        types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_string(t) else None
    )
    frame = frame.rename(columns={hh: "household_id"})
    for column in ("members", "poor_members", "target_members", "deprived"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    frame["score"] = pd.to_numeric(frame["score"]).astype("float64")
    columns = ["household_id", VILLAGE, "members", "poor_members", "target_members"]
    keys = [_VILLAGE_KEY] if _VILLAGE_KEY in frame.columns else []
    return frame[[*columns, "deprived", "score", *keys]]


def _village_counts(
    patterns: pd.DataFrame, per_village: pd.DataFrame, spec: Spec, gaps: pd.DataFrame | None
) -> pd.DataFrame:
    """The additive counts of ``measures.aggregate_counts`` per village (indexed by the code
    as a number), plus target poor and households; untouched people add one to ``rows``
    and ``n`` each."""
    villages = per_village.set_index(per_village[VILLAGE].astype("int64")).sort_index()
    where = villages.index.get_indexer(patterns[VILLAGE])  # every pattern's village is there
    # Patterns sorted by village once; then each count is one sequential np.add.reduceat
    # per village run (faster than a weighted bincount per column; docs/performance.md).
    order = np.argsort(where, kind="stable")
    where = where[order]
    starts = np.flatnonzero(np.diff(where, prepend=-1))
    present = where[starts]

    def column(name: str) -> np.ndarray:
        return patterns[name].to_numpy(dtype=np.int64)[order]

    count, dep, miss = column("_count"), column("_dep_bits"), column("_miss_bits")
    poor, valid, mask = column("_poor"), column("_valid"), column("_mask")

    def per_village_sum(values: np.ndarray) -> np.ndarray:
        summed = np.zeros(len(villages), dtype=np.int64)
        if len(starts):
            summed[present] = np.add.reduceat(values, starts)
        return summed

    columns = {
        "rows": per_village_sum(count),
        "n": per_village_sum(count * valid),
        "q": per_village_sum(count * poor),
        "units_with_missing": per_village_sum(count * (miss != 0)),
    }
    for j in range(len(spec.indicators)):
        counted = count * ((dep >> j) & 1)
        columns[f"cen_{j}"] = per_village_sum(counted * poor)
        columns[f"unc_{j}"] = per_village_sum(counted * valid)
        columns[f"miss_{j}"] = per_village_sum(count * ((miss >> j) & 1))
    for d in range(len(spec.dimensions)):
        columns[f"dim_{d}"] = per_village_sum(count * ((mask >> d) & 1))
    columns["target_poor"] = per_village_sum(count * column("_target") * poor)
    untouched = pd.to_numeric(villages["all_rows"]).to_numpy(dtype=np.int64) - columns["rows"]
    columns["rows"] = columns["rows"] + untouched
    columns["n"] = columns["n"] + untouched
    if gaps is not None:
        gaps = gaps.set_axis(gaps.index.astype("int64"))
        for name in gaps.columns:
            columns[name] = gaps[name].reindex(villages.index, fill_value=0.0).to_numpy()
    columns["households"] = pd.to_numeric(villages["households"]).to_numpy(dtype=np.int64)
    # One frame from whole columns: added one by one, they were 60 blocks that each later
    # copy had to consolidate.
    return pd.DataFrame(columns, index=villages.index)


def _with_household_counts(villages: pd.DataFrame, poor_households: pd.DataFrame) -> pd.DataFrame:
    """Poor and target households per village, from the household list: by its villages as
    numbers when the list carries them (``_VILLAGE_KEY``, sorted with the list), else by
    its village codes, factorised (cheaper than parsing every text code as a number)."""
    target = (poor_households["target_members"].to_numpy() > 0).astype(np.int64)
    if _VILLAGE_KEY in poor_households.columns:
        numbers = poor_households[_VILLAGE_KEY].to_numpy(dtype=np.int64)
        if len(numbers) and (np.diff(numbers) < 0).any():  # not in village order
            order = np.argsort(numbers, kind="stable")
            numbers, target = numbers[order], target[order]
        starts = _run_starts(numbers)
        labels = numbers[starts]
        poor = np.diff(np.append(starts, len(numbers)))
        targets = _run_sums(target, starts)
    else:
        codes, text = pd.factorize(poor_households[VILLAGE])
        labels = np.asarray(text, dtype=object).astype(np.int64)
        poor = np.bincount(codes, minlength=len(labels))
        targets = np.bincount(codes, weights=target, minlength=len(labels))
    per = pd.DataFrame({"poor_households": poor, "target_households": targets}, index=labels)
    out = villages.copy()
    for column in ("poor_households", "target_households"):
        out[column] = per[column].reindex(out.index, fill_value=0).astype("int64")
    return out.rename_axis(VILLAGE).reset_index()


def rollup_levels(villages: pd.DataFrame) -> pd.DataFrame:
    """Village counts (``village_code`` as a number) summed to every level; one frame with
    ``level`` and ``code`` (text). Villages sorted by code make each area one run of rows,
    summed by ``np.add.reduceat`` (cheaper than a pandas GROUP BY per level)."""
    value_columns = [c for c in villages.columns if c != VILLAGE]
    villages = villages.sort_values(VILLAGE, kind="stable")
    codes = villages[VILLAGE].to_numpy(dtype=np.int64)
    columns = {c: villages[c].to_numpy() for c in value_columns}
    frames = []
    for level, width in LEVELS:
        keys = _level_keys(codes, width)
        starts = _run_starts(keys)
        summed = {c: _run_sums(values, starts) for c, values in columns.items()}
        frame = pd.DataFrame(summed, columns=value_columns)
        frame.insert(0, "code", _level_codes(keys[starts], width))
        frame.insert(0, "level", level)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def subset_levels(patterns: pd.DataFrame) -> pd.DataFrame:
    """Poor people per exact set of dimensions (the mask), at every level; only sets that
    occur (a missing row means zero). Each (area, set) is one integer key, summed by
    ``np.unique`` and ``np.bincount``: once per (village, set), then per level over those."""
    poor = patterns["_poor"].to_numpy() == 1
    villages = patterns[VILLAGE].to_numpy(dtype=np.int64)[poor]
    masks = patterns["_mask"].to_numpy(dtype=np.int64)[poor]
    counts = patterns["_count"].to_numpy(dtype=np.int64)[poor]
    shift = int(masks.max()).bit_length() if len(masks) else 0
    villages, masks, counts = _sum_by_key(villages, masks, counts, shift)
    frames = []
    for level, width in LEVELS:
        codes, sets, poor_counts = _sum_by_key(_level_keys(villages, width), masks, counts, shift)
        frames.append(
            pd.DataFrame(
                {
                    "level": level,
                    "code": _level_codes(codes, width),
                    "subset": sets,
                    "poor": poor_counts,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype({"subset": "int64", "poor": "int64"})


def _sum_by_key(
    areas: np.ndarray, masks: np.ndarray, counts: np.ndarray, shift: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts summed per (area, mask), sorted by area then mask."""
    keys, where = np.unique((areas << shift) | masks, return_inverse=True)
    summed = np.bincount(where.ravel(), weights=counts, minlength=len(keys))
    return keys >> shift, keys & ((1 << shift) - 1), np.rint(summed).astype(np.int64)


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts in a sorted array."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.diff(keys, prepend=keys[0] - 1))


def _run_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    if not len(starts):
        return values[:0]
    return np.add.reduceat(values, starts)


def _level_keys(village_codes: np.ndarray, width: int) -> np.ndarray:
    """The area at ``width`` digits of each 8-digit village code (0 for the nation)."""
    return village_codes // 10 ** (8 - width)


def _level_codes(keys: np.ndarray, width: int) -> np.ndarray:
    """Area codes as zero-padded text (object array); each distinct code is formatted once."""
    keys = np.asarray(keys, dtype=np.int64)
    if not width or not len(keys):  # np.char.zfill refuses an empty array
        return np.full(len(keys), "", dtype=object)
    distinct, where = np.unique(keys, return_inverse=True)
    labels = np.char.zfill(distinct.astype(str), width).astype(object)
    return labels[where.ravel()]


def _silent(stage: str, fraction: float) -> None:
    return None
