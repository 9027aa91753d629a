"""Notifications: the in-app inbox always, senders after commit, a failing sender loses
nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from onehome.notifications import services as notifications
from onehome.notifications.models import Notification
from onehome.notifications.selectors import unread_count
from onehome.notifications.senders import LineSender, SmsSender
from onehome.notifications.services import mark_read, notify

pytestmark = pytest.mark.django_db

EMAIL_AND_LOG = [
    "onehome.notifications.senders.EmailSender",
    "onehome.notifications.senders.LoggingSender",
]


class FailingSender:
    channel = "boom"

    def send(self, notification):
        raise ConnectionError("gateway down")


class RecordingSms(SmsSender):
    sent: list[tuple[str, str]] = []

    def phone_of(self, user):
        return "0812345678" if user.email else ""

    def deliver(self, phone, text):
        self.sent.append((phone, text))


@pytest.fixture
def alice(make_user):
    return make_user("supervisor", email="alice@example.org")


@pytest.fixture
def bob(make_user):
    return make_user("supervisor")  # no email address


@override_settings(ONEHOME_NOTIFY_SENDERS=EMAIL_AND_LOG)
def test_inbox_row_at_once_and_email_after_commit(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(users=[alice, bob], kind="escalation", title="Case T1 is overdue", body="Act")
        assert len(rows) == 2
        assert mail.outbox == []  # nothing leaves before the commit
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert mail.outbox[0].subject == "Case T1 is overdue"
    via = dict(Notification.objects.values_list("user__username", "sent_via"))
    assert via == {alice.username: ["app", "email", "log"], bob.username: ["app", "log"]}


@override_settings(ONEHOME_NOTIFY_SENDERS=[f"{__name__}.FailingSender", *EMAIL_AND_LOG])
def test_a_failing_sender_loses_neither_the_inbox_nor_the_other_senders(
    alice, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice], kind="glass_break", title="Glass broken on T2")
    row = Notification.objects.get(user=alice)
    assert row.sent_via == ["app", "email", "log"]
    assert len(mail.outbox) == 1
    assert "sender boom failed" in caplog.text


@override_settings(ONEHOME_NOTIFY_SENDERS=EMAIL_AND_LOG)
@override_settings(ONEHOME_NOTIFY_SENDERS=["onehome.notifications.senders.NoSuchSender"])
def test_a_broken_sender_setting_never_fails_the_committed_change(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice], kind="escalation", title="Case T7 is overdue")
    assert Notification.objects.get(user=alice).sent_via == ["app"]


def test_a_rolled_back_change_notifies_nobody(alice, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(users=[alice], kind="escalation", title="Case T3 is overdue")
        raise RuntimeError("the escalation failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_each_active_user_is_notified_once(alice, bob, make_user):
    gone = make_user("supervisor", is_active=False)
    rows = notify(users=[alice, alice, gone, bob], kind="escalation", title="T4")
    assert sorted(r.user_id for r in rows) == sorted([alice.pk, bob.pk])
    assert notify(users=[], kind="escalation", title="T5") == []


@override_settings(
    ONEHOME_NOTIFY_SENDERS=[f"{__name__}.RecordingSms", "onehome.notifications.senders.LineSender"]
)
def test_sms_and_line_plug_in_through_their_base_classes(
    alice, bob, django_capture_on_commit_callbacks
):
    RecordingSms.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice, bob], kind="escalation", title="Case T6 is overdue")
    assert RecordingSms.sent == [("0812345678", "Case T6 is overdue")]
    # The LINE base class has no LINE ids: it delivers to nobody and never calls out.
    via = dict(Notification.objects.values_list("user_id", "sent_via"))
    assert via == {alice.pk: ["app", "sms"], bob.pk: ["app"]}


def test_unconfigured_gateways_refuse_to_pretend(alice):
    row = Notification(user=alice, kind="x", title="t")

    class NumberButNoGateway(SmsSender):
        def phone_of(self, user):
            return "0812345678"

    class IdButNoGateway(LineSender):
        def line_id_of(self, user):
            return "U123"

    for sender in (NumberButNoGateway(), IdButNoGateway()):
        with pytest.raises(NotImplementedError):
            sender.send(row)


def test_unread_count_and_mark_read_touch_only_ones_own(alice, bob):
    mine = notify(users=[alice], kind="escalation", title="A1") + notify(
        users=[alice], kind="escalation", title="A2"
    )
    theirs = notify(users=[bob], kind="escalation", title="B1")
    assert unread_count(alice) == 2

    changed = mark_read(user=alice, ids=[mine[0].pk, theirs[0].pk])
    assert changed == 1
    assert unread_count(alice) == 1
    assert unread_count(bob) == 1
    assert mark_read(user=alice, ids=[mine[0].pk]) == 0


def test_senders_come_from_settings():
    with override_settings(ONEHOME_NOTIFY_SENDERS=["onehome.notifications.senders.LoggingSender"]):
        assert [s.channel for s in notifications.senders()] == ["log"]
