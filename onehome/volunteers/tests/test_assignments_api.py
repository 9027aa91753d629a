"""The assignments API: list of the caller's area (audited), create, reassign, from a case,
end, bulk preview and confirm, coverage; in the OpenAPI schema; 404 from outside."""

import pytest
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent
from onehome.cases.models import Case, Urgency
from onehome.volunteers.models import Assignment
from onehome.volunteers.tests import assignments_run
from onehome.volunteers.tests.factories import WIANG, assign, make_centre, make_volunteer

target_list = assignments_run.target_list
wiang_villages = assignments_run.wiang_villages
BASE = "/api/volunteers/assignments/"


@pytest.fixture
def home(make_household, wiang_villages):
    return make_household(village=f"{WIANG}01")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_reassign_end_and_the_audited_list(worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker)
    client = api(worker)
    made = client.post(BASE, {"household": home.pk, "volunteer": first.pk}, format="json")
    assert made.status_code == 201 and made.data["is_open"]
    again = client.post(BASE, {"household": home.pk, "volunteer": first.pk}, format="json")
    assert again.data["id"] == made.data["id"]
    refused = client.post(BASE, {"household": home.pk, "volunteer": second.pk}, format="json")
    assert refused.status_code == 400
    moved = client.post(
        BASE + "reassign/",
        {"household": home.pk, "volunteer": second.pk, "reason": "ย้าย"},
        format="json",
    )
    assert moved.status_code == 201 and moved.data["volunteer"] == second.pk
    listed = client.get(BASE, {"household": home.pk, "open": "false"})
    assert [r["id"] for r in listed.data["results"]] == [moved.data["id"], made.data["id"]]
    row = AuditEvent.objects.filter(object_type="volunteers.assignment", object_id="list").last()
    assert row.after["ids"] == [moved.data["id"], made.data["id"]]
    ended = client.post(f"{BASE}{moved.data['id']}/end/", {"reason": "ออก"}, format="json")
    assert ended.status_code == 200 and not ended.data["is_open"]
    assert client.get(BASE).data["results"] == []


def test_from_a_case(worker, home):
    volunteer = make_volunteer(worker)
    case = Case.objects.create(
        number="VA-A0001",
        urgency=Urgency.NORMAL,
        category="elderly",
        title="t",
        subdistrict_id=WIANG,
        owner=make_centre(),
        household=home,
    )
    made = api(worker).post(BASE + "from-case/", {"case": case.pk}, format="json")
    assert made.status_code == 201 and made.data["volunteer"] == volunteer.pk
    assert made.data["source"] == "case"


def test_bulk_preview_writes_nothing_and_confirm_assigns_once(worker, target_list):
    make_volunteer(worker, villages=(1,))
    make_volunteer(worker, villages=(2,))
    client = api(worker)
    preview = client.post(
        BASE + "bulk/preview/", {"run": target_list.pk, "subdistrict": WIANG}, format="json"
    )
    assert preview.status_code == 200 and preview.data["to_assign"] == 5
    assert not Assignment.objects.exists()
    body = {"run": target_list.pk, "subdistrict": WIANG, "token": preview.data["token"]}
    done = client.post(BASE + "bulk/confirm/", body, format="json")
    assert done.status_code == 200 and done.data["assigned"] == 5
    twice = client.post(BASE + "bulk/confirm/", body, format="json")
    assert twice.status_code == 200 and twice.data["repeated"]
    stale = client.post(BASE + "bulk/confirm/", {**body, "token": "f" * 64}, format="json")
    assert stale.status_code == 400 and stale.data["code"] == "stale_preview"
    assert Assignment.objects.count() == 5
    cover = client.get(BASE + "coverage/", {"run": target_list.pk, "area": WIANG})
    assert cover.status_code == 200
    assert (cover.data["area"]["targets"], cover.data["area"]["with_volunteer"]) == (5, 5)


def test_outsiders_meet_not_found(worker, outsider, home, target_list):
    volunteer = make_volunteer(worker)
    a = assign(volunteer, home, by=worker)
    for user in (outsider, volunteer.user):
        client = api(user)
        assert client.get(BASE).data["results"] == []
        calls = [
            client.post(BASE, {"household": home.pk, "volunteer": volunteer.pk}, format="json"),
            client.post(
                BASE + "reassign/",
                {"household": home.pk, "volunteer": volunteer.pk, "reason": "x"},
                format="json",
            ),
            client.post(f"{BASE}{a.pk}/end/", {"reason": "x"}, format="json"),
            client.post(
                BASE + "bulk/preview/",
                {"run": target_list.pk, "subdistrict": WIANG},
                format="json",
            ),
            client.post(
                BASE + "bulk/confirm/",
                {"run": target_list.pk, "subdistrict": WIANG, "token": "f" * 64},
                format="json",
            ),
            client.get(BASE + "coverage/", {"run": target_list.pk, "area": WIANG}),
        ]
        assert [c.status_code for c in calls] == [404] * len(calls), user
    assert Assignment.objects.get().is_open


def test_the_endpoints_are_in_the_openapi_schema(worker):
    schema = api(worker).get("/api/schema/", {"format": "json"})
    paths = schema.json()["paths"] if schema.status_code == 200 else {}
    for path in ("", "reassign/", "from-case/", "{id}/end/", "bulk/preview/", "bulk/confirm/",
                 "coverage/"):  # fmt: skip
        assert BASE + path in paths, path
