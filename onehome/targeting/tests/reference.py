"""A deliberately naive, loop-per-person Alkire–Foster computation to test the engine against.

It shares nothing with the engine except the Spec it reads, so agreement between the two
is evidence, not tautology.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import Any

import pandas as pd

from onehome.targeting.engine.spec import SCORE_TOLERANCE, Indicator, Spec, load_spec


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _rule(ind: Indicator, x: Any) -> bool:
    z = ind.cutoff
    return {
        "lt": lambda: x < z,
        "le": lambda: x <= z,
        "gt": lambda: x > z,
        "ge": lambda: x >= z,
        "eq": lambda: x == z,
        "ne": lambda: x != z,
        "is_true": lambda: bool(x),
        "is_false": lambda: not bool(x),
    }[ind.rule]()


def _person(ind: Indicator, row: dict, spec: Spec) -> tuple[bool, bool, float]:
    """(missing, deprived, gap) of one person for one indicator."""
    if ind.has_age_range:
        age = row[spec.age_column]
        if _missing(age):
            return True, False, 0.0
        if (ind.age_min is not None and age < ind.age_min) or (
            ind.age_max is not None and age > ind.age_max
        ):
            return False, False, 0.0
    x = row[ind.column]
    if _missing(x):
        return True, False, 0.0
    deprived = _rule(ind, x)
    gap = 0.0
    if deprived and ind.is_cardinal:
        z = float(ind.cutoff)
        gap = (z - x) / z if ind.rule in ("lt", "le") else (x - z) / z
    return False, deprived, gap


def per_unit(frame: pd.DataFrame, spec: Spec) -> list[dict[str, Any]]:
    rows = [
        {k: (None if _missing(v) else v) for k, v in r.items()}
        for r in frame.to_dict(orient="records")
    ]
    members: dict[Any, list[int]] = defaultdict(list)
    if spec.needs_household:
        for i, r in enumerate(rows):
            members[r[spec.household_column]].append(i)
    cells = [[_person(ind, r, spec) for ind in spec.indicators] for r in rows]
    units = []
    for i, r in enumerate(rows):
        miss, dep, gap = [], [], []
        for j, ind in enumerate(spec.indicators):
            if ind.unit == "household" and r[spec.household_column] is not None:
                group = [cells[m][j] for m in members[r[spec.household_column]]]
                miss.append(any(c[0] for c in group))
                dep.append(any(c[1] for c in group))
                gap.append(max(c[2] for c in group))
            else:
                miss.append(cells[i][j][0])
                dep.append(cells[i][j][1])
                gap.append(cells[i][j][2])
        valid = spec.missing == "not_deprived" or not any(miss)
        score = sum(ind.weight for ind, d in zip(spec.indicators, dep, strict=True) if d)
        poor = valid and score >= spec.k - SCORE_TOLERANCE
        units.append({"row": r, "miss": miss, "dep": dep, "gap": gap, "valid": valid, "poor": poor})
    return units


def reference_measures(frame: pd.DataFrame, spec: Spec) -> dict[str, Any]:
    units = per_unit(frame, spec)
    n = sum(u["valid"] for u in units)
    q = sum(u["poor"] for u in units)
    cen = [sum(u["poor"] and u["dep"][j] for u in units) for j in range(len(spec.indicators))]
    weighted = sum(ind.weight * c for ind, c in zip(spec.indicators, cen, strict=True))
    out: dict[str, Any] = {
        "n": n,
        "q": q,
        "H": q / n if n else None,
        "A": weighted / q if q else None,
        "M0": weighted / n if n else None,
        "cen": cen,
        "units_with_missing": sum(any(u["miss"]) for u in units),
    }
    if spec.is_cardinal and n:
        for alpha, key in ((1, "M1"), (2, "M2")):
            out[key] = (
                sum(
                    ind.weight * u["gap"][j] ** alpha
                    for u in units
                    if u["poor"]
                    for j, ind in enumerate(spec.indicators)
                    if u["dep"][j]
                )
                / n
            )
    return out


def reference_subsets(frame: pd.DataFrame, spec: Spec) -> dict[frozenset[str], int]:
    """Poor units deprived in at least one indicator of some dimension of each subset."""
    units = per_unit(frame, spec)
    dims = spec.dimensions
    result = {}
    for s in range(1, 2 ** len(dims)):
        chosen = {dims[d] for d in range(len(dims)) if s >> d & 1}
        result[frozenset(chosen)] = sum(
            1
            for u in units
            if u["poor"]
            and any(
                u["dep"][j] and ind.dimension in chosen for j, ind in enumerate(spec.indicators)
            )
        )
    return result


def random_case(seed: int, *, people: int = 60) -> tuple[pd.DataFrame, Spec]:
    """Random person data with NULLs, households, ages, and a random 5-dimension spec."""
    rng = random.Random(seed)
    dims = ["health", "living", "education", "income", "access"]
    frame = pd.DataFrame(
        {
            "household_id": [rng.randrange(people // 3 + 1) for _ in range(people)],
            "village": [rng.choice("ABC") for _ in range(people)],
            "age": [rng.choice([None, *range(0, 90, 7)]) for _ in range(people)],
            "income": [rng.choice([None, *range(0, 60000, 4000)]) for _ in range(people)],
            "score": [rng.choice([None, 0.5, 1.5, 2.5, 3.5]) for _ in range(people)],
            **{
                f"ok_{d}": pd.array(
                    [rng.choice([None, True, False, True]) for _ in range(people)],
                    dtype="boolean",
                )
                for d in range(6)
            },
        }
    )
    frame["age"] = frame["age"].astype("Int64")
    frame["income"] = frame["income"].astype("Int64")
    indicators = [
        {"id": "inc", "column": "income", "rule": "lt", "cutoff": 38000},
        {"id": "scr", "column": "score", "rule": "le", "cutoff": 2},
    ] + [{"id": f"b{d}", "column": f"ok_{d}", "rule": "is_false"} for d in range(6)]
    weights = [rng.randint(1, 5) for _ in indicators]
    total = sum(weights)
    for pos, ind in enumerate(indicators):
        ind["weight"] = f"{weights[pos]}/{total}"
        ind["dimension"] = dims[pos % 5]
        ind["unit"] = rng.choice(["person", "person", "household"])
        if rng.random() < 0.4:
            ind["age_min"] = rng.choice([0, 6, 15])
            ind["age_max"] = rng.choice([None, 59, 80])
    k = rng.choice(["union", 0.2, "1/3", 0.5, 1])
    policy = rng.choice(["report", "drop", "not_deprived"])
    return frame, load_spec({"k": k, "missing": policy, "indicators": indicators})
