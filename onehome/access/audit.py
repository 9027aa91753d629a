"""Writing to the audit log. Reads of personal data and every write call these."""

import datetime as dt
import decimal
import uuid
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models

from .middleware import request_context, request_purpose
from .models import AuditAction, AuditEvent, User


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, for before/after records."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def subdistrict_of(obj: models.Model) -> str:
    """The sub-district code of a scoped record, following its `scope_field` path."""
    path = getattr(obj, "scope_field", "")
    if not path:
        return ""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return ""
    return getattr(obj, f"{last}_id", None) or getattr(obj, last, "") or ""


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    person_id: int | None = None,
    household_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    purpose: str = "",
    subdistrict_code: str = "",
    save: bool = True,
) -> AuditEvent:
    """Write one audit row (chained, `AuditEvent.save`). With ``save=False`` the row is only
    made, for `record_all` to write with others."""
    ip, channel = request_context.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        subdistrict_code = subdistrict_code or subdistrict_of(obj)
    event = AuditEvent(
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        household_id=household_id,
        before=before,
        after=after,
        purpose=(purpose or request_purpose.get())[:200],
        subdistrict_code=subdistrict_code,
        channel=channel,
        ip=ip,
    )
    if save:
        event.save()
    return event


def record_all(rows: list[dict[str, Any]]) -> list[AuditEvent]:
    """Several `record`s (each a dict of its arguments) written in one statement, chained
    in this order: a batch of writes audited row by row at the cost of one."""
    return AuditEvent.objects.append([record(**row, save=False) for row in rows])


def record_read(*, actor: User, obj: models.Model, purpose: str, **ids: int | None) -> None:
    record(actor=actor, action=AuditAction.READ, obj=obj, purpose=purpose, **ids)


# --- reads of lists (issue 14, point 2) ------------------------------------------------------
#
# A list, a search or an export that returns personal data writes ONE row per request, whose
# `after` names the records returned, in the order returned: {"ids": [...]} for one kind of
# record, {"ids": {"<app.model>": [...], ...}} for a page that shows several kinds. A list
# that returns nothing writes its row too, with no ids: that someone looked is itself on the
# record. The row is one INSERT: the ids come from the rows already read, never from a query.

LIST = "list"  # the object_id of a list row


def current_purpose(default: str = "") -> str:
    """The purpose the client stated for this request (the `X-Purpose` header), else
    `default` (a page's own purpose, or the endpoint an API call reached)."""
    return request_purpose.get() or default


def record_list(
    *,
    actor: User | None,
    object_type: str,
    ids: list | dict[str, list],
    purpose: str = "",
    action: str = AuditAction.READ,
    object_id: str = LIST,
    after: dict | None = None,
    subdistrict_code: str = "",
) -> AuditEvent:
    """The one audit row of a list, search or export: who read which records, and why."""
    named = {k: list(v) for k, v in ids.items()} if isinstance(ids, dict) else list(ids)
    return record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        after={"ids": named, **(after or {})},
        purpose=purpose,
        subdistrict_code=subdistrict_code,
    )


def _label(kind: str | type[models.Model]) -> str:
    return kind if isinstance(kind, str) else kind._meta.label_lower


def listed(
    actor: User, rows, *, kind: str | type[models.Model], purpose: str, key: str = "pk"
) -> list:
    """``rows`` as a list, read once, with the row of their reading written: a page's list
    (``key`` names the id: an attribute, or a key of dict rows)."""
    rows = list(rows)
    ids = [row[key] if isinstance(row, dict) else getattr(row, key) for row in rows]
    record_list(actor=actor, object_type=_label(kind), ids=ids, purpose=current_purpose(purpose))
    return rows


def record_shown(actor: User, shown: dict[str, list], *, purpose: str) -> AuditEvent:
    """The one row of a page that shows several lists of records: ``shown`` maps each
    kind ("cases.case") to the records of it the page lists (a record listed twice is named
    once, where it first appears)."""
    ids = {kind: list(dict.fromkeys(row.pk for row in rows)) for kind, rows in shown.items()}
    return record_list(actor=actor, object_type="page", ids=ids, purpose=current_purpose(purpose))


def audited_page(
    actor: User, rows, number, *, per_page: int, kind: str | type[models.Model], purpose: str
) -> Page:
    """Page ``number`` of ``rows`` (Django's `Paginator.get_page`), its rows read and their
    reading written: the ids are those of the page shown, not of the whole list."""
    page = Paginator(rows, per_page).get_page(number)
    page.object_list = listed(actor, page.object_list, kind=kind, purpose=purpose)
    return page


def record_reveals(actor: User, people, *, purpose: str = "reveal id") -> None:
    """One row per person whose full national ID number is shown (`?reveal=1`)."""
    for person in people:
        record(
            actor=actor,
            action=AuditAction.READ,
            obj=person,
            person_id=person.pk,
            purpose=purpose,
        )
