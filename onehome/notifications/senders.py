"""Senders: each delivers a notification over one channel (email, a log line, SMS, LINE).

SMS and LINE plug in by subclassing `SmsSender` / `LineSender` and naming the subclass in
``settings.ONEHOME_NOTIFY_SENDERS``. Neither base class talks to a network: a gateway
contract is a deployment decision, and tests must never send a message. `LoggingSender`
stands in for them by default.
"""

import logging

from django.core.mail import send_mail

from onehome.access.models import User

from .models import Notification

logger = logging.getLogger(__name__)


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
