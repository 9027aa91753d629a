"""The one pass over a round's people: per-village totals, and the few people whose
deprivation pattern can be non-zero (see docs/performance.md, "Targeting").

A person whose row is fine in every indicator, in a household where no row has a
household-level deprivation or gap, adds one to ``rows`` and ``n`` of their village and
nothing else. So a run needs, from the whole round, only the count of people and
households per village, and the rows of the *touched* people. Both read few columns.

The survey import writes two run-ready columns into every round (``docs/targeting.md``):

- ``_household_size``: the members of the person's household. With it the households of a
  village are ``Σ 1/size`` (no GROUP BY over 12.9 M household ids), and a household whose
  members are all touched needs no second look.
- ``_id_number``: the person key as a BIGINT when it is a national ID (the welfare-card
  list carries the same column), so the target-poor look-up joins integers.

A file without them (the CLI's ``mpi compute --data``, or an older round) is handled the
slow way: households are counted by a GROUP BY, and every member of a household with a
household-level flag is fetched by a semi-join.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import ibis
import ibis.expr.types as ir
import pandas as pd

from onehome.targeting.backends import materialized
from onehome.targeting.deprivation import bits_or, household_mask, own_bits, touched
from onehome.targeting.round_format import HOUSEHOLD_SIZE, ID_NUMBER, PERSON_KEY, VILLAGE
from onehome.targeting.spec import Spec


def village_totals(people: ir.Table, spec: Spec) -> pd.DataFrame:
    """People (``all_rows``) and households per village."""
    if HOUSEHOLD_SIZE in people.columns:
        share = 1.0 / people[HOUSEHOLD_SIZE].cast("float64")
        frame = (
            people.group_by(VILLAGE)
            .aggregate(all_rows=people.count(), households=share.sum())
            .to_pandas()
        )
        # Each household's shares sum to exactly 1; the float sum is within 1e-9 of it.
        frame["households"] = frame["households"].round().astype("int64")
        return frame
    per_household = people.group_by([VILLAGE, spec.household_column]).aggregate(
        _members=people.count()
    )
    return (
        per_household.group_by(VILLAGE)
        .aggregate(all_rows=per_household._members.sum(), households=per_household.count())
        .to_pandas()
    )


@contextmanager
def touched_people(people: ir.Table, spec: Spec) -> Iterator[ir.Table]:
    """Every person whose pattern can be non-zero, kept (materialised) while the block runs:
    village, household, key, the run-ready columns, and ``_dep_own``/``_miss_own``, the
    bits of the person's own values (``deprivation.own_bits``). A cardinal spec also
    keeps the indicator columns, for the gaps.

    That is each touched row, plus each untouched member of a household where some row
    is deprived or missing in a household-level indicator: it spreads to them.
    """

    def narrow(rows: ir.Table) -> ir.Table:
        dep, miss = own_bits(rows, spec)
        return rows.select(*_kept_columns(people, spec), _dep_own=dep, _miss_own=miss)

    with materialized(narrow(people.filter(touched(people, spec)))) as first:
        wanted = _households_to_complete(first, people, spec)
        if wanted is None:
            yield first
            return
        rest = people.semi_join(wanted, spec.household_column).filter(~touched(people, spec))
        with materialized(first.union(narrow(rest).cast(first.schema()))) as complete:
            yield complete


def _kept_columns(people: ir.Table, spec: Spec) -> list[str]:
    names = [VILLAGE, spec.household_column]
    names += [c for c in (HOUSEHOLD_SIZE, ID_NUMBER) if c in people.columns]
    if ID_NUMBER not in people.columns:
        names.append(PERSON_KEY)
    if spec.is_cardinal:
        names += [i.column for i in spec.indicators]
        if spec.needs_age:
            names.append(spec.age_column)
    return list(dict.fromkeys(names))


def _households_to_complete(first: ir.Table, people: ir.Table, spec: Spec) -> ir.Table | None:
    """Households deprived or missing in a household-level indicator whose members are
    not all in ``first`` (one column, the household id), or None when there are none."""
    mask = household_mask(spec)
    if not mask:
        return None
    hh = spec.household_column
    flagged = ((first._dep_own | first._miss_own) & mask) != 0
    metrics = {"_flag": flagged.cast("int64").max()}
    sized = HOUSEHOLD_SIZE in people.columns
    if sized:
        metrics.update(_rows=first.count(), _size=first[HOUSEHOLD_SIZE].max())
    per = first.group_by(hh).aggregate(**metrics)
    wanted = per.filter(per._flag == 1)
    if sized:  # every member already touched: nothing to fetch
        wanted = wanted.filter(wanted._rows < wanted._size)
    wanted = wanted.select(hh)
    if int(wanted.count().to_pyarrow().as_py()) == 0:
        return None
    return wanted


def spread(t: ir.Table, spec: Spec) -> ir.Table:
    """``t`` with ``_dep_bits``/``_miss_bits``: own bits OR the household's bits in the
    household-level indicators (any applicable member deprived or missing)."""
    mask = household_mask(spec)
    if not mask:
        return t.mutate(_dep_bits=t._dep_own, _miss_bits=t._miss_own)
    hh = spec.household_column
    per = t.group_by(hh).aggregate(
        _hdep=bits_or(t, "_dep_own", mask), _hmiss=bits_or(t, "_miss_own", mask)
    )
    # A left join: a row without a household id is a household of one (no match).
    joined = t.left_join(per, t[hh] == per[hh])
    return joined.select(
        *t.columns,
        _dep_bits=joined._dep_own | joined._hdep.fill_null(0),
        _miss_bits=joined._miss_own | joined._hmiss.fill_null(0),
    )


def target_flag(t: ir.Table, candidates: ir.Table, welfare_ids: ir.Table | None) -> ir.IntegerValue:
    """1 for a poor person of ``t`` on the welfare-card list. The list (≈ 11 M ids
    nationally) is probed with the keys of ``candidates`` (the touched people, a
    materialised table), never loaded into a hash table of its own."""
    if welfare_ids is None:
        return ibis.literal(0, type="int64")
    if ID_NUMBER not in t.columns:  # a file without run-ready columns: text keys
        mine, ours, theirs = t[PERSON_KEY], candidates[PERSON_KEY], welfare_ids.national_id
    elif ID_NUMBER in welfare_ids.columns:
        mine, ours, theirs = t[ID_NUMBER], candidates[ID_NUMBER], welfare_ids[ID_NUMBER]
    else:  # a list imported before it had the number: its ids are validated digits
        theirs = welfare_ids.national_id.cast("int64")
        mine, ours = t[ID_NUMBER], candidates[ID_NUMBER]
    listed = welfare_ids.select(_key=theirs)
    listed = listed.filter(listed._key.isin(candidates.select(_key=ours)._key))
    return ((t._poor == 1) & mine.isin(listed._key).fill_null(False)).cast("int64")
