"""Bodies and numbers a hostile or careless client can send: refused with 400, 404 or 413
before they cost time, never a 500 (issue 14, point 9). Run on SQLite and PostgreSQL."""

import json
import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEEP_ARRAY = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
PAST_64_BITS = "99999999999999999999"


@pytest.fixture
def api(client, worker):
    client.force_login(worker)
    return client


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_at_the_token_endpoint_is_a_bad_request(client, body):
    response = client.post(
        "/api/token/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "deep" in response.json()["detail"]
    thai = client.post("/api/token/", body, content_type="application/json")
    assert thai.status_code == 400 and "ลึกเกินไป" in thai.json()["detail"]


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_to_a_signed_in_endpoint_is_a_bad_request(api, body):
    for url in ("/api/people/", "/api/reports/"):
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 400, url


@pytest.mark.parametrize(
    "url",
    [
        f"/api/people/{PAST_64_BITS}/",
        f"/api/people/?page={PAST_64_BITS}",
        f"/api/households/{PAST_64_BITS}/",
        f"/api/cases/{PAST_64_BITS}/",
        f"/api/referrals/{PAST_64_BITS}/",
        f"/api/reports/{PAST_64_BITS}/",
        f"/api/stock/?organisation={PAST_64_BITS}",
        f"/api/stock/?organisation=-{PAST_64_BITS}",
        f"/people/{PAST_64_BITS}/",
        f"/cases/{PAST_64_BITS}/",
    ],
)
def test_an_id_past_64_bits_is_not_found_never_a_server_error(api, url):
    assert api.get(url).status_code in (400, 404)


def test_a_number_past_64_bits_in_a_body_is_a_bad_request(api):
    big = int(PAST_64_BITS)
    response = api.post(
        "/api/people/",
        json.dumps(
            {"first_name_th": "ก", "last_name_th": "ข", "birth_year": big, "subdistrict": big}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    referral = api.post(
        f"/api/referrals/{PAST_64_BITS}/accept/",
        json.dumps({"version": big}),
        content_type="application/json",
    )
    assert referral.status_code in (400, 404)


def test_an_overflow_that_reaches_a_query_is_answered_400_by_the_api():
    """The net under every API view: SQLite's OverflowError is the caller's number."""
    from onehome.api.errors import exception_handler

    response = exception_handler(OverflowError("Python int too large"), {})
    assert response.status_code == 400 and response.data["code"] == "out_of_range"


def _declared(client, url, length: int, content_type: str):
    """A request that declares `length` bytes and sends none: refusing it must not wait
    for (or read) the body."""
    started = time.monotonic()
    # The test client sets neither header for an empty body: both are given here.
    response = client.generic(
        "POST", url, b"", CONTENT_TYPE=content_type, CONTENT_LENGTH=str(length)
    )
    return response, time.monotonic() - started


def test_a_200_mb_upload_is_refused_by_its_declared_length_before_it_is_read(client, worker):
    client.force_login(worker)
    response, seconds = _declared(
        client,
        reverse("targeting:import"),
        200_000_000,
        "multipart/form-data; boundary=----onehome",
    )
    assert response.status_code == 413
    assert seconds < 1
    assert "200000000" in response.content.decode()
    assert "100000000" in response.content.decode()  # the upload limit, not the form one


def test_a_json_body_over_a_megabyte_is_refused_before_parsing(client):
    response, seconds = _declared(client, "/api/token/", 200_000_000, "application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert seconds < 1


def test_an_upload_within_the_limit_reaches_the_view(client, worker, settings):
    settings.ONEHOME_UPLOAD_MAX_SIZE = 10_000
    client.force_login(worker)
    response = client.post(reverse("targeting:import"), {"kind": "survey"})
    assert response.status_code != 413
