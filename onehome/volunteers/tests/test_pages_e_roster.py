# ruff: noqa: F811 (the fixtures imported from roster_helpers are parameters here)
"""The roster forms' sub-district picker from the outside: it offers the sub-districts of
the user's own area only, and a sub-district outside it is refused on the form (shown
again with what was typed, nothing written) instead of a 404 that loses the form."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from onehome.access.models import Role, ScopeLevel
from onehome.volunteers.models import Volunteer, VolunteerClub
from onehome.volunteers.tests.factories import WIANG, make_volunteer
from onehome.volunteers.tests.roster_helpers import (  # noqa: F401 (fixtures)
    centre,
    person,
    staff,
    villages,
)

pytestmark = pytest.mark.django_db

BANGKOK_SUB = "100101"  # แขวงพระบรมมหาราชวัง: outside Chiang Rai
OUTSIDE = "This sub-district is outside your area"


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def tambon_staff(make_user):
    """Centre staff of ตำบลเวียง only."""
    return make_user(Role.CENTRE_STAFF, level=ScopeLevel.SUBDISTRICT, code=WIANG)


def _picker_url(page: str, name: str = "subdistrict") -> str:
    """The suggestions URL of the picker whose visible box is ``<name>_text``."""
    for match in re.finditer(r'data-picker-url="([^"]*)"[^>]*>\s*<input[^>]*name="(\w+)"', page):
        if match[2] == f"{name}_text":
            return unescape(match[1])
    raise AssertionError(f"no picker for {name}")


def _suggested(client, url: str, q: str) -> list[str]:
    page = client.get(f"{url}&{urlencode({'q': q})}").content.decode()
    return re.findall(r'data-value="(\d+)"', page)


@pytest.mark.parametrize("page", ["volunteers:roster_clubs", "volunteers:roster_new"])
def test_the_picker_offers_only_the_sub_districts_of_the_users_province(client, staff, page):
    client.force_login(staff)
    url = _picker_url(client.get(reverse(page)).content.decode())
    assert "within=57" in url
    found = _suggested(client, url, "เวียง")  # a name of sub-districts in many provinces
    assert found and all(code.startswith("57") for code in found)


def test_a_tambons_staff_are_offered_their_own_sub_district_only(client, tambon_staff):
    client.force_login(tambon_staff)
    url = _picker_url(client.get(reverse("volunteers:roster_clubs")).content.decode())
    assert f"within={WIANG}" in url
    assert _suggested(client, url, "เวียง") == [WIANG]


def test_the_edit_form_narrows_the_picker_too(client, staff):
    v = make_volunteer(staff)
    client.force_login(staff)
    page = client.get(reverse("volunteers:roster_edit", args=[v.pk])).content.decode()
    assert "within=57" in _picker_url(page)


def test_a_club_outside_the_area_is_refused_on_the_form(client, staff):
    client.force_login(staff)
    body = {"name": "ชมรมใหม่", "subdistrict": BANGKOK_SUB}
    response = client.post(reverse("volunteers:roster_clubs"), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert OUTSIDE in page
    assert 'value="ชมรมใหม่"' in page and f'value="{BANGKOK_SUB}"' in page
    assert not VolunteerClub.objects.exists()


def test_the_refusal_is_in_thai_by_default(client, staff):
    client.cookies.pop("django_language", None)
    client.force_login(staff)
    body = {"name": "ชมรมใหม่", "subdistrict": BANGKOK_SUB}
    response = client.post(reverse("volunteers:roster_clubs"), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ตำบลนี้อยู่นอกพื้นที่" in page or OUTSIDE in page  # Thai once compiled


def test_a_new_volunteer_outside_the_area_is_refused_on_the_form(
    client, staff, person, centre, villages
):
    client.force_login(staff)
    body = {
        "person": person.pk,
        "subdistrict": BANGKOK_SUB,
        "centre": centre.pk,
        "phone": "0812345678",
        "appointed_on": "15/01/2568",
    }
    response = client.post(reverse("volunteers:roster_new"), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert OUTSIDE in page
    assert 'value="0812345678"' in page and person.first_name_th in page
    assert not Volunteer.objects.exists()


def test_moving_a_volunteer_outside_the_area_is_refused_on_the_form(client, staff):
    v = make_volunteer(staff)
    client.force_login(staff)
    body = {
        "subdistrict": BANGKOK_SUB,
        "centre": v.centre_id,
        "phone": "0899999999",
        "version": v.version,
    }
    response = client.post(reverse("volunteers:roster_edit", args=[v.pk]), body)
    assert response.status_code == 200
    assert OUTSIDE in response.content.decode()
    v.refresh_from_db()
    assert v.subdistrict_id == WIANG and v.phone != "0899999999"
