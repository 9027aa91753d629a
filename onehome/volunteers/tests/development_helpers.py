"""Fixtures of the development and course tests: a household of two assigned to a
volunteer, centre staff of its sub-district, an agency, a case of the household."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel
from onehome.cases.models import Case, CaseStatus, Urgency
from onehome.conftest import WIANG
from onehome.orgs.models import Organisation, OrgKind
from onehome.registry import services as registry
from onehome.volunteers.development import services as development
from onehome.volunteers.models import Visit
from onehome.volunteers.tests.factories import assign, make_volunteer

_numbers = itertools.count(1)


def today() -> dt.date:
    """Today in Thailand, read when asked: a date fixed when the module is imported goes
    stale when a test run crosses midnight in Bangkok (17:00 UTC)."""
    return timezone.localdate()


@pytest.fixture
def english_pages(client, settings):
    """Pages asserted in English: the client sends the language cookie (Thai is the
    default; the `english` fixture changes only this process, not the request's language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff(make_user):
    """Centre staff of ตำบลเวียง (plans development, moves the course)."""
    return make_user(Role.CENTRE_STAFF, level=ScopeLevel.SUBDISTRICT, code=WIANG)


@pytest.fixture
def agency(db):
    return Organisation.objects.create(
        code="d-office-57", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย", province_id="57"
    )


@pytest.fixture
def home(worker, make_household, make_person):
    """A household of two (the head since 2020), assigned to a volunteer."""
    household = make_household()
    head = make_person("มานี", "มีนา")
    child = make_person("ชูใจ", "มีนา")
    for person, relationship in ((head, "head"), (child, "child")):
        registry.add_member(
            actor=worker,
            household_id=household.pk,
            person_id=person.pk,
            relationship=relationship,
            since=dt.date(2020, 1, 1),
        )
    volunteer = make_volunteer(worker)
    assign(volunteer, household, by=worker)
    household.head, household.child, household.volunteer = head, child, volunteer
    return household


def make_case(owner, household=None, *, status=CaseStatus.ASSESSING) -> Case:
    return Case.objects.create(
        number=f"D-{next(_numbers):05d}",
        status=status,
        urgency=Urgency.NORMAL,
        category="homeless",
        title="test case",
        subdistrict_id=WIANG,
        owner=owner,
        household=household,
    )


def start(home, actor=None, *, agreed_on=None, days=30):
    return development.start_plan(
        actor=actor or home.volunteer.user,
        household_id=home.pk,
        agreed_on=agreed_on or today(),
        agreed_with_id=home.head.pk,
        follow_up_days=days,
    )


def in_days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def visit_on(home, day: dt.date) -> Visit:
    """A visit written directly (the follow-up and course rules need one, not its form)."""
    return Visit.objects.create(
        household=home,
        volunteer=home.volunteer,
        visited_on=day,
        questionnaire="2569.1",
        recorded_by=home.volunteer.user,
    )
