"""Signing in from the outside (issue 16, point 10): a volunteer lands in the phone app,
staff on the home page as before, and a `next` given to the login page wins for both."""

import pytest
from django.urls import reverse

from onehome.access.models import Role, User
from onehome.volunteers.tests.factories import make_volunteer

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def volunteer_login(make_user):
    return make_volunteer(make_user(Role.CENTRE_STAFF)).user


def _sign_in(client, user: User, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def test_a_volunteer_lands_in_the_phone_app(client, volunteer_login):
    response = _sign_in(client, volunteer_login)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:offline_app")
    assert client.get(response["Location"]).status_code == 200


def test_staff_land_on_the_home_page_as_before(client, make_user):
    staff = make_user(Role.CENTRE_STAFF, Role.SOCIAL_WORKER)
    response = _sign_in(client, staff)
    assert response["Location"] == reverse("home")


def test_a_volunteer_login_without_a_record_lands_on_the_home_page(client, make_user):
    """The role alone is not enough: a login whose record was unlinked has no app."""
    orphan = make_user(Role.VOLUNTEER, level="subdistrict", code="570101")
    assert _sign_in(client, orphan)["Location"] == reverse("home")


@pytest.mark.parametrize("who", ["volunteer", "staff"])
def test_next_wins_for_everyone(client, volunteer_login, make_user, who):
    user = volunteer_login if who == "volunteer" else make_user(Role.CENTRE_STAFF)
    target = reverse("volunteers:roster_mine")
    response = _sign_in(client, user, next=target)
    assert response["Location"] == target


def test_the_login_form_carries_next_from_the_query(client, volunteer_login):
    target = reverse("volunteers:roster_mine")
    page = client.get(reverse("login"), {"next": target}).content.decode()
    assert f'value="{target}"' in page
