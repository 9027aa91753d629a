"""Applying a phone's edit of a household or a member: merge, write, or leave for review.

The edit carries the id the phone made (`OfflineChange.client_id`): a retry finds the
change already recorded and writes nothing. The record is locked, its current values
(*theirs*) merged with the phone's (`merge.merge_fields`), the fields that merge by
themselves written through the registry's services (version bumped, audited), and each
field changed on both sides to different values kept as a `Conflict` with who made each
value; the server's value stays until centre staff choose (`review.resolve_conflict`)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry import services as registry
from onehome.registry.models import Household, Person
from onehome.volunteers.models import (
    ChangeOutcome,
    ChangeTarget,
    Conflict,
    OfflineChange,
    Volunteer,
)

from .merge import EDITABLE, merge_fields

MODELS: dict[str, type[models.Model]] = {
    ChangeTarget.HOUSEHOLD: Household,
    ChangeTarget.PERSON: Person,
}
PURPOSE = "volunteer app sync"


@dataclass(frozen=True)
class Edit:
    """One edit as the phone sent it (already shaped by the API's serializer)."""

    client_id: Any
    household_id: int
    target: str
    object_id: int
    base_version: int
    base: dict
    mine: dict
    made_at: dt.datetime


@dataclass
class EditOutcome:
    change: OfflineChange
    duplicate: bool = False
    conflicts: list[str] = field(default_factory=list)


def clean_value(target: str, name: str, value: Any) -> Any:
    """The value as the model field would store it, or a ValidationError the volunteer can
    read (a disability type that does not exist, a phone number too long)."""
    model_field = MODELS[target]._meta.get_field(name)
    if value is None and not model_field.null:
        value = ""
    try:
        return model_field.clean(value, None)
    except DjangoValidationError as exc:
        raise ValidationError(
            _("%(field)s: %(error)s")
            % {"field": model_field.verbose_name, "error": exc.messages[0]}
        ) from exc


def _check_fields(edit: Edit) -> dict:
    allowed = EDITABLE[edit.target]
    unknown = sorted(set(edit.mine) - set(allowed))
    if unknown:
        raise ValidationError(
            _("These details cannot be changed from the phone: %(f)s") % {"f": ", ".join(unknown)}
        )
    if set(edit.mine) - set(edit.base):
        raise ValidationError(_("The phone did not send the values it started from."))
    return {name: clean_value(edit.target, name, v) for name, v in edit.mine.items()}


def _lock(edit: Edit) -> models.Model:
    """The record, locked; a member must belong to the household today."""
    if edit.target == ChangeTarget.HOUSEHOLD:
        if edit.object_id != edit.household_id:
            raise NotInScopeError
        qs = Household.objects.filter(pk=edit.object_id)
    else:
        qs = Person.objects.filter(
            pk=edit.object_id,
            merged_into__isnull=True,
            memberships__household_id=edit.household_id,
            memberships__end_date__isnull=True,
        )
    obj = qs.select_for_update(of=("self",)).first()
    if obj is None:
        raise NotInScopeError
    return obj


def last_change_of(obj: models.Model, name: str) -> tuple[int | None, dt.datetime | None]:
    """Who last changed field ``name`` of ``obj`` and when, from the audit log's updates
    (the newest whose before and after differ on it); (None, None) when none says so."""
    events = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action__in=[AuditAction.UPDATE, AuditAction.CREATE],
    ).order_by("-at", "-id")[:50]
    for event in events.only("actor_id", "at", "before", "after"):
        before, after = event.before or {}, event.after or {}
        if name in after and before.get(name) != after.get(name):
            return event.actor_id, event.at
    return None, None


def lock_record(target: str, object_id: int) -> models.Model:
    """The household or person a conflict is about, locked for the reviewer's write."""
    obj = MODELS[target].objects.select_for_update().filter(pk=object_id).first()
    if obj is None:
        raise NotInScopeError
    return obj


def write_fields(actor: User, target: str, obj: models.Model, changes: dict) -> None:
    """Write ``changes`` through the registry's services (version checked and bumped,
    audited): the only way this room changes a household or a person."""
    update = (
        registry.update_household if target == ChangeTarget.HOUSEHOLD else registry.update_person
    )
    key = "household_id" if target == ChangeTarget.HOUSEHOLD else "person_id"
    update(actor=actor, expected_version=obj.version, changes=changes, purpose=PURPOSE,
           **{key: obj.pk})  # fmt: skip


@transaction.atomic
def apply_edit(*, actor: User, volunteer: Volunteer, edit: Edit) -> EditOutcome:
    """Merge one phone edit into the registry (see the module docstring). The caller has
    checked that the household is assigned to the volunteer."""
    mine = _check_fields(edit)
    obj = _lock(edit)
    # After the lock: a retry running alongside has committed its change by now.
    existing = OfflineChange.objects.filter(client_id=edit.client_id).first()
    if existing is not None:
        if existing.volunteer_id != volunteer.pk:
            raise NotInScopeError
        return EditOutcome(existing, duplicate=True)
    base = {name: edit.base.get(name) for name in mine}
    theirs = {name: getattr(obj, name) for name in mine}
    result = merge_fields(base=base, theirs=theirs, mine=mine)
    changed_meanwhile = obj.version != edit.base_version
    if result.conflicts:
        outcome = ChangeOutcome.CONFLICT
    elif result.apply:
        outcome = ChangeOutcome.MERGED if changed_meanwhile else ChangeOutcome.APPLIED
    else:
        outcome = ChangeOutcome.UNCHANGED
    change = OfflineChange.objects.create(
        client_id=edit.client_id, volunteer=volunteer, household_id=edit.household_id,
        target=edit.target, object_id=obj.pk, base_version=edit.base_version, base=base,
        mine=mine, outcome=outcome, made_at=edit.made_at,
    )  # fmt: skip
    if result.apply:
        write_fields(actor, edit.target, obj, result.apply)
    for conflict in result.conflicts:
        theirs_by, theirs_at = last_change_of(obj, conflict.field)
        Conflict.objects.create(
            change=change, household_id=edit.household_id, target=edit.target,
            object_id=obj.pk, field=conflict.field, base=conflict.base,
            theirs=conflict.theirs, theirs_by_id=theirs_by, theirs_at=theirs_at,
            mine=conflict.mine, mine_by=actor,
        )  # fmt: skip
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=change,
        household_id=edit.household_id,
        person_id=obj.pk if edit.target == ChangeTarget.PERSON else None,
        after={
            "outcome": outcome,
            "applied": sorted(result.apply),
            "conflicts": [c.field for c in result.conflicts],
        },  # fmt: skip
        purpose=PURPOSE,
    )
    return EditOutcome(change, conflicts=[c.field for c in result.conflicts])
