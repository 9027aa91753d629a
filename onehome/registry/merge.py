"""Merging two records of one person, and undoing it.

Every foreign key that points at Person — memberships today, cases and visits as those
apps arrive — is found through Django's model metadata, so a new link is moved without
anyone remembering to add it here. Each moved row is listed in the PersonMerge record,
which is what makes the merge exactly reversible.
"""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.scope import in_scope
from onehome.errors import NotInScopeError, ValidationError

from .models import Membership, Person, PersonMerge

# Links that describe the merge itself and must not be moved by it.
NOT_MOVED = {
    ("registry.person", "merged_into"),
    ("registry.personmerge", "kept"),
    ("registry.personmerge", "duplicate"),
}


def person_links() -> list[tuple[type, str]]:
    """(model, field name) of every foreign key to Person that a merge moves."""
    links = []
    for rel in Person._meta.related_objects:
        if rel.many_to_many:
            # A many-to-many link (a visit's "who was present") is a table of rows with a
            # foreign key to Person: those rows are moved, like any other link.
            through = rel.through
            fk = next(f for f in through._meta.fields if f.related_model is Person)
            links.append((through, fk.name))
            continue
        key = (rel.related_model._meta.label_lower, rel.field.name)
        if key not in NOT_MOVED:
            links.append((rel.related_model, rel.field.name))
    return links


def _drop_shared_rows(model, field: str, *, kept: Person, duplicate: Person) -> dict | None:
    """A many-to-many row of the duplicate whose other side already holds the kept record
    (both records "present" at one visit) cannot be moved: the pair would be there twice.
    It is deleted, and the other sides are listed so an undo puts the rows back."""
    if not model._meta.auto_created:
        return None
    other = next(
        f.name
        for f in model._meta.fields
        if f.is_relation and f.name != field and f.related_model is not None
    )
    held = model.objects.filter(**{field: kept}).values_list(f"{other}_id", flat=True)
    shared = model.objects.filter(**{field: duplicate, f"{other}_id__in": held})
    others = sorted(shared.values_list(f"{other}_id", flat=True))
    if not others:
        return None
    shared.delete()
    return {"model": model._meta.label_lower, "field": field, "other": other, "dropped": others}


def _check_merger(actor: User, *people: Person) -> None:
    if not actor.merges_people or not all(
        in_scope(actor, subdistrict_code=p.subdistrict_id) for p in people
    ):
        raise NotInScopeError


@transaction.atomic
def merge_people(*, actor: User, kept_id: int, duplicate_id: int, reason: str) -> PersonMerge:
    people = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept_id, duplicate_id])
    }
    kept, duplicate = people.get(kept_id), people.get(duplicate_id)
    if kept is None or duplicate is None:
        raise NotInScopeError
    _check_merger(actor, kept, duplicate)
    if kept.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themself."), code="same")
    if kept.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these records is already merged."), code="merged")
    if not (reason or "").strip():
        raise ValidationError(_("Say why these records are the same person."), code="reason")
    current = Membership.objects.filter(person__in=[kept, duplicate], end_date__isnull=True)
    if current.count() > 1:
        raise ValidationError(
            _("Both records live in a household now. End one of the two stays first."),
            code="two_households",
        )
    moved = []
    for model, field in person_links():
        dropped = _drop_shared_rows(model, field, kept=kept, duplicate=duplicate)
        if dropped:
            moved.append(dropped)
        ids = list(model.objects.filter(**{field: duplicate}).values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: kept})
            moved.append({"model": model._meta.label_lower, "field": field, "ids": ids})
    duplicate.merged_into = kept
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    merge = PersonMerge.objects.create(
        kept=kept, duplicate=duplicate, reason=reason.strip(), moved=moved, merged_by=actor
    )
    for pid in (kept.pk, duplicate.pk):
        audit.record(
            actor=actor,
            action=AuditAction.MERGE,
            obj=merge,
            person_id=pid,
            after={"kept": kept.pk, "duplicate": duplicate.pk, "moved": moved},
            purpose=reason.strip(),
        )
    return merge


@transaction.atomic
def undo_merge(*, actor: User, merge_id: int, reason: str) -> PersonMerge:
    merge = (
        PersonMerge.objects.select_for_update()
        .select_related("kept", "duplicate")
        .filter(pk=merge_id)
        .first()
    )
    if merge is None:
        raise NotInScopeError
    _check_merger(actor, merge.kept)
    if merge.undone_at:
        raise ValidationError(_("This merge has already been undone."), code="undone")
    if not (reason or "").strip():
        raise ValidationError(_("Say why the merge is undone."), code="reason")
    for link in merge.moved:
        model = apps.get_model(link["model"])
        if "dropped" in link:
            model.objects.bulk_create(
                model(**{link["field"]: merge.duplicate, f"{link['other']}_id": other})
                for other in link["dropped"]
            )
            continue
        model.objects.filter(pk__in=link["ids"], **{link["field"]: merge.kept}).update(
            **{link["field"]: merge.duplicate}
        )
    duplicate = merge.duplicate
    duplicate.merged_into = None
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    for pid in (merge.kept_id, merge.duplicate_id):
        audit.record(
            actor=actor,
            action=AuditAction.UNMERGE,
            obj=merge,
            person_id=pid,
            before={"moved": merge.moved},
            purpose=reason.strip(),
        )
    return merge
