"""Writing to the audit log. Reads of personal data and every write call these."""

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from .middleware import request_context
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
) -> AuditEvent:
    ip, channel = request_context.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        subdistrict_code = subdistrict_code or subdistrict_of(obj)
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        household_id=household_id,
        before=before,
        after=after,
        purpose=purpose[:200],
        subdistrict_code=subdistrict_code,
        channel=channel,
        ip=ip,
    )


def record_read(*, actor: User, obj: models.Model, purpose: str, **ids: int | None) -> None:
    record(actor=actor, action=AuditAction.READ, obj=obj, purpose=purpose, **ids)
