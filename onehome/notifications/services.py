"""Notifications: an in-app inbox first, then any number of pluggable senders.

`notify()` writes one `Notification` row per user in the caller's transaction, so the
inbox is never lost. The senders in ``settings.ONEHOME_NOTIFY_SENDERS`` (dotted paths of
classes with ``send(notification) -> bool``) run only after the transaction commits: a
rolled-back change notifies nobody, and a failing sender is logged and skipped without
touching the inbox or the other senders. ``Notification.sent_via`` lists the channels that
delivered (``"app"`` always).

SMS and LINE plug in by subclassing `SmsSender` / `LineSender` and naming the subclass in
the setting. Neither base class talks to a network: a gateway contract is a deployment
decision, and tests must never send a message. `LoggingSender` stands in for them by default.

Titles and bodies go to people's phones and mail boxes: callers put case numbers and
what to do in them, never names or details of the people on a case.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone
from django.utils.module_loading import import_string

from onehome.access.audit import record
from onehome.access.models import AuditAction, User

from . import calendar
from .models import Case, Notification

logger = logging.getLogger(__name__)

IN_APP = "app"


class Sender:
    """Delivers a notification over one channel. Returns whether it was delivered (False
    when the user cannot be reached this way); raises on a failure of the channel."""

    channel = ""

    def send(self, notification: Notification) -> bool:
        raise NotImplementedError


class EmailSender(Sender):
    channel = "email"

    def send(self, notification: Notification) -> bool:
        address = notification.user.email
        if not address:
            return False
        body = notification.body or notification.title
        send_mail(notification.title, body, None, [address], fail_silently=False)
        return True


class LoggingSender(Sender):
    """Writes a line to the log instead of sending: the default stand-in for SMS and LINE.
    Logs ids and the kind only, no personal data."""

    channel = "log"

    def send(self, notification: Notification) -> bool:
        logger.info(
            "notification %s kind=%s user=%s case=%s",
            notification.pk,
            notification.kind,
            notification.user_id,
            notification.case_id,
        )
        return True


class SmsSender(Sender):
    """Base of an SMS gateway sender. A subclass implements `phone_of` (where the number
    is kept for the deployment) and `deliver` (the gateway call, with a timeout)."""

    channel = "sms"
    max_length = 160

    def phone_of(self, user: User) -> str:
        return ""

    def deliver(self, phone: str, text: str) -> None:
        raise NotImplementedError("configure an SMS gateway sender")

    def send(self, notification: Notification) -> bool:
        phone = self.phone_of(notification.user)
        if not phone:
            return False
        self.deliver(phone, notification.title[: self.max_length])
        return True


class LineSender(Sender):
    """Base of a LINE Messaging API sender. A subclass implements `line_id_of` (the LINE
    user id the person linked to their account) and `deliver` (the push call)."""

    channel = "line"

    def line_id_of(self, user: User) -> str:
        return ""

    def deliver(self, line_user_id: str, text: str) -> None:
        raise NotImplementedError("configure a LINE sender")

    def send(self, notification: Notification) -> bool:
        line_id = self.line_id_of(notification.user)
        if not line_id:
            return False
        text = notification.title + (f"\n{notification.body}" if notification.body else "")
        self.deliver(line_id, text)
        return True


def format_when(moment: dt.datetime | None) -> str:
    """A deadline as Bangkok wall-clock time in the active language's format."""
    if moment is None:
        return "-"
    return formats.date_format(calendar.in_bangkok(moment), "DATETIME_FORMAT")


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


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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
