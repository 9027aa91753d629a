"""Notifications: an in-app inbox first, then any number of pluggable senders.

`notify()` writes one `Notification` row per user in the caller's transaction, so the
inbox is never lost. The senders in ``settings.ONEHOME_NOTIFY_SENDERS`` (dotted paths of
classes with ``send(notification) -> bool``, see `senders.py`) run only after the
transaction commits: a rolled-back change notifies nobody, and a failing sender is logged
and skipped without touching the inbox or the other senders. ``Notification.sent_via``
lists the channels that delivered (``"app"`` always).

Titles and bodies go to people's phones and mail boxes: callers put case numbers and
what to do in them, never names or details of the people on a case.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from onehome.access.audit import record
from onehome.access.models import AuditAction, User
from onehome.cases.models import Case

from .models import Notification
from .senders import Sender

logger = logging.getLogger(__name__)

IN_APP = "app"


def senders() -> list[Sender]:
    return [import_string(path)() for path in getattr(settings, "ONEHOME_NOTIFY_SENDERS", [])]


def notify(
    *, users: Iterable[User], kind: str, title: str, body: str = "", case: Case | None = None
) -> list[Notification]:
    """Put a notification in each user's inbox (once per user, active users only) and send
    it through the configured senders after the transaction commits."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                user=user, kind=kind, title=title[:200], body=body, case=case, sent_via=[IN_APP]
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    # robust: a broken sender set-up is logged; it never fails the committed change.
    transaction.on_commit(lambda: deliver(ids), robust=True)
    return created


def deliver(notification_ids: list[int]) -> None:
    """Run every sender over the notifications; one failure never stops the others."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids).select_related("user")
    )
    for sender in senders():
        for notification in notifications:
            try:
                delivered = sender.send(notification)
            except Exception:
                logger.exception(
                    "sender %s failed for notification %s", sender.channel, notification.pk
                )
                continue
            if delivered and sender.channel not in notification.sent_via:
                notification.sent_via.append(sender.channel)
    Notification.objects.bulk_update(notifications, ["sent_via"])


def mark_read(*, user: User, ids: Iterable[int]) -> int:
    """Mark the user's own notifications read; ids of other users' notifications are
    ignored. Returns how many changed."""
    wanted = [int(i) for i in ids]
    with transaction.atomic():
        changed = Notification.objects.filter(
            user=user, pk__in=wanted, read_at__isnull=True
        ).update(read_at=timezone.now())
        if changed:
            record(
                actor=user,
                action=AuditAction.UPDATE,
                object_type="cases.notification",
                object_id=",".join(map(str, wanted))[:64],
                after={"read": changed},
            )
    return changed


def mark_all_read(*, user: User) -> int:
    """Mark every notification of the user read ("Mark all read")."""
    ids = list(
        Notification.objects.filter(user=user, read_at__isnull=True).values_list("pk", flat=True)
    )
    return mark_read(user=user, ids=ids) if ids else 0
