"""Break the glass on a sensitive case: a reason, a grant that expires, an audit row, a
timeline event and a notice to the owning agency's supervisors; nothing out of area."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from onehome.access.models import AuditAction, AuditEvent, Role
from onehome.cases.models import CaseEvent, EventKind, GlassBreak
from onehome.cases.visibility.glass import active_grant, break_glass
from onehome.cases.visibility.selectors import visible_cases
from onehome.errors import NotInScopeError, ValidationError
from onehome.notifications.models import Notification

from .sla_factories import make_case, make_org, make_staff

REASON = "second call tonight about the same child, need the history"


@pytest.fixture
def office(db):
    return make_org()


@pytest.fixture
def supervisor(office):
    return make_staff(Role.SUPERVISOR, org=office)


@pytest.fixture
def sensitive_case(office):
    assigned = make_staff(Role.SOCIAL_WORKER, org=office)
    return make_case(owner=office, sensitive=True, workers=(assigned,))


@pytest.fixture
def operator(db):
    """A hotline operator covering Chiang Rai, from another agency, not on the case."""
    return make_staff(Role.HOTLINE_OPERATOR, org=make_org("ศูนย์ช่วยเหลือสังคม"))


def sees(user, case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def test_breaking_the_glass_opens_the_case_for_a_limited_time(operator, supervisor, sensitive_case):
    assert not sees(operator, sensitive_case)
    before = timezone.now()

    grant = break_glass(actor=operator, case_id=sensitive_case.pk, reason=REASON)

    assert sees(operator, sensitive_case)
    assert grant.reason == REASON
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=4)
    assert grant.granted_at >= before
    assert active_grant(operator, sensitive_case) == grant

    audit = AuditEvent.objects.get(object_type="cases.case", object_id=str(sensitive_case.pk))
    assert audit.action == AuditAction.READ
    assert audit.actor_id == operator.pk and REASON in audit.purpose

    event = CaseEvent.objects.get(case=sensitive_case)
    assert (event.kind, event.actor, event.text) == (EventKind.GLASS_BREAK, operator, REASON)

    notice = Notification.objects.get(kind="glass_break")
    assert notice.user == supervisor and notice.case == sensitive_case
    assert REASON not in notice.body  # the reason stays in the app, off e-mail and SMS


def test_the_case_is_hidden_again_when_the_grant_expires(operator, sensitive_case):
    grant = break_glass(actor=operator, case_id=sensitive_case.pk, reason=REASON)
    GlassBreak.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not sees(operator, sensitive_case)
    assert active_grant(operator, sensitive_case) is None


@override_settings(ONEHOME_GLASS_BREAK_HOURS=1)
def test_a_grant_made_longer_ago_than_the_limit_gives_nothing(operator, sensitive_case):
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    grant = break_glass(actor=operator, case_id=sensitive_case.pk, reason=REASON, now=two_hours_ago)
    assert grant.expires_at == two_hours_ago + dt.timedelta(hours=1)
    assert not sees(operator, sensitive_case)
    # ...and the glass can be broken again, with a new reason on the record.
    break_glass(actor=operator, case_id=sensitive_case.pk, reason=REASON + " again")
    assert sees(operator, sensitive_case)


@pytest.mark.parametrize("reason", ["", "   ", "because", "x" * 9])
def test_a_reason_of_at_least_ten_characters_is_required(operator, sensitive_case, reason):
    with pytest.raises(ValidationError):
        break_glass(actor=operator, case_id=sensitive_case.pk, reason=reason)
    assert not GlassBreak.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cases.case").exists()
    assert not sees(operator, sensitive_case)


def test_out_of_area_is_not_found_and_leaves_no_grant(outsider, sensitive_case):
    with pytest.raises(NotInScopeError):
        break_glass(actor=outsider, case_id=sensitive_case.pk, reason=REASON)
    assert not GlassBreak.objects.exists()
    assert not Notification.objects.exists()


def test_without_a_case_role_or_a_case_it_is_not_found(make_user, sensitive_case):
    volunteer = make_user(Role.VOLUNTEER)
    analyst = make_user(Role.ANALYST)
    for user in (volunteer, analyst):
        with pytest.raises(NotInScopeError):
            break_glass(actor=user, case_id=sensitive_case.pk, reason=REASON)
    operator = make_staff(Role.HOTLINE_OPERATOR, org=None)
    with pytest.raises(NotInScopeError):
        break_glass(actor=operator, case_id=sensitive_case.pk + 1000, reason=REASON)


def test_no_glass_to_break_on_a_case_one_can_already_open(operator, office, sensitive_case):
    ordinary = make_case(owner=office, sensitive=False)
    assigned = sensitive_case.workers.get()
    for user, case in ((operator, ordinary), (assigned, sensitive_case)):
        with pytest.raises(ValidationError):
            break_glass(actor=user, case_id=case.pk, reason=REASON)
    assert not GlassBreak.objects.exists()
