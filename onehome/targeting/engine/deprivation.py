"""Per-unit Alkire–Foster columns as Ibis expressions: deprivation, gaps, score, poverty.

Nothing here runs a query. :func:`annotate` returns the input table with one row per unit
and the columns every aggregation needs, so the same expression compiles to DuckDB SQL or
to Spark SQL. Only operations both backends implement are used (no bitwise aggregates:
the dimension mask is a sum of powers of two computed row by row).

Column names it adds (``j`` is the indicator's position, ``d`` the dimension's):

- ``_miss_j``  1 when the unit's value for indicator j is missing (NULL or NaN)
- ``_dep_j``   1 when deprived in indicator j (0 when missing)
- ``_gap_j``   normalised gap, only for a cardinal spec (0 when not deprived)
- ``_anymiss`` 1 when any indicator is missing
- ``_valid``   1 when the unit counts in n under the spec's missing policy
- ``_score``   Σ w_j · _dep_j
- ``_poor``    1 when valid and score ≥ k
- ``_dim_d``   1 when poor and deprived in some indicator of dimension d (censored)
- ``_mask``    Σ_d 2^d · _dim_d
"""

from __future__ import annotations

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from onehome.targeting.engine.run_ready_columns import BLANK_ANSWERS, FALSE_ANSWERS, answer_columns
from onehome.targeting.engine.spec import SCORE_TOLERANCE, Indicator, Spec, SpecError


def miss_col(j: int) -> str:
    return f"_miss_{j}"


def dep_col(j: int) -> str:
    return f"_dep_{j}"


def gap_col(j: int) -> str:
    return f"_gap_{j}"


def dim_col(d: int) -> str:
    return f"_dim_{d}"


def annotate(table: ir.Table, spec: Spec) -> ir.Table:
    """The table with the per-unit AF columns added (a lazy Ibis expression)."""
    first: dict[str, ir.Value] = {}
    for j, ind in enumerate(spec.indicators):
        missing, deprived, gap = _indicator_exprs(table, spec, ind)
        first[miss_col(j)] = missing.cast("int64")
        first[dep_col(j)] = deprived.cast("int64")
        if gap is not None:
            first[gap_col(j)] = gap
    step1 = _spread_household_indicators(table.mutate(**first), spec)

    anymiss = _max_of([step1[miss_col(j)] for j in range(len(spec.indicators))])
    score = _sum_of(
        [
            step1[dep_col(j)].cast("float64") * _float(ind.weight)
            for j, ind in enumerate(spec.indicators)
        ]
    )
    step2 = step1.mutate(_anymiss=anymiss, _score=score)
    step2 = step2.mutate(_valid=_valid(step2._anymiss == 1, spec))
    step3 = step2.mutate(_poor=_poor(step2._valid, step2._score, spec))

    dims: dict[str, ir.Value] = {}
    for d, dimension in enumerate(spec.dimensions):
        members = [
            step3[dep_col(j)] for j, ind in enumerate(spec.indicators) if ind.dimension == dimension
        ]
        dims[dim_col(d)] = step3._poor * _max_of(members)
    step4 = step3.mutate(**dims)
    mask = _sum_of([step4[dim_col(d)] * (2**d) for d in range(len(spec.dimensions))])
    return step4.mutate(_mask=mask.cast("int64"))


def poverty_from_bits(
    dep_bits: ir.IntegerValue, miss_bits: ir.IntegerValue, spec: Spec
) -> dict[str, ir.Value]:
    """``_score``, ``_valid`` and ``_poor`` from a unit's bits (``own_bits`` after the
    household spread): the rules of :func:`annotate`, on two integers."""
    score = _sum_of(
        [
            ibis.ifelse((dep_bits & (1 << j)) != 0, _float(ind.weight), _float(0.0))
            for j, ind in enumerate(spec.indicators)
        ]
    )
    valid = _valid(miss_bits != 0, spec)
    return {"_score": score, "_valid": valid, "_poor": _poor(valid, score, spec)}


def _valid(any_missing: ir.BooleanValue, spec: Spec) -> ir.IntegerValue:
    """1 when the unit counts in n under the spec's missing-value policy."""
    if spec.missing == "not_deprived":
        return ibis.literal(1, type="int64")
    return (~any_missing).cast("int64")


def _poor(valid: ir.IntegerValue, score: ir.FloatingValue, spec: Spec) -> ir.IntegerValue:
    return ((valid == 1) & (score >= _float(spec.k - SCORE_TOLERANCE))).cast("int64")


def own_bits(table: ir.Table, spec: Spec) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """(deprivation bits, missing bits) of each row from its own values: bit j is set when
    the row is deprived (missing) in indicator j. Household indicators are not spread yet
    (``touched_people.spread``). The rules of :func:`annotate`, in the fewest operations per row
    (this runs on every touched person of a national round): a CASE treats a NULL
    condition as false, so a missing value or age needs no COALESCE.

    Indicators read from the packed answers take their bits from the two integers by a
    mask and a shift per run of positions, then one AND with the indicators that apply at
    the row's age (a CASE per distinct age range), instead of two CASEs each."""
    dep, miss = [], []
    age_mask = 0
    packed = packed_answers(table, spec.indicators)
    if packed:
        applies = _packed_applicable(table, spec, packed)
        dep.append(_moved(table[FALSE_ANSWERS], packed, spec) & applies)
        miss.append(_moved(table[BLANK_ANSWERS], packed, spec) & applies)
    for j, ind in enumerate(spec.indicators):
        if ind.has_age_range:
            age_mask |= 1 << j
        if ind.id in packed:
            continue
        col = table[ind.column]
        value_missing = col.isnull()
        deprived = _rule_expr(col, ind)  # NULL when the value is NULL
        if col.type().is_floating():
            value_missing = value_missing | col.isnan()
            deprived = deprived & ~col.isnan()
        applies = _applies(table, spec, ind)
        if applies is not None:  # NULL when the age is NULL: neither term is set
            deprived = applies & deprived
            value_missing = applies & value_missing
        dep.append(ibis.ifelse(deprived, 1 << j, 0))
        miss.append(ibis.ifelse(value_missing, 1 << j, 0))
    if age_mask:  # an unknown age makes every age-ranged indicator unknown
        miss.append(ibis.ifelse(table[spec.age_column].isnull(), age_mask, 0))
    return _bits_of(dep), _bits_of(miss)


def _moved(packed_column: ir.IntegerValue, packed: dict[str, int], spec: Spec) -> ir.IntegerValue:
    """The packed answers' bits moved to the positions of the indicators that read them:
    indicator j reads bit ``packed[id]``; one mask and one shift per distinct distance."""
    masks: dict[int, int] = {}
    for j, ind in enumerate(spec.indicators):
        if ind.id in packed:
            shift = j - packed[ind.id]
            masks[shift] = masks.get(shift, 0) | 1 << packed[ind.id]
    terms = []
    for shift, mask in sorted(masks.items()):
        term = packed_column & mask
        if shift > 0:
            term = term << shift
        elif shift < 0:
            term = term >> -shift
        terms.append(term)
    return _bits_of(terms)


def _packed_applicable(table: ir.Table, spec: Spec, packed: dict[str, int]) -> ir.IntegerValue:
    """The bits of the packed-answer indicators that apply at the row's age: those without
    an age range always, the others by one CASE per distinct range (none when the age is
    unknown: ``own_bits`` marks those missing)."""
    always = 0
    by_range: dict[tuple, tuple[Indicator, int]] = {}
    for j, ind in enumerate(spec.indicators):
        if ind.id not in packed:
            continue
        if not ind.has_age_range:
            always |= 1 << j
            continue
        key = (ind.age_min, ind.age_max)
        first, bits = by_range.get(key, (ind, 0))
        by_range[key] = (first, bits | 1 << j)
    terms: list[ir.IntegerValue] = [ibis.literal(always, type="int64")]
    for ind, bits in by_range.values():
        terms.append(ibis.ifelse(_applies(table, spec, ind), bits, 0))
    return _bits_of(terms)


def _bits_of(terms: list[ir.IntegerValue]) -> ir.IntegerValue:
    """The sum of disjoint bit terms as a BIGINT (a sum, not an OR: the same on both
    backends)."""
    return _sum_of(terms).cast("int64")


def _applies(table: ir.Table, spec: Spec, ind: Indicator) -> ir.BooleanValue | None:
    """Whether the indicator applies at the row's age (NULL for an unknown age), or None
    when it has no age range."""
    age = table[spec.age_column]
    applies = None
    if ind.age_min is not None:
        applies = age >= _whole(ind.age_min)
    if ind.age_max is not None:
        below = age <= _whole(ind.age_max)
        applies = below if applies is None else applies & below
    return applies


def _whole(bound: float) -> float | int:
    """An age bound as an integer when it is one: ``age <= 0.0`` would make the engine
    compare every age as a DECIMAL."""
    return int(bound) if float(bound).is_integer() else bound


def household_mask(spec: Spec) -> int:
    """The bits of the household-level indicators."""
    return sum(1 << j for j, ind in enumerate(spec.indicators) if ind.unit == "household")


def bits_or(table: ir.Table, column: str, mask: int) -> ir.IntegerValue:
    """The OR of ``column & mask`` over a group: the engine's own BIT_OR where it has one
    (DuckDB), else a sum of per-bit maxima (Ibis compiles no bitwise-OR reduction for
    Spark). The same number either way; the native one is cheaper (docs/performance.md)."""
    bits = table[column]
    if table._find_backend(use_default=True).has_operation(ops.BitOr):
        return (bits & mask).bit_or().cast("int64")
    parts = [
        ibis.ifelse((bits & (1 << j)) != 0, 1 << j, 0).max()
        for j in range(mask.bit_length())
        if mask >> j & 1
    ]
    return _sum_of(parts).cast("int64") if parts else ibis.literal(0, type="int64")


def touched(
    table: ir.Table, spec: Spec, indicators: tuple[Indicator, ...] | None = None
) -> ir.BooleanValue:
    """True when a row may be deprived or missing in some indicator (of ``indicators``,
    by default all; a cheap superset: age ranges are ignored). Rows where it is false add
    one to ``rows`` and ``n`` and nothing else, and so does every member of a household
    without such a row, so only those households need the per-person columns of
    :func:`annotate`.

    One OR with one term per indicator, no COALESCE, as this filter is evaluated on every
    row of a national round: "deprived or unknown" is "not known to be met", ``NOT (rule
    IS NOT DISTINCT FROM FALSE)``, one comparison and one null-safe test (less time than
    ``rule OR value IS NULL``; docs/performance.md)."""
    chosen = spec.indicators if indicators is None else indicators
    flags = []
    packed = packed_answers(table, chosen)
    if packed:  # one test of two integers for all of them
        bits = sum(1 << p for p in set(packed.values()))
        flags.append(((table[FALSE_ANSWERS] | table[BLANK_ANSWERS]) & bits) != 0)
    for ind in chosen:
        col = table[ind.column]
        if ind.id in packed:
            continue
        if col.type().is_floating():  # NaN is unknown too, and sorts above every number
            flags.append(_rule_expr(col, ind) | col.isnull() | col.isnan())
        elif ind.rule == "is_false":  # not known to be true (no double negation)
            flags.append(~_as_boolean(col, ind).identical_to(True))
        else:
            flags.append(~_rule_expr(col, ind).identical_to(False))
    if any(ind.has_age_range for ind in chosen):
        flags.append(table[spec.age_column].isnull())
    result = flags[0]
    for flag in flags[1:]:
        result = result | flag
    return result


def packed_answers(table: ir.Table, indicators: tuple[Indicator, ...]) -> dict[str, int]:
    """Indicator id → bit in the packed answers (``run_ready_columns.FALSE_ANSWERS``) for each
    of ``indicators`` that can be read from them: ``is_false`` on a boolean column, in a
    table that has the packed columns. Empty otherwise. (Another rule on the same column
    still reads the column.)"""
    if FALSE_ANSWERS not in table.columns or BLANK_ANSWERS not in table.columns:
        return {}
    schema = table.schema()
    order = answer_columns((name, dtype.is_boolean()) for name, dtype in schema.items())
    position = {name: p for p, name in enumerate(order)}
    return {
        ind.id: position[ind.column]
        for ind in indicators
        if ind.rule == "is_false" and ind.column in position
    }


def _spread_household_indicators(persons: ir.Table, spec: Spec) -> ir.Table:
    """A household indicator is deprived (missing) for every member when any applicable
    member is; a household-level value repeated on each row is the special case where all
    members agree. One GROUP BY household and one join (cheaper than a window per
    indicator); a person without a household id is a household of one."""
    household = [j for j, ind in enumerate(spec.indicators) if ind.unit == "household"]
    if not household:
        return persons
    key = spec.household_column
    columns = [c for j in household for c in (miss_col(j), dep_col(j), gap_col(j))]
    columns = [c for c in columns if c in persons.columns]
    per_household = persons.group_by(key).aggregate(
        **{f"_hh{c}": persons[c].max() for c in columns}
    )
    joined = persons.left_join(per_household, persons[key] == per_household[key])
    spread = {c: ibis.coalesce(joined[f"_hh{c}"], joined[c]) for c in columns}
    return joined.select(*[spread.get(c, joined[c]).name(c) for c in persons.columns])


def _indicator_exprs(
    table: ir.Table, spec: Spec, ind: Indicator
) -> tuple[ir.IntegerValue, ir.IntegerValue, ir.FloatingValue | None]:
    # Written without COALESCE (each would be evaluated per row of every touched person):
    # IS NULL is never NULL, and FALSE AND NULL is FALSE, so no result below is NULL.
    col = table[ind.column]
    value_missing = col.isnull()
    if col.type().is_floating():
        value_missing = value_missing | col.isnan()
    known = ~value_missing & _rule_expr(col, ind)  # FALSE whenever the value is missing
    if ind.has_age_range:
        age = table[spec.age_column]
        applies = _applies(table, spec, ind)
        # An unknown age makes every age-ranged indicator unknown for that unit.
        missing = age.isnull() | (applies & value_missing)
        deprived = age.notnull() & applies & known
    else:
        missing = value_missing
        deprived = known
    gap = None
    if spec.is_cardinal:
        # Typed float64 on both sides: Spark reads a bare ``13.0`` as DECIMAL and would
        # round the quotient to 6 decimal places.
        z = _float(ind.cutoff)
        x = col.cast("float64")
        raw = (z - x) / z if ind.rule in ("lt", "le") else (x - z) / z
        gap = ibis.ifelse(deprived, raw.cast("float64"), 0.0).fill_null(0.0)
    return missing, deprived, gap


def _rule_expr(col: ir.Value, ind: Indicator) -> ir.BooleanValue:
    rule, z = ind.rule, ind.cutoff
    ctype = col.type()
    if rule in ("lt", "le", "gt", "ge"):
        if not ctype.is_numeric():
            raise SpecError(
                f"indicator {ind.id!r}: rule {rule!r} needs a numeric column, "
                f"{ind.column!r} is {ctype}"
            )
        return {"lt": col < z, "le": col <= z, "gt": col > z, "ge": col >= z}[rule]
    if rule in ("eq", "ne"):
        if isinstance(z, str) and not ctype.is_string():
            raise SpecError(
                f"indicator {ind.id!r}: cutoff {z!r} is text but {ind.column!r} is {ctype}"
            )
        return col == z if rule == "eq" else col != z
    truthy = _as_boolean(col, ind)
    return truthy if rule == "is_true" else ~truthy


def _as_boolean(col: ir.Value, ind: Indicator) -> ir.BooleanValue:
    ctype = col.type()
    if ctype.is_boolean():
        return col
    if ctype.is_integer() or ctype.is_floating():
        return col != 0
    if ctype.is_string():
        return col.lower().isin(["true", "t", "yes", "y", "1"])
    raise SpecError(
        f"indicator {ind.id!r}: rule {ind.rule!r} needs a boolean or 0/1 column, "
        f"{ind.column!r} is {ctype}"
    )


def _float(value: float) -> ir.FloatingValue:
    """A float64 literal; a bare ``0.05`` would be DECIMAL in Spark SQL."""
    return ibis.literal(float(value), type="float64")


def _sum_of(values: list[ir.NumericValue]) -> ir.NumericValue:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _max_of(values: list[ir.IntegerValue]) -> ir.IntegerValue:
    if len(values) == 1:
        return values[0]
    return ibis.greatest(*values)
