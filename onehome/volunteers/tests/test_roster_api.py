# ruff: noqa: F811 (the fixtures imported from roster_helpers are parameters here)
"""The volunteer records through the API: list and detail of the caller's area, register,
change and move with a version (If-Match or `version`), trainings, awards, the login,
counts, clubs; 404 outside the area; the schema documents them."""

import pytest
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent
from onehome.volunteers.models import Volunteer
from onehome.volunteers.tests.factories import WIANG, make_volunteer
from onehome.volunteers.tests.roster_helpers import (  # noqa: F401 (fixtures)
    bangkok_staff,
    centre,
    person,
    reader,
    staff,
    villages,
)

pytestmark = pytest.mark.django_db
ROSTER = "/api/volunteers/roster/"


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_list_filters_and_audits_the_page(staff, reader):
    active = make_volunteer(staff)
    resting = make_volunteer(staff, status="resting")
    api = api_for(reader)
    body = api.get(ROSTER).json()
    assert [r["id"] for r in body["results"]] == [active.pk, resting.pk]
    body = api.get(ROSTER, {"status": "resting", "area": "5701"}).json()
    assert [r["id"] for r in body["results"]] == [resting.pk]
    row = AuditEvent.objects.filter(object_type="volunteers.volunteer", object_id="list").first()
    assert row.after["ids"] == [resting.pk]
    counts = api.get(ROSTER + "counts/", {"area": WIANG}).json()
    assert counts["active"] == 1 and counts["resting"] == 1 and counts["left"] == 0


def test_detail_has_an_etag_and_the_next_steps(staff):
    v = make_volunteer(staff)
    response = api_for(staff).get(f"{ROSTER}{v.pk}/")
    assert response["ETag"] == '"1"'
    steps = {s["to_status"] for s in response.json()["next_steps"]}
    assert steps == {"resting", "left"}


def test_register_change_and_move_a_volunteer(staff, person, centre, villages):
    api = api_for(staff)
    response = api.post(
        ROSTER,
        {"person": person.pk, "subdistrict": WIANG, "villages": [f"{WIANG}01"],
         "centre": centre.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.patch(
        f"{ROSTER}{pk}/", {"villages": [f"{WIANG}01", f"{WIANG}02"]}, format="json",
        HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["villages"] == [
        f"{WIANG}01",
        f"{WIANG}02",
    ]
    response = api.post(f"{ROSTER}{pk}/status/", {"to_status": "trained", "version": 2})
    assert response.status_code == 200 and response.json()["status"] == "trained"
    response = api.post(
        f"{ROSTER}{pk}/status/",
        {"to_status": "appointed", "appointed_on": "2025-03-01", "term_ends_on": "2025-02-01"},
        HTTP_IF_MATCH='"3"',
    )
    assert response.status_code == 400 and "term" in response.json()["detail"]
    assert Volunteer.objects.get(pk=pk).status == "trained"


def test_a_write_without_a_version_or_with_a_stale_one_is_refused(staff):
    v = make_volunteer(staff)
    api = api_for(staff)
    url = f"{ROSTER}{v.pk}/status/"
    assert api.post(url, {"to_status": "resting"}).status_code == 428
    assert api.post(url, {"to_status": "resting"}, HTTP_IF_MATCH='"9"').status_code == 412
    assert api.post(url, {"to_status": "resting", "version": 9}).status_code == 409
    assert Volunteer.objects.get(pk=v.pk).status == "active"


def test_a_move_outside_the_table_answers_400(staff):
    v = make_volunteer(staff, status="candidate")
    response = api_for(staff).post(f"{ROSTER}{v.pk}/status/", {"to_status": "active", "version": 1})
    assert response.status_code == 400


def test_trainings_awards_and_login(staff):
    v = make_volunteer(staff, with_login=False)
    api = api_for(staff)
    response = api.post(
        f"{ROSTER}{v.pk}/trainings/", {"course": "หลักสูตร อพม.", "completed_on": "2025-02-01"}
    )
    assert response.status_code == 201
    response = api.post(f"{ROSTER}{v.pk}/awards/", {"award": "โล่", "given_on": "2025-08-01"})
    assert response.status_code == 201
    response = api.post(
        f"{ROSTER}{v.pk}/login/",
        {"username": "vol-api", "password": "Long-enough-pass-2569", "version": 1},
    )
    assert response.status_code == 200 and response.json()["username"] == "vol-api"


ON_A_RECORD = [
    ("get", "", None),
    ("patch", "", {"phone": "0811111111", "version": 1}),
    ("post", "status/", {"to_status": "resting", "version": 1}),
    ("post", "trainings/", {"course": "x", "completed_on": "2025-02-01"}),
    ("post", "awards/", {"award": "x", "given_on": "2025-02-01"}),
    ("post", "login/", {"username": "x", "password": "y", "version": 1}),
]


@pytest.mark.parametrize(("method", "path", "body"), ON_A_RECORD)
def test_every_endpoint_of_a_record_is_404_outside_the_area(staff, bangkok_staff, method, path,
                                                            body):  # fmt: skip
    v = make_volunteer(staff)
    response = getattr(api_for(bangkok_staff), method)(f"{ROSTER}{v.pk}/{path}", body)
    assert response.status_code == 404
    assert Volunteer.objects.get(pk=v.pk).version == 1


def test_the_list_of_another_area_is_empty(staff, bangkok_staff):
    make_volunteer(staff)
    assert api_for(bangkok_staff).get(ROSTER).json()["results"] == []


def test_clubs_of_the_area(staff, bangkok_staff):
    api = api_for(staff)
    response = api.post("/api/volunteers/clubs/", {"name": "ชมรม อพม. เวียง", "subdistrict": WIANG})
    assert response.status_code == 201
    assert [c["name"] for c in api.get("/api/volunteers/clubs/").json()] == ["ชมรม อพม. เวียง"]
    assert api_for(bangkok_staff).get("/api/volunteers/clubs/").json() == []
    refused = api_for(bangkok_staff).post(
        "/api/volunteers/clubs/", {"name": "อื่น", "subdistrict": WIANG}
    )
    assert refused.status_code == 404


def test_the_schema_documents_the_roster(staff):
    schema = api_for(staff).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/volunteers/roster/" in paths
    assert "/api/volunteers/roster/{id}/status/" in paths
    assert "/api/volunteers/roster/counts/" in paths
    assert "/api/volunteers/clubs/" in paths
