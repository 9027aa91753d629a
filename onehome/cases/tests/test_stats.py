"""Overdue and breached counts per responsible unit, in the user's area, without N+1."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import Role
from onehome.cases.deadlines.figures import deadlines_by_unit, totals
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import CaseStatus, EventKind
from onehome.conftest import BANGKOK_SUB

from .sla_factories import make_case, make_org, make_report

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def backlog(db):
    now = timezone.now()
    office, centre = make_org("พมจ.เชียงราย"), make_org("ศพค.เวียง")
    make_case(owner=office, due_at=now + HOUR)  # running
    make_case(owner=office, due_at=now - HOUR)  # overdue
    make_case(owner=office, due_at=now - HOUR, sensitive=True)  # overdue, counted all the same
    make_case(owner=office, due_at=now - HOUR, paused_at=now - 2 * HOUR)  # paused: not overdue
    make_case(owner=office, due_at=now - 2 * HOUR, status=CaseStatus.CLOSED, closed_at=now)
    make_case(owner=office, due_at=now, status=CaseStatus.CLOSED, closed_at=now - HOUR)
    acted_on_late = make_case(owner=centre, due_at=now + HOUR)
    add_event(acted_on_late, kind=EventKind.ESCALATION, actor=None, data={"level": 1})
    make_report(routed_to=centre, due_at=now - HOUR)  # waiting, overdue
    make_report(routed_to=centre, due_at=now + HOUR)  # waiting
    make_report(routed_to=None, due_at=now - HOUR)  # not routed yet
    make_report(routed_to=centre, due_at=now - HOUR, status="accepted")  # done
    bangkok = make_org("พมจ.กรุงเทพฯ")
    make_case(owner=bangkok, due_at=now - HOUR, subdistrict=BANGKOK_SUB)
    make_report(routed_to=bangkok, due_at=now - HOUR, subdistrict=BANGKOK_SUB)
    return {"office": office, "centre": centre, "bangkok": bangkok, "now": now}


def test_counts_per_unit(worker, backlog):
    rows = {r.unit_id: r for r in deadlines_by_unit(worker, now=backlog["now"])}
    assert set(rows) == {backlog["office"].pk, backlog["centre"].pk, None}  # no Bangkok

    office = rows[backlog["office"].pk]
    assert (office.open, office.overdue, office.breached) == (4, 2, 1)
    assert (office.reports_waiting, office.reports_overdue) == (0, 0)

    centre = rows[backlog["centre"].pk]
    assert (centre.open, centre.overdue, centre.breached) == (1, 0, 1)
    assert (centre.reports_waiting, centre.reports_overdue) == (2, 1)

    unrouted = rows[None]
    assert (unrouted.reports_waiting, unrouted.reports_overdue) == (1, 1)

    total = totals(list(rows.values()))
    assert (total.open, total.overdue, total.breached, total.reports_overdue) == (5, 2, 2, 2)


def test_most_overdue_units_come_first(worker, backlog):
    rows = deadlines_by_unit(worker, now=backlog["now"])
    assert rows[0].unit_id == backlog["office"].pk


def test_two_grouped_queries_whatever_the_number_of_units(
    worker, backlog, django_assert_num_queries
):
    deadlines_by_unit(worker)  # warms the per-process cache of the area's sub-districts
    for _ in range(5):
        make_case(owner=make_org(), due_at=backlog["now"] - HOUR)
    with django_assert_num_queries(2):
        rows = deadlines_by_unit(worker, now=backlog["now"])
    assert len(rows) == 8


def test_nothing_outside_the_area_or_without_a_case_role(outsider, make_user, backlog):
    rows = deadlines_by_unit(outsider, now=backlog["now"])
    assert [r.unit_id for r in rows] == [backlog["bangkok"].pk]
    assert (rows[0].overdue, rows[0].reports_overdue) == (1, 1)
    assert deadlines_by_unit(make_user(Role.VOLUNTEER), now=backlog["now"]) == []
    assert deadlines_by_unit(make_user(Role.ANALYST), now=backlog["now"]) == []
