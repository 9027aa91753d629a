"""Complementary suppression: no hidden cell of a table can be derived from a total by
subtracting the cells shown beside it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from onehome.access.disclosure import SMALL_CELL, Sum, complementary_suppression


def _small(values: dict) -> set:
    return {k for k, n in values.items() if 0 < n < SMALL_CELL}


def _derivable(hidden: set, sums: list[Sum]) -> list[Sum]:
    """The sums that hide exactly one cell: total minus the shown parts gives it back."""
    return [s for s in sums if sum(m in hidden for m in (*s.parts, s.total)) == 1]


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    values = {"a": 3, "b": 12, "c": 7, "all": 22}
    sums = [Sum(total="all", parts=("a", "b", "c"))]
    assert complementary_suppression(values, {"a"}, sums) == {"a", "c"}


def test_two_small_cells_are_enough():
    values = {"a": 3, "b": 12, "c": 2, "all": 17}
    sums = [Sum(total="all", parts=("a", "b", "c"))]
    assert complementary_suppression(values, {"a", "c"}, sums) == {"a", "c"}


def test_a_zero_does_not_protect_and_the_total_goes_instead():
    # The user's own cell "b" is known to them; "c" is zero: only the total is left to hide.
    values = {"a": 3, "b": 12, "c": 0, "all": 15}
    sums = [Sum(total="all", parts=("a", "b", "c"))]
    assert complementary_suppression(values, {"a"}, sums, known={"b"}) == {"a", "all"}


def test_hiding_spreads_across_rows_and_columns():
    # 2×2 table with row and column totals: hiding (1,1) for its row hides (1,2), whose
    # column then needs (2,2), whose row needs (2,1).
    values = {(1, 1): 3, (1, 2): 9, (2, 1): 8, (2, 2): 10, "r1": 12, "r2": 18}
    values |= {"c1": 11, "c2": 19, "all": 30}
    sums = [
        Sum(total="r1", parts=((1, 1), (1, 2))),
        Sum(total="r2", parts=((2, 1), (2, 2))),
        Sum(total="c1", parts=((1, 1), (2, 1))),
        Sum(total="c2", parts=((1, 2), (2, 2))),
    ]
    hidden = complementary_suppression(values, {(1, 1)}, sums)
    assert hidden == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert not _derivable(hidden, sums)


def test_nothing_small_hides_nothing():
    values = {"a": 5, "b": 0, "all": 5}
    assert complementary_suppression(values, set(), [Sum(total="all", parts=("a", "b"))]) == set()


@st.composite
def tables(draw):
    """A table of counts with a total per row, per column, and overall."""
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 4))
    cells = draw(st.lists(st.integers(0, 30), min_size=rows * columns, max_size=rows * columns))
    values = {(r, c): cells[r * columns + c] for r in range(rows) for c in range(columns)}
    sums = []
    for r in range(rows):
        values[(r, "total")] = sum(values[(r, c)] for c in range(columns))
        sums.append(Sum(total=(r, "total"), parts=tuple((r, c) for c in range(columns))))
    for c in [*range(columns), "total"]:
        values[("total", c)] = sum(values[(r, c)] for r in range(rows))
        sums.append(Sum(total=("total", c), parts=tuple((r, c) for r in range(rows))))
    return values, sums


@given(tables())
@settings(deadline=None)  # timing is not the property; a loaded run took 613 ms
def test_no_small_cell_of_any_table_survives_subtraction(table):
    values, sums = table
    small = _small(values)
    hidden = complementary_suppression(values, small, sums)
    assert small <= hidden
    assert not _derivable(hidden, sums)


@given(tables(), st.data())
@settings(deadline=None)  # timing is not the property; a loaded run took 613 ms
def test_known_cells_are_never_hidden(table, data):
    values, sums = table
    known = set(data.draw(st.sets(st.sampled_from(sorted(values, key=str)))))
    small = _small(values) - known
    hidden = complementary_suppression(values, small, sums, known=known)
    assert small <= hidden and not hidden & known
    # Where a sum still shows one hidden cell, every other cell of it is the user's own
    # or zero: the user could add those up anyway.
    for s in _derivable(hidden, sums):
        assert all(m in hidden or m in known or not values[m] for m in (*s.parts, s.total))


@st.composite
def trees(draw):
    """An area tree (nation, provinces, districts...) of counts in two columns: each area's
    count is the sum of its children's, the sums a run's whole tree publishes."""
    values, sums = {}, []

    def grow(code: str, depth: int) -> dict[str, int]:
        children = draw(st.integers(0 if depth else 1, 4)) if depth < 3 else 0
        if not children:
            counts = {c: draw(st.integers(0, 25)) for c in ("q", "n")}
        else:
            below = [grow(f"{code}{i}", depth + 1) for i in range(children)]
            counts = {c: sum(b[c] for b in below) for c in ("q", "n")}
            for c in ("q", "n"):
                sums.append(
                    Sum(total=(code, c), parts=tuple((f"{code}{i}", c) for i in range(children)))
                )
        values.update({(code, c): v for c, v in counts.items()})
        return counts

    grow("", 0)
    return values, sums


@given(trees(), st.data())
@settings(deadline=None)  # timing is not the property; a loaded run took 613 ms
def test_no_small_cell_of_an_area_tree_survives_subtraction(tree, data):
    # A run's whole tree in one pass: what one level hides as a complement, the level
    # under it must guard too, down to the villages.
    values, sums = tree
    known = set(data.draw(st.sets(st.sampled_from(sorted(values, key=str)))))
    small = _small(values) - known
    hidden = complementary_suppression(values, small, sums, known=known)
    assert small <= hidden and not hidden & known
    for s in _derivable(hidden, sums):
        assert all(m in hidden or m in known or not values[m] for m in (*s.parts, s.total))
