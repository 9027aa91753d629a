"""The Alkire–Foster engine: one Ibis aggregation in, measures out.

Everything the AF method reports is a ratio of *additive counts* (n, q, censored and
uncensored deprivation counts, gap sums). So the engine asks the backend for those
counts in a single grouped aggregation (:func:`aggregate_counts`) and derives the
measures in Python from a handful of aggregate rows (:func:`measures_frame`). Additivity
is also what makes M0 decomposable: summing the counts of sub-groups gives the counts of
the whole, which is how :func:`compute_mpi` gets the total from a grouped run and how
:func:`rollup_counts` climbs from villages to provinces without touching the data again.

Formulas (Alkire & Foster 2011; Alkire et al. 2015, ch. 5), with C_j the number of poor
units deprived in j:  H = q/n,  M0 = Σ_j w_j C_j / n,  A = M0/H,  h_j = C_j/n,
contribution_j = w_j h_j / M0,  M1 = Σ_j w_j Σ_i g1_ij(k) / n,  M2 likewise with g1².
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from onehome.targeting.engine.deprivation import annotate, dep_col, dim_col, gap_col, miss_col
from onehome.targeting.engine.spec import Spec, check_columns

COUNT_COLUMNS_BASE = ("rows", "n", "q", "units_with_missing")


def aggregate_counts(
    table: ir.Table, spec: Spec, *, by: Sequence[str] = (), by_mask: bool = False
) -> pd.DataFrame:
    """The additive AF counts, one row per group (one row in all when ``by`` is empty).

    Columns: ``rows``, ``n``, ``q``, ``units_with_missing``, and per indicator j
    ``cen_j``, ``unc_j``, ``miss_j`` (plus ``gap1_j``, ``gap2_j`` for a cardinal spec),
    and per dimension d ``dim_d``. With ``by_mask`` the groups are also split by the
    dimension bitmask ``_mask``, so one query feeds both the measures (after
    :func:`rollup_counts`) and the dimension-subset counts (see ``dimension_subsets``).
    """
    by = list(by)
    check_columns(spec, table.columns, by=by)
    t = annotate(table, spec)
    keys = [*by, "_mask"] if by_mask else by
    metrics = aggregate_metrics(t, spec)
    expr = t.group_by(keys).aggregate(**metrics) if keys else t.aggregate(**metrics)
    return normalise_counts(expr.to_pandas(), keys)


def aggregate_metrics(t: ir.Table, spec: Spec) -> dict[str, ir.Value]:
    """The count expressions of :func:`aggregate_counts` over an annotated table."""
    metrics: dict[str, ir.Value] = {
        "rows": t.count(),
        "n": t._valid.sum(),
        "q": t._poor.sum(),
        "units_with_missing": t._anymiss.sum(),
    }
    for j in range(len(spec.indicators)):
        dep = t[dep_col(j)]
        metrics[f"cen_{j}"] = (t._poor * dep).sum()
        metrics[f"unc_{j}"] = (t._valid * dep).sum()
        metrics[f"miss_{j}"] = t[miss_col(j)].sum()
        if spec.is_cardinal:
            gap = t[gap_col(j)]
            metrics[f"gap1_{j}"] = (t._poor * gap).sum()
            metrics[f"gap2_{j}"] = (t._poor * gap * gap).sum()
    for d in range(len(spec.dimensions)):
        metrics[f"dim_{d}"] = t[dim_col(d)].sum()
    return metrics


def rollup_counts(counts: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Counts of coarser groups (or the total, with no ``by``) by adding finer ones."""
    value_columns = [c for c in counts.columns if _is_count_column(c)]
    if not by:
        return counts[value_columns].sum().to_frame().T.pipe(normalise_counts, [])
    summed = counts.groupby(list(by), dropna=False, sort=True)[value_columns].sum()
    return normalise_counts(summed.reset_index(), list(by))


def measures_frame(counts: pd.DataFrame, spec: Spec, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """AF measures for every row of ``counts`` (vectorised: fine for 100,000 villages)."""
    out = counts[list(by)].copy() if by else pd.DataFrame(index=counts.index)
    n = counts["n"].astype("float64")
    q = counts["q"].astype("float64")
    weighted = sum(ind.weight * counts[f"cen_{j}"] for j, ind in enumerate(spec.indicators))
    out["n"] = counts["n"]
    out["q"] = counts["q"]
    out["H"] = _ratio(q, n)
    out["A"] = _ratio(weighted, q)
    out["M0"] = _ratio(weighted, n)
    if spec.is_cardinal:
        gap1 = sum(ind.weight * counts[f"gap1_{j}"] for j, ind in enumerate(spec.indicators))
        gap2 = sum(ind.weight * counts[f"gap2_{j}"] for j, ind in enumerate(spec.indicators))
        out["M1"] = _ratio(gap1, n)
        out["M2"] = _ratio(gap2, n)
    for j, ind in enumerate(spec.indicators):
        out[f"h_{ind.id}"] = _ratio(counts[f"cen_{j}"], n)
        out[f"u_{ind.id}"] = _ratio(counts[f"unc_{j}"], n)
        out[f"contrib_{ind.id}"] = _ratio(ind.weight * counts[f"cen_{j}"], weighted)
    for d, dimension in enumerate(spec.dimensions):
        out[f"poor_in_{dimension}"] = counts[f"dim_{d}"]
    out["rows"] = counts["rows"]
    out["units_with_missing"] = counts["units_with_missing"]
    return out


def compute_mpi(table: ir.Table, spec: Spec, *, by: Sequence[str] = ()) -> dict[str, Any]:
    """All AF results as a JSON-ready dict; with ``by``, also one entry per group.

    One aggregation runs on the backend; the total is the sum of the groups' counts.
    """
    return mpi_from_counts(aggregate_counts(table, spec, by=by), spec, by=by)


def mpi_from_counts(counts: pd.DataFrame, spec: Spec, *, by: Sequence[str] = ()) -> dict[str, Any]:
    """:func:`compute_mpi` from counts already fetched by :func:`aggregate_counts` with the
    same ``by`` (split by ``_mask`` or not), without touching the data again."""
    if "_mask" in counts.columns:
        counts = rollup_counts(counts, by)
    total = rollup_counts(counts) if by else counts
    result = {
        "spec": spec.name,
        "k": spec.k,
        "k_rule": spec.k_rule,
        "cardinal": spec.is_cardinal,
        **_result_from_counts(total.iloc[0], spec),
    }
    if by:
        result["by"] = list(by)
        result["groups"] = [
            {"group": {col: _plain(row[col]) for col in by}, **_result_from_counts(row, spec)}
            for _, row in counts.iterrows()
        ]
    return result


def _result_from_counts(row: pd.Series, spec: Spec) -> dict[str, Any]:
    frame = measures_frame(row.to_frame().T.reset_index(drop=True), spec)
    m = frame.iloc[0]
    out: dict[str, Any] = {
        "n": int(m["n"]),
        "q": int(m["q"]),
        "H": _plain(m["H"]),
        "A": _plain(m["A"]),
        "M0": _plain(m["M0"]),
    }
    if spec.is_cardinal:
        out["M1"] = _plain(m["M1"])
        out["M2"] = _plain(m["M2"])
    ids = [ind.id for ind in spec.indicators]
    out["censored_headcount"] = {i: _plain(m[f"h_{i}"]) for i in ids}
    out["uncensored_headcount"] = {i: _plain(m[f"u_{i}"]) for i in ids}
    out["contribution"] = {i: _plain(m[f"contrib_{i}"]) for i in ids}
    out["poor_by_dimension"] = {d: int(m[f"poor_in_{d}"]) for d in spec.dimensions}
    out["missing"] = _missing_report(row, spec)
    return out


def _missing_report(row: pd.Series, spec: Spec) -> dict[str, Any]:
    with_missing = int(row["units_with_missing"])
    report: dict[str, Any] = {"policy": spec.missing, "units_with_missing": with_missing}
    if spec.missing == "not_deprived":
        report["note"] = (
            f"{with_missing} unit(s) had a missing indicator value; missing values were "
            "counted as not deprived and those units are included in n."
        )
    else:
        report["note"] = (
            f"{with_missing} unit(s) had a missing indicator value and were left out of n "
            f"(n = {int(row['n'])} of {int(row['rows'])} units)."
        )
    if spec.missing != "drop":
        report["by_indicator"] = {
            ind.id: int(row[f"miss_{j}"]) for j, ind in enumerate(spec.indicators)
        }
    return report


def normalise_counts(counts: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    counts = counts.copy()
    for column in counts.columns:
        if column in by:
            continue
        values = pd.to_numeric(counts[column]).fillna(0)
        if column.startswith("gap"):
            counts[column] = values.astype("float64")
        else:
            counts[column] = values.astype("int64")
    if by:
        counts = counts.sort_values(list(by), na_position="last").reset_index(drop=True)
    return counts


def _is_count_column(column: str) -> bool:
    return column in COUNT_COLUMNS_BASE or column.split("_")[0] in {
        "cen",
        "unc",
        "miss",
        "gap1",
        "gap2",
        "dim",
    }


def _ratio(numerator: Any, denominator: Any) -> pd.Series:
    num = pd.Series(numerator, dtype="float64")
    den = pd.Series(denominator, dtype="float64")
    return num.div(den.where(den != 0, np.nan))


def _plain(value: Any) -> Any:
    """A JSON-friendly scalar: numpy numbers to Python, NaN (undefined ratio) to None."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value
