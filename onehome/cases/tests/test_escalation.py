"""The escalation ladder worker → supervisor → provincial head, run by a background task."""

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.cases.deadlines import escalation, sla
from onehome.cases.models import CaseEvent, CaseStatus, EventKind
from onehome.notifications.models import Notification
from onehome.orgs.models import OrgKind

from .sla_factories import make_case, make_org, make_report, make_staff

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def team(db):
    """A provincial office with a worker and a supervisor, a centre with its own supervisor,
    a provincial head of Chiang Rai and one of Bangkok."""
    office = make_org()
    centre = make_org("ศพค.เวียง", kind=OrgKind.FAMILY_CENTRE)
    return {
        "office": office,
        "centre": centre,
        "worker": make_staff(Role.SOCIAL_WORKER, org=office),
        "supervisor": make_staff(Role.SUPERVISOR, org=office),
        "centre_supervisor": make_staff(Role.SUPERVISOR, org=centre),
        "head": make_staff(Role.PROVINCIAL_HEAD, org=office),
        "bangkok_head": make_staff(Role.PROVINCIAL_HEAD, org=None, code="10"),
        "national_head": make_staff(
            Role.PROVINCIAL_HEAD, org=None, code="", scope_level=ScopeLevel.NATION
        ),
    }


def notified(kind="escalation"):
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_an_overdue_case_goes_up_the_ladder_one_rung_at_a_time(team):
    now = timezone.now()
    case = make_case(owner=team["office"], due_at=now - HOUR, workers=(team["worker"],))

    assert escalation.escalate(now) == {"cases": 1, "reports": 0}
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert notified() == {team["supervisor"].pk, team["worker"].pk}
    event = CaseEvent.objects.get(case=case, kind=EventKind.ESCALATION)
    assert event.data["level"] == 1
    assert AuditEvent.objects.filter(object_id=str(case.pk), purpose="sla escalation").exists()

    # The next run, still within 24 hours past due, changes nothing.
    assert escalation.escalate(now + HOUR) == {"cases": 0, "reports": 0}

    Notification.objects.all().delete()
    assert escalation.escalate(now + 24 * HOUR) == {"cases": 1, "reports": 0}
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert notified() == {team["head"].pk, team["national_head"].pk}  # not Bangkok's

    # The top of the ladder is reached once.
    assert escalation.escalate(now + 48 * HOUR) == {"cases": 0, "reports": 0}
    case.refresh_from_db()
    assert case.escalation_level == 2
    levels = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION)
    assert [e.data["level"] for e in levels] == [1, 2]


def test_supervisors_of_an_assigned_workers_agency_are_told_too(team):
    centre_worker = make_staff(Role.CENTRE_STAFF, org=team["centre"])
    make_case(owner=team["office"], due_at=timezone.now() - HOUR, workers=(centre_worker,))
    escalation.escalate()
    assert notified() == {team["supervisor"].pk, team["centre_supervisor"].pk, centre_worker.pk}


def test_an_agency_without_a_supervisor_escalates_to_the_provincial_head(team):
    lonely = make_org("ศูนย์ที่ไม่มีหัวหน้า", kind=OrgKind.ASSISTANCE_CENTRE)
    make_case(owner=lonely, due_at=timezone.now() - HOUR)
    make_report(routed_to=lonely, due_at=timezone.now() - HOUR)
    escalation.escalate()
    heads = {team["head"].pk, team["national_head"].pk}
    assert notified() == heads
    assert notified("report_overdue") == heads


def test_the_same_rung_is_never_taken_twice_even_by_concurrent_runs(team):
    now = timezone.now()
    case = make_case(owner=team["office"], due_at=now - HOUR)
    # Two workers both saw the case at level 0; only the first UPDATE wins.
    assert escalation.escalate_case(case.pk, from_level=0, now=now) is True
    assert escalation.escalate_case(case.pk, from_level=0, now=now) is False
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION).count() == 1
    assert Notification.objects.filter(user=team["supervisor"]).count() == 1


def test_paused_closed_and_running_cases_are_left_alone(team):
    now = timezone.now()
    office = team["office"]
    make_case(owner=office, due_at=now - HOUR, paused_at=now - 2 * HOUR)
    make_case(owner=office, due_at=now - HOUR, status=CaseStatus.CLOSED, closed_at=now)
    make_case(owner=office, due_at=now + HOUR)
    make_case(owner=office, due_at=None)
    assert escalation.escalate(now) == {"cases": 0, "reports": 0}
    assert not Notification.objects.exists()


def test_a_new_step_starts_the_ladder_again(team):
    now = timezone.now()
    case = make_case(owner=team["office"], due_at=now - HOUR)
    escalation.escalate(now)
    case.refresh_from_db()
    case.save(update_fields=sla.set_step_deadline(case, step=sla.ASSESSMENT, start=now))
    assert case.escalation_level == 0
    assert escalation.escalate(case.due_at + HOUR) == {"cases": 1, "reports": 0}
    case.refresh_from_db()
    assert case.escalation_level == 1


def test_a_report_waiting_past_its_deadline_is_escalated_once(team):
    now = timezone.now()
    report = make_report(routed_to=team["office"], due_at=now - HOUR)
    make_report(routed_to=team["office"], due_at=now + HOUR)  # not yet due
    unrouted = make_report(routed_to=None, due_at=now - HOUR)

    assert escalation.escalate(now) == {"cases": 0, "reports": 2}
    assert notified("report_overdue") == {
        team["supervisor"].pk,  # of the unit it was routed to
        team["head"].pk,  # nobody was routed the other: the province's heads
        team["national_head"].pk,
    }
    assert escalation.escalate(now + HOUR) == {"cases": 0, "reports": 0}
    assert escalation.escalate_report(report.pk, now=now) is False
    assert escalation.escalate_report(unrouted.pk, now=now) is False


def test_the_command_runs_the_ladder_here_with_now(team):
    make_case(owner=team["office"], due_at=timezone.now() - HOUR)
    out = io.StringIO()
    call_command("cases_escalate", "--now", stdout=out)
    assert "escalated 1 cases, 0 reports" in out.getvalue()


def test_the_enqueued_task_runs_in_the_database_worker(live_data):
    office = make_org()
    supervisor = make_staff(Role.SUPERVISOR, org=office, email="sup@example.org")
    case = make_case(owner=office, due_at=timezone.now() - HOUR)

    out = io.StringIO()
    call_command("cases_escalate", stdout=out)
    task_id = out.getvalue().split()[-1]
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.READY
    case.refresh_from_db()
    assert case.escalation_level == 0  # only enqueued so far

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0)

    result = DBTaskResult.objects.get(id=task_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.task_result.return_value == {"cases": 1, "reports": 0}
    case.refresh_from_db()
    assert case.escalation_level == 1
    # The worker's transaction committed, so the senders ran after it.
    assert Notification.objects.get(user=supervisor).sent_via == ["app", "email", "log"]
    assert [m.to for m in mail.outbox] == [["sup@example.org"]]


def test_two_workers_running_at_once_escalate_each_case_once(live_data):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    office = make_org()
    supervisor = make_staff(Role.SUPERVISOR, org=office)
    now = timezone.now()
    for _ in range(30):
        make_case(owner=office, due_at=now - HOUR)
    start = threading.Barrier(2)
    done = []

    def run():
        try:
            start.wait()
            done.append(escalation.escalate(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(done) == 2
    assert sum(d["cases"] for d in done) == 30
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATION).count() == 30
    assert Notification.objects.filter(user=supervisor).count() == 30
