"""TPMAP-style counts for every non-empty subset of dimensions, in one pass over the data.

For a subset S of dimensions, the count is the number of poor units deprived in at least
one indicator of some dimension in S. Each unit carries a bitmask of the dimensions it is
(censored-)deprived in; the backend groups by (area, mask) — at most 2^D rows per area —
and Python adds masks into subsets: count(S) = Σ over masks m with m & S ≠ 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from onehome.targeting.engine.deprivation import annotate
from onehome.targeting.engine.spec import Spec, SpecError, check_columns

MAX_DIMENSIONS = 12  # 4,095 subsets; beyond that the table stops being readable


def check_dimensions(spec: Spec) -> None:
    """Refuse a spec with too many dimensions for a subset table (before any query)."""
    if len(spec.dimensions) > MAX_DIMENSIONS:
        raise SpecError(f"dimension subsets need at most {MAX_DIMENSIONS} dimensions")


def mask_counts(table: ir.Table, spec: Spec, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Units (counted in n) per group and dimension mask: the only backend query."""
    check_columns(spec, table.columns, by=by)
    check_dimensions(spec)
    t = annotate(table, spec)
    expr = t.group_by([*by, "_mask"]).aggregate(units=t._valid.sum())
    counts = expr.to_pandas()
    counts["units"] = pd.to_numeric(counts["units"]).fillna(0).astype("int64")
    counts["_mask"] = counts["_mask"].astype("int64")
    return counts


def subset_counts_from_masks(
    masks: pd.DataFrame, spec: Spec, *, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Long table: one row per group and non-empty subset, with ``units`` and ``n``."""
    by = list(by)
    dims = spec.dimensions
    n_masks = 2 ** len(dims)
    subsets = np.arange(1, n_masks)
    # incidence[m, s] = 1 when mask m shares a dimension with subset s
    incidence = ((np.arange(n_masks)[:, None] & subsets[None, :]) != 0).astype(np.int64)
    if by:
        # groupby, not pivot_table(dropna=False): with two or more ``by`` columns the
        # pivot is the cartesian product of their values, i.e. groups that do not occur.
        # dropna=False keeps groups whose key is NULL.
        grouped = masks.groupby([*by, "_mask"], dropna=False, sort=True)["units"].sum()
        wide = grouped.unstack("_mask", fill_value=0)
    else:
        wide = masks.groupby("_mask")["units"].sum().to_frame().T
    wide = wide.reindex(columns=range(n_masks), fill_value=0)
    matrix = wide.to_numpy(dtype=np.int64)
    per_subset = matrix @ incidence
    totals = matrix.sum(axis=1)
    labels = [subset_label(int(s), dims) for s in subsets]
    sizes = [int(s).bit_count() for s in subsets]
    frame = pd.DataFrame(per_subset, columns=labels)
    frame["_n"] = totals
    if by:
        keys = wide.index.to_frame(index=False)
        frame = pd.concat([keys.reset_index(drop=True), frame], axis=1)
    long = frame.melt(id_vars=[*by, "_n"], var_name="subset", value_name="units")
    long = long.rename(columns={"_n": "n"})
    long["subset_mask"] = long["subset"].map(dict(zip(labels, subsets.tolist(), strict=True)))
    long["dimensions"] = long["subset"].map(dict(zip(labels, sizes, strict=True)))
    long["share"] = long["units"] / long["n"].where(long["n"] != 0, np.nan)
    long = long.sort_values([*by, "subset_mask"]).reset_index(drop=True)
    return long[[*by, "subset", "subset_mask", "dimensions", "units", "n", "share"]]


def subset_counts_from_counts(
    counts: pd.DataFrame, spec: Spec, *, by: Sequence[str] = ()
) -> pd.DataFrame:
    """The same long table from :func:`measures.aggregate_counts` run with ``by_mask`` (at
    ``by`` or any finer level): ``n`` per mask is the number of units, so one query can
    feed both the measures and the subsets."""
    masks = counts[[*by, "_mask", "n"]].rename(columns={"n": "units"})
    return subset_counts_from_masks(masks, spec, by=by)


def dimension_subset_counts(table: ir.Table, spec: Spec, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Counts of poor units deprived in each non-empty subset of dimensions (31 for 5)."""
    return subset_counts_from_masks(mask_counts(table, spec, by=by), spec, by=by)


def subset_label(subset: int, dimensions: Sequence[str]) -> str:
    return "+".join(dim for d, dim in enumerate(dimensions) if subset >> d & 1)
