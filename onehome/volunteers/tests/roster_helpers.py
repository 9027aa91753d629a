"""Fixtures of the roster tests (the volunteer records): centre staff of Chiang Rai and of
Bangkok, a person to make a volunteer of, and the sub-district's villages."""

import pytest

from onehome.access.models import Role
from onehome.volunteers.tests.factories import WIANG, make_centre, make_village


@pytest.fixture
def staff(make_user):
    """Centre staff of Chiang Rai province: may keep its volunteer records."""
    return make_user(Role.CENTRE_STAFF)


@pytest.fixture
def bangkok_staff(make_user):
    """Centre staff of Bangkok: Chiang Rai's volunteers do not exist for them."""
    return make_user(Role.CENTRE_STAFF, Role.SUPERVISOR, Role.PROVINCIAL_HEAD, code="10")


@pytest.fixture
def reader(make_user):
    """A social worker of Chiang Rai: reads the volunteer records, keeps none."""
    return make_user(Role.SOCIAL_WORKER)


@pytest.fixture
def centre(db):
    return make_centre(WIANG)


@pytest.fixture
def villages(db):
    """Villages 1 and 2 of ตำบลเวียง, and village 1 of the next sub-district."""
    return {
        1: make_village(WIANG, 1),
        2: make_village(WIANG, 2),
        "other": make_village("570102", 1),
    }


@pytest.fixture
def person(make_person):
    return make_person("สมศรี", "อาสาดี")


def new_record(person, centre, **over) -> dict:
    """The arguments of `register_volunteer` for ``person`` in ตำบลเวียง, village 1."""
    return {
        "person_id": person.pk,
        "subdistrict": WIANG,
        "villages": [f"{WIANG}01"],
        "centre_id": centre.pk,
        **over,
    }
