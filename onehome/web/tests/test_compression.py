"""Pages are compressed for clients that accept gzip; the API's JSON is not."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_when_the_client_accepts_gzip(client):
    plain = client.get(reverse("login"))
    packed = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content)
    assert b"<form" in page and b'name="username"' in page
    assert len(packed.content) < len(page)


def test_the_apis_json_is_left_as_it_is(client, worker):
    client.force_login(worker)
    response = client.get("/api/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response.json()
