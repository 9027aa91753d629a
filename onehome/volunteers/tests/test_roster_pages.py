# ruff: noqa: F811 (the fixtures imported from roster_helpers are parameters here)
"""The volunteer pages from the outside: the list with its counts and filters, a record,
the forms, the status buttons, "my record", and 404 for anyone outside the area."""

import pytest
from django.urls import reverse

from onehome.access.models import AuditEvent, User
from onehome.volunteers.models import Volunteer
from onehome.volunteers.tests.factories import WIANG, assign, make_volunteer
from onehome.volunteers.tests.roster_helpers import (  # noqa: F401 (fixtures)
    bangkok_staff,
    centre,
    person,
    reader,
    staff,
    villages,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _body(person, centre, **over) -> dict:
    """The new-volunteer form filled in as a clerk types it (dates in the Buddhist era)."""
    return {
        "person": person.pk,
        "subdistrict": WIANG,
        "villages": [f"{WIANG}01"],
        "centre": centre.pk,
        "appointed_on": "15/01/2568",
        **over,
    }


def test_the_list_shows_the_areas_volunteers_with_counts_per_status(client, staff, reader):
    active = make_volunteer(staff, first_name="ทองดี")
    resting = make_volunteer(staff, first_name="มาลี", status="resting")
    client.force_login(reader)
    page = _text(client.get(reverse("volunteers:roster_list")))
    assert active.person.first_name_th in page and resting.person.first_name_th in page
    assert "bar-chart" in page
    page = _text(client.get(reverse("volunteers:roster_list"), {"status": "resting", "area": "57"}))
    assert resting.person.first_name_th in page and active.person.first_name_th not in page
    row = AuditEvent.objects.filter(object_type="volunteers.volunteer", object_id="list").first()
    assert row.after["ids"] == [resting.pk]


def test_a_record_shows_its_households_and_buddhist_era_dates(client, staff, make_household):
    v = make_volunteer(staff)
    household = make_household(house_no="77/7")
    assign(v, household, by=staff)
    client.force_login(staff)
    page = _text(client.get(reverse("volunteers:roster_detail", args=[v.pk])))
    assert "77/7" in page
    assert "2568" in page  # appointed 15 Jan 2025, shown in the Buddhist era
    assert reverse("volunteers:roster_step", args=[v.pk, "resting"]) in page
    assert reverse("volunteers:roster_step", args=[v.pk, "left"]) in page


def test_a_reader_sees_no_status_buttons(client, staff, reader):
    v = make_volunteer(staff)
    client.force_login(reader)
    page = _text(client.get(reverse("volunteers:roster_detail", args=[v.pk])))
    assert reverse("volunteers:roster_step", args=[v.pk, "left"]) not in page


def test_staff_register_a_volunteer_through_the_form(client, staff, person, centre, villages):
    client.force_login(staff)
    body = _body(person, centre, term_ends_on="14/01/2572")
    response = client.post(reverse("volunteers:roster_new"), body)
    v = Volunteer.objects.get(person=person)
    assert response.status_code == 302 and response["Location"].endswith(f"/roster/{v.pk}/")
    assert (v.appointed_on.year, v.term_ends_on.year) == (2025, 2029)


def test_the_form_lists_the_villages_and_refuses_none_chosen(
    client, staff, person, centre, villages
):
    client.force_login(staff)
    body = {"person": person.pk, "subdistrict": WIANG, "centre": centre.pk}
    response = client.post(reverse("volunteers:roster_new"), body)
    assert response.status_code == 200
    page = _text(response)
    assert f'value="{WIANG}01"' in page and f'value="{WIANG}02"' in page
    assert "57010201" not in page  # another sub-district's village is not offered
    assert not Volunteer.objects.exists()


def test_a_term_ending_before_the_appointment_is_refused_on_the_form(
    client, staff, person, centre, villages
):
    client.force_login(staff)
    body = _body(person, centre, term_ends_on="14/01/2567")
    response = client.post(reverse("volunteers:roster_new"), body)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_leaving_through_the_page_says_what_happened(client, staff, make_household):
    v = make_volunteer(staff)
    assign(v, make_household(), by=staff)
    client.force_login(staff)
    url = reverse("volunteers:roster_step", args=[v.pk, "left"])
    response = client.post(url, {"version": 1, "reason": "ลาออก"}, follow=True)
    page = _text(response)
    assert v.user.username in page and "1" in page
    assert not User.objects.get(pk=v.user_id).is_active
    assert Volunteer.objects.get(pk=v.pk).status == "left"


def test_leaving_without_a_reason_changes_nothing(client, staff):
    v = make_volunteer(staff)
    client.force_login(staff)
    url = reverse("volunteers:roster_step", args=[v.pk, "left"])
    client.post(url, {"version": 1, "reason": ""})
    assert Volunteer.objects.get(pk=v.pk).status == "active"


def test_trainings_awards_and_login_through_the_page(client, staff):
    v = make_volunteer(staff, with_login=False)
    client.force_login(staff)
    training = {"course": "หลักสูตรพื้นฐาน อพม.", "completed_on": "01/02/2568", "hours": "12"}
    client.post(reverse("volunteers:roster_training", args=[v.pk]), training)
    award = {"award": "อพม. ดีเด่น", "given_on": "01/08/2568"}
    client.post(reverse("volunteers:roster_award", args=[v.pk]), award)
    login = {"version": 1, "username": "somsri", "password": "Long-enough-pass-2569"}
    client.post(reverse("volunteers:roster_login", args=[v.pk]), login)
    v.refresh_from_db()
    assert v.trainings.get().course == "หลักสูตรพื้นฐาน อพม." and v.awards.get().award
    assert v.user.username == "somsri"


def test_a_volunteer_sees_their_own_record(client, staff):
    v = make_volunteer(staff)
    client.force_login(v.user)
    page = _text(client.get(reverse("volunteers:roster_mine")))
    assert v.person.first_name_th in page
    assert client.get(reverse("volunteers:roster_list")).status_code == 404
    assert client.get(reverse("volunteers:roster_detail", args=[v.pk])).status_code == 404


def test_a_login_without_a_record_is_told_so(client, staff):
    client.force_login(staff)
    response = client.get(reverse("volunteers:roster_mine"))
    assert response.status_code == 200 and "volunteer-status" not in _text(response)


def test_staff_create_a_club(client, staff):
    client.force_login(staff)
    client.post(
        reverse("volunteers:roster_clubs"), {"name": "ชมรม อพม. เวียง", "subdistrict": WIANG}
    )
    assert "ชมรม อพม. เวียง" in _text(client.get(reverse("volunteers:roster_clubs")))


ROUTES_ON_A_RECORD = [
    ("roster_detail", "get", {}),
    ("roster_edit", "get", {}),
    ("roster_edit", "post", {"version": 1}),
    ("roster_training", "post", {"course": "x", "completed_on": "01/02/2568"}),
    ("roster_award", "post", {"award": "x", "given_on": "01/02/2568"}),
    ("roster_login", "post", {"version": 1, "username": "x", "password": "y"}),
]


@pytest.mark.parametrize(("name", "method", "body"), ROUTES_ON_A_RECORD)
def test_every_page_of_a_record_is_404_outside_the_area(client, staff, bangkok_staff, name,
                                                         method, body):  # fmt: skip
    v = make_volunteer(staff, with_login=False)
    client.force_login(bangkok_staff)
    url = reverse(f"volunteers:{name}", args=[v.pk])
    assert getattr(client, method)(url, body).status_code == 404
    assert Volunteer.objects.get(pk=v.pk).version == 1


@pytest.mark.parametrize("to", ["trained", "resting", "left"])
def test_a_status_step_is_404_outside_the_area(client, staff, bangkok_staff, to):
    v = make_volunteer(staff)
    client.force_login(bangkok_staff)
    url = reverse("volunteers:roster_step", args=[v.pk, to])
    assert client.post(url, {"version": 1, "reason": "x"}).status_code == 404
    assert Volunteer.objects.get(pk=v.pk).status == "active"


def test_the_list_of_another_area_shows_none_of_ours(client, staff, bangkok_staff):
    v = make_volunteer(staff)
    client.force_login(bangkok_staff)
    assert v.person.first_name_th not in _text(client.get(reverse("volunteers:roster_list")))


def test_the_new_form_is_404_for_a_role_that_keeps_no_records(client, reader):
    client.force_login(reader)
    assert client.get(reverse("volunteers:roster_new")).status_code == 404
