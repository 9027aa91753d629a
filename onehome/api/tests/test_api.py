"""The REST API from the outside: schema and docs, auth, filters, optimistic concurrency,
and the bad input a client can send."""

import json

import pytest
from knox.models import AuthToken

from onehome.conftest import WIANG, make_thai_id
from onehome.registry import services
from onehome.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, worker):
    client.force_login(worker)
    return client


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def patch(client, url, data, **headers):
    return client.patch(url, json.dumps(data), content_type="application/json", **headers)


def test_the_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/people/{id}/" in paths and "/api/households/{id}/members/" in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_anonymous_requests_are_refused_and_tokens_work(client, worker):
    assert client.get("/api/people/").status_code in (401, 403)
    _token, key = AuthToken.objects.create(user=worker)
    assert client.get("/api/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_create_read_and_update_a_person_with_etags(api, make_household):
    number = make_thai_id()
    created = post(
        api,
        "/api/people/",
        {
            "id_type": "thai_id",
            "id_number": number,
            "first_name_th": "สมใจ",
            "last_name_th": "รักดี",
            "birth_year": 1985,
            "subdistrict": WIANG,
        },
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    detail = api.get(f"/api/people/{pid}/")
    assert detail["ETag"] == '"1"' and detail.json()["birth_date_approximate"] is True
    ok = patch(api, f"/api/people/{pid}/", {"phone": "0811111111"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = patch(api, f"/api/people/{pid}/", {"phone": "0822222222"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    stale_body = patch(api, f"/api/people/{pid}/", {"phone": "0833333333", "version": 1})
    assert stale_body.status_code == 409
    assert patch(api, f"/api/people/{pid}/", {"phone": "0844444444"}).status_code == 428
    assert Person.objects.get(pk=pid).phone == "0811111111"


def test_a_duplicate_national_id_answers_409_with_a_link(api, make_person):
    existing = make_person()
    response = post(
        api,
        "/api/people/",
        {
            "id_type": "thai_id",
            "id_number": existing.id_number,
            "first_name_th": "อื่น",
            "subdistrict": WIANG,
        },
    )
    assert response.status_code == 409
    assert response.json()["existing"].endswith(f"/api/people/{existing.pk}/")


def test_likely_duplicates_answer_409_until_acknowledged(api, make_person):
    make_person("ประเสริฐ", "วงศ์ใหญ่", birth_year=1960)
    body = {
        "id_type": "none",
        "first_name_th": "ประเสิฐ",
        "last_name_th": "วงใหญ่",
        "birth_year": 1960,
        "subdistrict": WIANG,
    }
    response = post(api, "/api/people/", body)
    assert response.status_code == 409 and len(response.json()["candidates"]) == 1
    assert post(api, "/api/people/", {**body, "acknowledge_duplicates": True}).status_code == 201


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"id_type": "thai_id", "id_number": "1101700230705"}, "check digit"),
        ({"id_type": "none", "birth_year": 67}, "four digits"),  # 2567 or 1967?
        ({"id_type": "none", "birth_date": "2999-01-01"}, "future"),
        ({"id_type": "none", "subdistrict": "999999"}, "999999"),
        ({"id_type": "none", "birth_date": "31/02/1990"}, "date"),
        ({"id_type": "passport_x"}, "passport_x"),
    ],
)
def test_bad_input_is_explained_in_english_and_saves_nothing(api, body, fragment):
    payload = {"first_name_th": "ทดสอบ", "subdistrict": WIANG, **body}
    response = post(api, "/api/people/", payload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert fragment.lower() in response.content.decode().lower()
    assert not Person.objects.exists()


def test_messages_are_in_thai_by_default(api):
    response = post(
        api,
        "/api/people/",
        {"id_type": "none", "first_name_th": "ทดสอบ", "birth_year": 67, "subdistrict": WIANG},
    )
    assert response.status_code == 400
    assert "พ.ศ." in response.json()["detail"]


def test_malformed_and_oversized_requests_are_refused(api):
    bad = api.post("/api/people/", "{not json", content_type="application/json")
    assert bad.status_code == 400
    big = api.post(
        "/api/people/",
        json.dumps({"first_name_th": "x" * 2_000_000}),
        content_type="application/json",
    )
    assert big.status_code == 413
    assert not Person.objects.exists()


def test_lists_are_paginated_and_filtered_by_area_and_target_group(api, worker, make_person):
    child = make_person("เด็ก", "ดี", birth_year=2018)
    make_person("ผู้ใหญ่", "ดี", birth_year=1980, subdistrict="570102")
    assert api.get("/api/people/").json()["count"] == 2
    assert [p["id"] for p in api.get("/api/people/", {"group": "child"}).json()["results"]] == [
        child.pk
    ]
    assert api.get("/api/people/", {"area": WIANG}).json()["count"] == 1
    assert api.get("/api/people/", {"area": "5701"}).json()["count"] == 2
    assert api.get("/api/people/", {"area": "10"}).json()["count"] == 0
    assert api.get("/api/people/", {"q": "เดก"}).json()["results"][0]["id"] == child.pk


def test_households_members_and_moves_through_the_api(api, make_person, make_household):
    person = make_person()
    hh = post(
        api, "/api/households/", {"subdistrict": WIANG, "village": "57010101", "house_no": "5"}
    )
    assert hh.status_code == 201, hh.content
    hid = hh.json()["id"]
    added = post(
        api, f"/api/households/{hid}/members/", {"person": person.pk, "relationship": "head"}
    )
    assert added.status_code == 201
    assert api.get(f"/api/households/{hid}/").json()["members"][0]["person"] == person.pk
    again = post(
        api, f"/api/households/{hid}/members/", {"person": person.pk, "relationship": "child"}
    )
    assert again.status_code == 400
    history = api.get(f"/api/people/{person.pk}/households/").json()
    assert [m["household"] for m in history] == [hid]


def test_out_of_scope_people_are_404_and_bad_ids_too(client, outsider, make_person):
    person = make_person()
    client.force_login(outsider)
    assert client.get(f"/api/people/{person.pk}/").status_code == 404
    assert client.get("/api/people/abc/").status_code == 404
    assert (
        patch(client, f"/api/people/{person.pk}/", {"phone": "1"}, HTTP_IF_MATCH='"1"').status_code
        == 404
    )


def test_villages_are_created_through_the_api(api):
    ok = post(api, "/api/villages/", {"code": "57010105", "name_th": "บ้านใหม่"})
    assert ok.status_code == 201 and ok.json()["number"] == 5
    bad = post(
        api, "/api/villages/", {"code": "99990101", "name_th": "บ้านไม่มี"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert bad.status_code == 400 and "999901" in bad.json()["detail"]


def test_merge_and_undo_through_the_api(client, supervisor, make_person):
    kept, dup = make_person(), make_person()
    client.force_login(supervisor)
    merged = post(client, f"/api/people/{kept.pk}/merge/", {"duplicate": dup.pk, "reason": "same"})
    assert merged.status_code == 201
    assert client.get(f"/api/people/{dup.pk}/").status_code == 200  # still readable, flagged
    undone = post(client, f"/api/merges/{merged.json()['id']}/undo/", {"reason": "not the same"})
    assert undone.status_code == 200 and undone.json()["undone_at"]


def test_services_refuse_a_household_with_a_bad_registration_number(worker):
    from onehome.errors import ValidationError

    with pytest.raises(ValidationError):
        services.create_household(actor=worker, subdistrict=WIANG, registration_no="12")


def test_a_stale_household_update_is_refused(api, make_household):
    household = make_household(house_no="5")
    url = f"/api/households/{household.pk}/"
    assert api.get(url)["ETag"] == '"1"'
    ok = patch(api, url, {"house_no": "5/1"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    assert patch(api, url, {"house_no": "5/2"}, HTTP_IF_MATCH='"1"').status_code == 412
    assert patch(api, url, {"house_no": "5/3"}).status_code == 428
    household.refresh_from_db()
    assert household.house_no == "5/1"
