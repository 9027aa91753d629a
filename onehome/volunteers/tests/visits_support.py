"""Shared makers of the visits tests: a household of two assigned to a volunteer, and a
visit recorded in it."""

import datetime as dt

import pytest

from onehome.registry import services as registry
from onehome.volunteers.tests.development_helpers import today
from onehome.volunteers.tests.factories import assign, make_volunteer
from onehome.volunteers.visits.services import record_visit

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def home(worker, make_household, make_person):
    """A household of two (the head since 2020), assigned to a volunteer."""
    household = make_household()
    head = make_person("มานี", "มีนา")
    child = make_person("ชูใจ", "มีนา")
    registry.add_member(
        actor=worker,
        household_id=household.pk,
        person_id=head.pk,
        relationship="head",
        since=dt.date(2020, 1, 1),
    )
    registry.add_member(
        actor=worker,
        household_id=household.pk,
        person_id=child.pk,
        relationship="child",
        since=dt.date(2020, 1, 1),
    )
    volunteer = make_volunteer(worker)
    assign(volunteer, household, by=worker)
    household.head, household.child, household.volunteer = head, child, volunteer
    return household


def visit(home, actor=None, **kw):
    fields = {
        "actor": actor or home.volunteer.user,
        "household_id": home.pk,
        "visited_on": today(),
        "answers": {"safe_food": False, "income_per_person": 20000, "savings": True},
        "present_ids": [home.head.pk],
        "needs": ["food"],
        "notes": " ok ",
    }
    fields.update(kw)
    return record_visit(**fields)
