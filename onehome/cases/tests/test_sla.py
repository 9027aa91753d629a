"""First-contact and step deadlines, the pause while waiting on the family, and the words
overdue and breached."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.cases.deadlines import sla
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import CaseEvent, CaseStatus, EventKind, Urgency
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError

from .sla_factories import bkk, make_case, make_org

HOUR = dt.timedelta(hours=1)


def test_critical_is_one_hour_around_the_clock_even_at_2am_on_a_holiday():
    # 02:00 on Monday 14 April 2025, Songkran.
    assert sla.first_contact_due(Urgency.CRITICAL, bkk(2025, 4, 14, 2)) == bkk(2025, 4, 14, 3)


def test_urgent_is_24_hours_through_a_weekend():
    assert sla.first_contact_due(Urgency.URGENT, bkk(2025, 6, 21, 10)) == bkk(2025, 6, 22, 10)


def test_normal_is_three_working_days_across_a_weekend():
    assert sla.first_contact_due(Urgency.NORMAL, bkk(2025, 6, 20, 10)) == bkk(2025, 6, 25, 10)


def test_normal_across_songkran():
    assert sla.first_contact_due(Urgency.NORMAL, bkk(2025, 4, 11, 10)) == bkk(2025, 4, 21, 10)


@override_settings(
    ONEHOME_SLA={
        "critical": (2, "hours"),
        "urgent": (1, "working_days"),
        "normal": (5, "working_days"),
    }
)
def test_deadlines_are_configurable():
    assert sla.first_contact_due(Urgency.CRITICAL, bkk(2025, 6, 21, 2)) == bkk(2025, 6, 21, 4)
    assert sla.first_contact_due(Urgency.URGENT, bkk(2025, 6, 20, 10)) == bkk(2025, 6, 23, 10)
    assert sla.first_contact_due(Urgency.NORMAL, bkk(2025, 6, 20, 10)) == bkk(2025, 6, 27, 10)


@override_settings(ONEHOME_SLA={"normal": (3, "fortnights")})
def test_an_unknown_unit_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        sla.first_contact_due(Urgency.NORMAL, bkk(2025, 6, 20, 10))


def test_step_deadlines_by_urgency():
    start = bkk(2025, 6, 20, 10)  # a Friday
    assert sla.step_due(sla.ASSESSMENT, start, Urgency.CRITICAL) == bkk(2025, 6, 21, 10)
    assert sla.step_due(sla.ASSESSMENT, start, Urgency.URGENT) == bkk(2025, 6, 25, 10)
    assert sla.step_due(sla.REFERRAL_RESPONSE, start, Urgency.NORMAL) == bkk(2025, 6, 24, 10)
    assert sla.step_due(sla.CLOSURE_APPROVAL, start) == bkk(2025, 6, 25, 10)
    with pytest.raises(ImproperlyConfigured):
        sla.step_due("lunch", start)


@override_settings(ONEHOME_SLA_STEPS={sla.REFERRAL_RESPONSE: (8, "hours")})
def test_step_deadlines_are_configurable():
    start = bkk(2025, 6, 20, 10)
    assert sla.step_due(sla.REFERRAL_RESPONSE, start, Urgency.NORMAL) == bkk(2025, 6, 20, 18)


@pytest.mark.django_db
def test_a_new_step_restarts_the_clock_and_the_ladder():
    case = make_case(owner=make_org(), due_at=timezone.now() - HOUR, escalation_level=2)
    fields = sla.set_step_deadline(case, step=sla.ASSESSMENT, start=bkk(2025, 6, 20, 10))
    assert fields == ["due_at", "escalation_level"]
    # Normal urgency: 7 working days from Friday 20 June 2025.
    assert (case.due_at, case.escalation_level) == (bkk(2025, 7, 1, 10), 0)


# --- pause and resume ------------------------------------------------------------------------


@pytest.fixture
def open_case(db):
    return make_case(owner=make_org(), due_at=timezone.now() + HOUR)


def test_pause_stops_the_clock_and_resume_moves_the_deadline(worker, open_case):
    due = open_case.due_at
    paused_at = timezone.now()
    case = sla.pause(
        actor=worker,
        case_id=open_case.pk,
        reason="mother asked to meet next week",
        version=1,
        now=paused_at,
    )
    assert case.paused_at == paused_at and case.version == 2
    # Past the original deadline, a paused case is not overdue.
    assert not sla.is_overdue(case, now=due + HOUR)

    case = sla.resume(actor=worker, case_id=case.pk, version=2, now=paused_at + 3 * HOUR)
    assert case.paused_at is None and case.version == 3
    assert case.due_at == due + 3 * HOUR
    case.refresh_from_db()
    assert case.due_at == due + 3 * HOUR

    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [EventKind.PAUSE, EventKind.RESUME]
    resumed = CaseEvent.objects.get(case=case, kind=EventKind.RESUME)
    assert resumed.data["paused_seconds"] == 3 * 3600 and resumed.actor == worker
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() == 2


def test_a_stale_pause_is_refused_and_changes_nothing(worker, open_case):
    open_case.version = 4
    open_case.save()
    with pytest.raises(StaleVersionError):
        sla.pause(actor=worker, case_id=open_case.pk, reason="waiting for documents", version=3)
    open_case.refresh_from_db()
    assert open_case.paused_at is None and open_case.version == 4
    assert not CaseEvent.objects.filter(case=open_case).exists()


def test_pause_needs_a_reason_and_cannot_be_repeated(worker, open_case):
    with pytest.raises(ValidationError):
        sla.pause(actor=worker, case_id=open_case.pk, reason="  ", version=1)
    sla.pause(actor=worker, case_id=open_case.pk, reason="waiting for documents", version=1)
    with pytest.raises(ValidationError):
        sla.pause(actor=worker, case_id=open_case.pk, reason="waiting again", version=2)


def test_resume_of_a_running_case_is_refused(worker, open_case):
    with pytest.raises(ValidationError):
        sla.resume(actor=worker, case_id=open_case.pk, version=1)


def test_a_closed_case_cannot_be_paused(worker, db):
    case = make_case(owner=make_org(), status=CaseStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(ValidationError):
        sla.pause(actor=worker, case_id=case.pk, reason="waiting for documents", version=1)


def test_someone_outside_the_area_cannot_pause(outsider, open_case):
    with pytest.raises(NotInScopeError):
        sla.pause(actor=outsider, case_id=open_case.pk, reason="waiting for documents", version=1)
    open_case.refresh_from_db()
    assert open_case.paused_at is None


# --- overdue and breached ----------------------------------------------------------------


def test_overdue_and_breached(db):
    now = timezone.now()
    owner = make_org()
    running = make_case(owner=owner, due_at=now + HOUR)
    late = make_case(owner=owner, due_at=now - HOUR)
    paused = make_case(owner=owner, due_at=now - HOUR, paused_at=now - 2 * HOUR)
    closed_late = make_case(
        owner=owner, due_at=now - 2 * HOUR, status=CaseStatus.CLOSED, closed_at=now - HOUR
    )
    closed_in_time = make_case(
        owner=owner, due_at=now - HOUR, status=CaseStatus.CLOSED, closed_at=now - 2 * HOUR
    )
    acted_on_late = make_case(owner=owner, due_at=now + HOUR)
    add_event(acted_on_late, kind=EventKind.ESCALATION, actor=None, data={"level": 1})

    assert [sla.is_overdue(c, now) for c in (running, late, paused, closed_late)] == [
        False,
        True,
        False,
        False,
    ]
    assert sla.breached(closed_late, now) and sla.breached(acted_on_late, now)
    assert not sla.breached(closed_in_time, now)
    assert not sla.breached(running, now)
    # Still overdue is not yet "breached": the two never overlap.
    add_event(late, kind=EventKind.ESCALATION, actor=None, data={"level": 1})
    assert not sla.breached(late, now)
