"""The three-way merge rule of an offline edit, one field at a time (base, theirs, mine)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onehome.volunteers.offline.merge import (
    EDITABLE,
    FieldOutcome,
    merge_fields,
    settle_field,
)

KEEP, APPLY, CONFLICT = FieldOutcome.KEEP, FieldOutcome.APPLY, FieldOutcome.CONFLICT


@pytest.mark.parametrize(
    ("base", "theirs", "mine", "outcome"),
    [
        ("1", "1", "1", KEEP),  # nobody changed it
        ("1", "1", "2", APPLY),  # only the phone changed it
        ("1", "2", "1", KEEP),  # only the server changed it: theirs stays
        ("1", "2", "2", KEEP),  # both made the same change
        ("1", "2", "3", CONFLICT),  # both changed it differently: a person chooses
        ("", None, "2", APPLY),  # empty text and null are one value
        (None, "", "", KEEP),
        ("", "2", "", KEEP),  # the phone did not touch an emptied-elsewhere field
        ("1", "", "2", CONFLICT),  # cleared at the centre, changed on the phone
    ],
)
def test_the_rule_for_one_field(base, theirs, mine, outcome):
    assert settle_field(base=base, theirs=theirs, mine=mine) is outcome


def test_different_fields_merge_by_themselves_and_the_same_field_conflicts():
    result = merge_fields(
        base={"phone": "081", "line_id": "a", "disability": ""},
        theirs={"phone": "082", "line_id": "a", "disability": "visual"},
        mine={"phone": "081", "line_id": "b", "disability": "hearing"},
    )
    assert result.apply == {"line_id": "b"}
    [conflict] = result.conflicts
    assert (conflict.field, conflict.base, conflict.theirs, conflict.mine) == (
        "disability",
        "",
        "visual",
        "hearing",
    )


def test_a_national_id_is_never_editable_from_the_phone():
    assert all(
        "id_number" not in fields and "id_type" not in fields for fields in EDITABLE.values()
    )


values = st.sampled_from(["", "a", "b", "c"])


@given(base=values, theirs=values, mine=values)
def test_nothing_is_overwritten_silently(base, theirs, mine):
    """Whatever the three values: the server's value is replaced only when the server had
    not changed it, and a change made on both sides to different values is never lost."""
    outcome = settle_field(base=base, theirs=theirs, mine=mine)
    if outcome is APPLY:
        assert theirs == base and mine != base
    if theirs != base and mine not in (base, theirs):
        assert outcome is CONFLICT
    if mine == base:
        assert outcome is KEEP
