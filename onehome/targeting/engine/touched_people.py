"""The full run's one pass over a round's people: the few people whose deprivation pattern
can be non-zero (the *touched* people), the spread of household deprivations to their
members, and the target-poor look-up on the welfare-card list (docs/performance.md,
"Targeting").

A person whose row is fine in every indicator, in a household where no row has a
household-level deprivation or gap, adds one to ``rows`` and ``n`` of their village and
nothing else. So a run needs, from the whole round, only the count of people and
households per village (``village_totals``), and the rows of the touched people. Both
read few columns.

The survey import writes two run-ready columns into every round (``docs/targeting.md``):

- ``_household_size``: the members of the person's household. With it the households of a
  village are ``Σ 1/size`` (no GROUP BY over every household id), and the untouched
  members of a flagged household are ``size −`` its touched rows: counted with the
  household's bits, read only when they are poor (the welfare list needs their key).
- ``_id_number``: the person key as a BIGINT when it is a national ID (the welfare-card
  list carries the same column), so the target-poor look-up joins integers.

A file without them (the CLI's ``mpi compute --data``, or an older round) is handled the
slow way: households are counted by a GROUP BY, and every member of a household with a
household-level flag is fetched by a semi-join.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd

from onehome.targeting.engine.backends import materialized
from onehome.targeting.engine.deprivation import (
    bits_or,
    household_mask,
    own_bits,
    poverty_from_bits,
    touched,
)
from onehome.targeting.engine.run_ready_columns import (
    HOUSEHOLD_SIZE,
    ID_NUMBER,
    PERSON_KEY,
    VILLAGE,
    VILLAGE_NUMBER,
)
from onehome.targeting.engine.spec import Spec


@dataclass
class Touched:
    """What a run needs of a round besides the per-village totals.

    - ``people``: every touched row (village, household, key, the run-ready columns and
      ``_dep_own``/``_miss_own``, the bits of the row's own values), plus the untouched
      members who are poor through their household: their key goes to the welfare list.
    - ``households``: one row per household with a household-level deprivation or gap
      (``_hdep``/``_hmiss``, the OR of its members' household bits), or None when the
      spec has no household-level indicator.
    - ``untouched``: the other untouched members of those households, as patterns
      (village, bits, validity, poverty, count). Their bits are the household's and
      nothing else, so they are counted, never read.
    """

    people: ir.Table
    households: ir.Table | None
    untouched: pd.DataFrame | None


@contextmanager
def touched_people(people: ir.Table, spec: Spec) -> Iterator[Touched]:
    """The touched people of ``people`` and their households, materialised while the block
    runs. A cardinal spec also keeps the indicator columns, for the gaps."""

    def narrow(rows: ir.Table) -> ir.Table:
        dep, miss = own_bits(rows, spec)
        return rows.select(*_kept_columns(rows, spec), _dep_own=dep, _miss_own=miss)

    with materialized(narrow(people.filter(touched(people, spec)))) as first:
        mask = household_mask(spec)
        if not mask:
            yield Touched(first, None, None)
            return
        sized = HOUSEHOLD_SIZE in people.columns
        with materialized(_flagged_households(first, spec, mask, sized=sized)) as flagged:
            untouched = _untouched_patterns(flagged) if sized else None
            wanted = _households_to_complete(flagged, spec, sized=sized)
            if wanted is None:
                yield Touched(first, flagged, untouched)
                return
            hh = spec.household_column
            rest = people.semi_join(wanted, hh).filter(~touched(people, spec))
            with materialized(first.union(narrow(rest).cast(first.schema()))) as complete:
                yield Touched(complete, flagged, untouched)


def _kept_columns(people: ir.Table, spec: Spec) -> list[str | ir.Value]:
    """The columns the rest of a run reads of a touched person. The village is the
    run-ready number when the round has it (``run_ready_columns.VILLAGE_NUMBER``): grouping,
    joining and sorting it costs far less than the text."""
    if VILLAGE_NUMBER in people.columns:
        village: str | ir.Value = people[VILLAGE_NUMBER].cast("int64").name(VILLAGE)
    else:
        village = VILLAGE
    names = [spec.household_column]
    names += [c for c in (HOUSEHOLD_SIZE, ID_NUMBER) if c in people.columns]
    if ID_NUMBER not in people.columns:
        names.append(PERSON_KEY)
    if spec.is_cardinal:
        names += [i.column for i in spec.indicators]
        if spec.needs_age:
            names.append(spec.age_column)
    return [village, *dict.fromkeys(n for n in names if n != VILLAGE)]


def _flagged_households(first: ir.Table, spec: Spec, mask: int, *, sized: bool) -> ir.Table:
    """Households where some touched row is deprived or missing in a household-level
    indicator: ``_hdep``/``_hmiss``. With the run-ready size also the village, the touched
    rows and the size, and ``_valid``/``_poor`` of a member carrying only these bits."""
    hh = spec.household_column
    rows = first.filter(first[hh].notnull())  # no household id: a household of one
    metrics = {"_hdep": bits_or(rows, "_dep_own", mask), "_hmiss": bits_or(rows, "_miss_own", mask)}
    if sized:
        metrics.update(
            {VILLAGE: rows[VILLAGE].arbitrary()},  # a household lives in one village
            _rows=rows.count(),
            _size=rows[HOUSEHOLD_SIZE].max().cast("int64"),
        )
    per = rows.group_by(hh).aggregate(**metrics)
    per = per.filter((per._hdep | per._hmiss) != 0)
    if not sized:
        return per
    member = poverty_from_bits(per._hdep, per._hmiss, spec)
    return per.mutate(_valid=member["_valid"], _poor=member["_poor"])


def _households_to_complete(flagged: ir.Table, spec: Spec, *, sized: bool) -> ir.Table | None:
    """Households whose untouched members must be read (one column, the household id), or
    None when there are none: with the run-ready size, those where such a member is poor
    (the welfare list needs their key); without it, every flagged household."""
    wanted = flagged
    if sized:
        wanted = flagged.filter((flagged._rows < flagged._size) & (flagged._poor == 1))
    wanted = wanted.select(spec.household_column)
    if int(wanted.count().to_pyarrow().as_py()) == 0:
        return None
    return wanted


def _untouched_patterns(flagged: ir.Table) -> pd.DataFrame:
    """The untouched, not poor members of flagged households, as patterns of
    ``full_run``'s grouping (the poor ones are read instead: ``_households_to_complete``)."""
    rest = flagged.filter((flagged._rows < flagged._size) & (flagged._poor == 0))
    village = rest[VILLAGE].cast("int64").name(VILLAGE)
    keys = [village, rest._hdep.name("_dep_bits"), rest._hmiss.name("_miss_bits")]
    keys += [ibis.literal(0, type="int64").name("_target"), "_valid", "_poor"]
    return rest.group_by(keys).aggregate(_count=(rest._size - rest._rows).sum()).to_pandas()


def spread(t: ir.Table, households: ir.Table | None, spec: Spec) -> ir.Table:
    """``t`` with ``_dep_bits``/``_miss_bits``: own bits OR the household's bits in the
    household-level indicators (``Touched.households``: any applicable member deprived
    or missing)."""
    if households is None:
        return t.mutate(_dep_bits=t._dep_own, _miss_bits=t._miss_own)
    hh = spec.household_column
    flags = households.select(hh, "_hdep", "_hmiss")
    # A left join: a household without a flag, or a row without a household id, has none.
    joined = t.left_join(flags, t[hh] == flags[hh])
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
