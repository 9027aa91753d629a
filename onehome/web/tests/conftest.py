"""Fixtures of the page tests, on top of the project-wide ones in `onehome/conftest.py`
(geography loaded once, `make_user`, `worker`, `outsider`, `supervisor`, `make_person`…)."""

import pytest

from onehome.access.models import Role, ScopeLevel

SOMCHAI_ID = "1101700203450"


@pytest.fixture
def somchai(make_person):
    return make_person("สมชาย", "ใจดี", id_number=SOMCHAI_ID, birth_year=1967, sex="male")


@pytest.fixture
def household(worker, make_household, somchai):
    from onehome.registry import services

    h = make_household(house_no="12/3")
    services.add_member(actor=worker, household_id=h.pk, person_id=somchai.pk, relationship="head")
    return h


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR, level=ScopeLevel.NATION, code="")


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client
