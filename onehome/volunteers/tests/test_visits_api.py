"""The visits API: the questionnaire, recording visits by the phone's id (replays answer
200 with the first visit), the record book, help requests; 404 outside."""

import uuid

from onehome.volunteers.models import HelpRequest, Visit
from onehome.volunteers.tests import visits_support
from onehome.volunteers.tests.development_helpers import today

PNG = visits_support.PNG
home = visits_support.home
visit = visits_support.visit


def test_the_questionnaire_is_served(client, home):
    client.force_login(home.volunteer.user)
    body = client.get("/api/volunteers/questionnaire/").json()
    assert body["version"] and {q["id"] for q in body["questions"]} >= {"safe_food", "debt"}
    assert {n["value"] for n in body["needs"]} >= {"food", "cash"}


def test_a_visit_is_recorded_once_per_client_id(client, home):
    client.force_login(home.volunteer.user)
    url = f"/api/volunteers/households/{home.pk}/visits/"
    body = {
        "client_id": str(uuid.uuid4()),
        "visited_on": today().isoformat(),
        "answers": {"safe_food": False},
        "present": [home.head.pk],
        "needs": ["food"],
    }
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    changed = client.post(
        url, {**body, "answers": {"safe_food": True}}, content_type="application/json"
    )
    assert changed.status_code == 422 and Visit.objects.count() == 1
    bad = client.post(
        url,
        {**body, "client_id": str(uuid.uuid4()), "answers": {"nope": 1}},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422) and Visit.objects.count() == 1
    listed = client.get(url).json()
    assert [v["id"] for v in listed] == [first.json()["id"]]


def test_the_record_book_and_help_requests(client, home):
    visit(home)
    client.force_login(home.volunteer.user)
    book = client.get(f"/api/volunteers/households/{home.pk}/record-book/").json()
    health = next(d for d in book["dimensions"] if d["dimension"] == "health")
    assert health["deprived"] == 1 and book["history"]["health"][0]["deprived"] == 1
    body = {
        "client_id": str(uuid.uuid4()),
        "household": home.pk,
        "kind": "cash_aid",
        "summary": "ไฟไหม้",
        "amount": "1500.00",
    }
    first = client.post("/api/volunteers/help-requests/", body, content_type="application/json")
    again = client.post("/api/volunteers/help-requests/", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["report_reference"] and HelpRequest.objects.count() == 1
    listed = client.get("/api/volunteers/help-requests/").json()
    assert [r["id"] for r in listed] == [first.json()["id"]]


def test_outsiders_get_404_on_every_endpoint(client, home, outsider):
    visit(home)
    client.force_login(outsider)
    for url in (
        f"/api/volunteers/households/{home.pk}/visits/",
        f"/api/volunteers/households/{home.pk}/record-book/",
    ):
        assert client.get(url).status_code == 404
    posted = client.post(
        f"/api/volunteers/households/{home.pk}/visits/",
        {
            "client_id": str(uuid.uuid4()),
            "visited_on": today().isoformat(),
            "answers": {"safe_food": True},
        },
        content_type="application/json",
    )
    assert posted.status_code == 404
    helped = client.post(
        "/api/volunteers/help-requests/",
        {"client_id": str(uuid.uuid4()), "household": home.pk, "kind": "help", "summary": "x"},
        content_type="application/json",
    )
    assert helped.status_code == 404 and not HelpRequest.objects.exists()
    assert client.get("/api/volunteers/help-requests/").json() == []
