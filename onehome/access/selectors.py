"""Reads of the audit log, for auditors."""

import datetime as dt

from django.db.models import QuerySet

from .models import AuditEvent, User
from .roles import Action, may
from .scope import scoped


def can_read_audit(user: User) -> bool:
    return may(user, Action.READ_AUDIT_LOG)


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
    qs = scoped(user, AuditEvent.objects.all(), action=Action.READ_AUDIT_LOG)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if actor:
        qs = qs.filter(actor_username=actor)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
