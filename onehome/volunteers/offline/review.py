"""The review queue: centre staff settle a field changed on a phone and at the centre.

Reads go through the scoping function with REVIEW_SYNC_CONFLICTS (a conflict outside the
reviewer's area, or already settled, answers 404); the chosen value (the centre's, the
phone's, or one typed by the reviewer) is written through the registry's services, so the
record's version moves on and the write is audited like any other.

Nothing is overwritten silently: the conflict remembers the centre's value when it was
raised (*theirs*); if the record holds another value by the time the reviewer keeps the
phone's or a typed one, the choice is refused (`ChangedSinceError`, naming the value now)
unless the reviewer saw that very value and said to replace it (`replaces`)."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.errors import ValidationError
from onehome.registry.models import Person
from onehome.volunteers.models import Conflict, ConflictStatus

from .edits import MODELS, clean_value, lock_record, write_fields
from .merge import same_value

THEIRS, MINE, OTHER = "theirs", "mine", "other"
CHOICES = (THEIRS, MINE, OTHER)


def open_conflicts(user: User) -> QuerySet[Conflict]:
    """The conflicts of the user's area waiting for a choice, oldest first."""
    return scoped(
        user,
        Conflict.objects.filter(status=ConflictStatus.OPEN),
        action=Action.REVIEW_SYNC_CONFLICTS,
    ).select_related("household", "theirs_by", "mine_by", "change")


def field_label(target: str, name: str) -> str:
    return str(MODELS[target]._meta.get_field(name).verbose_name)


def shown(target: str, name: str, value: Any) -> str:
    """A value as people read it: a choice's label, "—" for empty."""
    if value in (None, ""):
        return "—"
    choices = dict(MODELS[target]._meta.get_field(name).choices or ())
    return str(choices.get(value, value))


def attach_current(conflicts: list[Conflict]) -> list[Conflict]:
    """Set ``current`` (the record's value of the field now, None when the record is gone)
    and ``changed_since`` (it is no longer the *theirs* the conflict remembers) on each
    conflict: one query per kind of record."""
    records = {
        target: MODELS[target].objects.in_bulk(
            [c.object_id for c in conflicts if c.target == target]
        )
        for target in {c.target for c in conflicts}
    }
    for conflict in conflicts:
        record = records[conflict.target].get(conflict.object_id)
        conflict.current = getattr(record, conflict.field) if record is not None else None
        conflict.changed_since = not same_value(conflict.current, conflict.theirs)
    return conflicts


def conflicts_for_page(user: User, limit: int = 200) -> list[Conflict]:
    """The review page's conflicts, their reading audited, each with its field's label,
    its values as people read them (before both changes, the centre's and the phone's
    when it was raised, and the record's now), and the member it is about (if any)."""
    rows = audit.listed(
        user, open_conflicts(user)[:limit], kind=Conflict, purpose="review of offline conflicts"
    )
    people = Person.objects.in_bulk([r.object_id for r in rows if r.target == "person"])
    attach_current(rows)
    for row in rows:
        row.person = people.get(row.object_id) if row.target == "person" else None
        row.label = field_label(row.target, row.field)
        row.shown = {k: shown(row.target, row.field, getattr(row, k))
                     for k in ("base", "theirs", "mine", "current")}  # fmt: skip
    return rows


def conflict_for_review_or_404(*, user: User, pk: int) -> Conflict:
    try:
        return open_conflicts(user).get(pk=pk)
    except (Conflict.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def chosen_value(conflict: Conflict, *, choice: str, other: Any = None) -> Any:
    if choice == THEIRS:
        return conflict.theirs
    if choice == MINE:
        return conflict.mine
    if choice == OTHER:
        return other
    raise ValidationError(_("Choose which value to keep."), code="choice")


class ChangedSinceError(ValidationError):
    """The record's value changed after the conflict was raised (and the reviewer did not
    say to replace the value it holds now): nothing was written."""

    def __init__(self, conflict: Conflict, current: Any) -> None:
        self.current = current
        super().__init__(
            _(
                "%(field)s was changed again at the centre after this conflict was raised: "
                "it is now “%(current)s”. Nothing was changed; look at the value now and "
                "choose again."
            )
            % {
                "field": field_label(conflict.target, conflict.field),
                "current": shown(conflict.target, conflict.field, current),
            },
            code="changed_since",
        )


def _refuse_changed_since(conflict: Conflict, current: Any, value: Any, replaces: Any) -> None:
    """Writing over the record is allowed only over the value the reviewer was shown: the
    centre's value the conflict remembers, or the value now when they said to replace it
    (keeping the value the record already holds overwrites nothing)."""
    if same_value(current, value) or same_value(current, conflict.theirs):
        return
    if replaces is not None and same_value(current, replaces):
        return
    raise ChangedSinceError(conflict, current)


@transaction.atomic
def resolve_conflict(
    *, actor: User, conflict_id: int, choice: str, other: Any = None, replaces: Any = None
) -> Conflict:
    """Keep the chosen value for the conflict's field: written when it differs from the
    record's value now, the conflict marked settled either way (one audited write).
    Keeping the centre's value keeps the record as it is now: a change made at the centre
    after the conflict was raised is not rolled back to the value the conflict remembers.
    Keeping the phone's or a typed value over such a later change is refused (see the
    module docstring) unless ``replaces`` is the value the record holds now."""
    conflict = conflict_for_review_or_404(user=actor, pk=conflict_id)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise Http404
    obj = lock_record(conflict.target, conflict.object_id)
    if choice == THEIRS:
        value = getattr(obj, conflict.field)
    else:
        chosen = chosen_value(conflict, choice=choice, other=other)
        value = clean_value(conflict.target, conflict.field, chosen)
        _refuse_changed_since(conflict, getattr(obj, conflict.field), value, replaces)
    if getattr(obj, conflict.field) != value:
        write_fields(actor, conflict.target, obj, {conflict.field: value})
    conflict.status = ConflictStatus.RESOLVED
    conflict.chosen = value
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["status", "chosen", "resolved_by", "resolved_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=conflict,
        household_id=conflict.household_id,
        after={"field": conflict.field, "choice": choice, "chosen": value},
        purpose="review of an offline conflict",
    )
    return conflict
