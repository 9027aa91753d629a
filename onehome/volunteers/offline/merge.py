"""Field-by-field three-way merge of an offline edit (base, theirs, mine).

A volunteer edits a household or a member on the phone, offline, on the copy the last
restore gave them (*base*, at `base_version`). Meanwhile someone may have changed the same
record on the server (*theirs*). The phone's values are *mine*. Each field is settled on
its own by `settle_field`, the readable rule:

    base → theirs   base → mine     outcome
    unchanged       unchanged       KEEP      nothing to do
    unchanged       changed         APPLY     only the phone changed it: take mine
    changed         unchanged       KEEP      only the server changed it: keep theirs
    changed         changed, same   KEEP      both made the same change: already there
    changed         changed, other  CONFLICT  a person chooses; theirs stays meanwhile

So different fields merge by themselves and nothing is overwritten silently. Only the
fields in `EDITABLE` may come from a phone: contact and address details a volunteer sees
at the door, never a national ID, a name or anything that moves a person between areas.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from onehome.volunteers.models import ChangeTarget

# What a phone may change, per kind of record (the registry services apply them).
EDITABLE: dict[str, tuple[str, ...]] = {
    ChangeTarget.HOUSEHOLD: ("house_no", "address_detail"),
    ChangeTarget.PERSON: ("phone", "line_id", "disability"),
}


class FieldOutcome(StrEnum):
    KEEP = "keep"
    APPLY = "apply"
    CONFLICT = "conflict"


def same_value(a: Any, b: Any) -> bool:
    """One value for the merge: the phone sends "" and the server may hold None for an
    empty text."""
    return (a if a is not None else "") == (b if b is not None else "")


def settle_field(*, base: Any, theirs: Any, mine: Any) -> FieldOutcome:
    """The rule of the module docstring's table, for one field."""
    if same_value(mine, base) or same_value(mine, theirs):
        return FieldOutcome.KEEP
    if same_value(theirs, base):
        return FieldOutcome.APPLY
    return FieldOutcome.CONFLICT


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any
    theirs: Any
    mine: Any


@dataclass
class MergeResult:
    """What to write (`apply`: field → mine) and what waits for a person (`conflicts`)."""

    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)


def merge_fields(*, base: dict, theirs: dict, mine: dict) -> MergeResult:
    """Settle every field the phone sent (`mine`'s keys) against `base` and `theirs` (the
    caller checks that `base` names every field of `mine`: without it nothing is known)."""
    result = MergeResult()
    for name, value in mine.items():
        outcome = settle_field(base=base.get(name), theirs=theirs.get(name), mine=value)
        if outcome is FieldOutcome.APPLY:
            result.apply[name] = value
        elif outcome is FieldOutcome.CONFLICT:
            result.conflicts.append(
                FieldConflict(field=name, base=base.get(name), theirs=theirs.get(name), mine=value)
            )
    return result
