"""Reads of the audit log, for auditors."""

import datetime as dt

from django.db.models import QuerySet

from .models import AuditEvent, Role, User
from .scope import scoped

AUDIT_ROLES = frozenset({Role.AUDITOR, Role.ADMIN})


def can_read_audit(user: User) -> bool:
    return user.is_authenticated and user.has_role(*AUDIT_ROLES)


def audit_events(
    *,
    user: User,
    person_id: int | None = None,
    actor: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events about subjects in the auditor's area (nation-wide auditors also see events
    with no area, such as searches and data loads)."""
    qs = scoped(user, AuditEvent.objects.all(), roles=AUDIT_ROLES)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if actor:
        qs = qs.filter(actor_username=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
