"""The demo's `volunteer` login is the person on its volunteer record: the name in the
page header is theirs, also after the demo is loaded again (the logins are rewritten
then, the volunteers phase skipped); signing in opens the phone app."""

import io
import re

from django.test import override_settings
from django.urls import reverse

from onehome.access.models import User
from onehome.demo.build import build_demo
from onehome.demo.logins import DEMO_PASSWORD
from onehome.demo.tests.test_demo_volunteers import MD5, built, demo  # noqa: F401 (fixtures)
from onehome.volunteers.models import Volunteer


def _header_name(client) -> str:
    page = client.get(reverse("volunteers:roster_mine")).content.decode()
    return re.search(r'<span class="user-name">([^<]*)</span>', page)[1].strip()


def _same_person(client) -> None:
    login = User.objects.get(username="volunteer")
    person = Volunteer.objects.select_related("person").get(user=login).person
    assert (login.first_name, login.last_name) == (person.first_name_th, person.last_name_th)
    client.force_login(login)
    assert _header_name(client) == f"{person.first_name_th} {person.last_name_th}"


def test_the_volunteer_login_bears_the_name_of_its_record(demo, client):  # noqa: F811
    _same_person(client)


def test_the_demo_volunteer_signs_in_to_the_phone_app(demo, client):  # noqa: F811
    with override_settings(PASSWORD_HASHERS=[MD5]):
        response = client.post(
            reverse("login"), {"username": "volunteer", "password": DEMO_PASSWORD}
        )
    assert response["Location"] == reverse("volunteers:offline_app")


def test_and_keeps_it_when_the_demo_is_loaded_again(demo, client):  # noqa: F811
    with override_settings(PASSWORD_HASHERS=[MD5]):
        build_demo(households=400, progress=False, stdout=io.StringIO())
    _same_person(client)
