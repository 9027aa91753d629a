"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from a
trusted proxy, so the audit log and the public forms' per-address limits see the client,
and a client cannot choose its own address (issue 14, point 9)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from onehome.access.models import AuditEvent
from onehome.access.network import client_ip

PROXY = "10.0.0.5"


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.ONEHOME_TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_trusted_proxy_names_the_client(settings):
    settings.ONEHOME_TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_a_client_cannot_choose_its_address_by_sending_the_header(settings):
    settings.ONEHOME_TRUSTED_PROXIES = [PROXY]
    # Straight to the app: the header is ignored.
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # Through the proxy, with a forged first hop: the proxy's own entry (the rightmost) counts.
    assert client_ip(request_from(PROXY, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.ONEHOME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, "198.51.100.1, 10.1.1.1")) == "198.51.100.1"
    assert client_ip(request_from(PROXY, "not-an-address")) == PROXY
    assert client_ip(request_from(PROXY)) == PROXY


@pytest.mark.django_db
def test_the_audit_log_records_the_client_behind_the_proxy(client, worker, settings):
    settings.ONEHOME_TRUSTED_PROXIES = [PROXY]
    client.force_login(worker)
    response = client.post(
        "/api/people/",
        {
            "id_type": "none",
            "first_name_th": "สมใจ",
            "last_name_th": "รักดี",
            "birth_year": 1985,
            "subdistrict": "570101",
            "acknowledge_duplicates": True,
        },
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 201, response.content
    assert AuditEvent.objects.latest("id").ip == "198.51.100.7"


@pytest.mark.django_db
def test_the_public_forms_limit_each_client_behind_the_proxy_separately(client, settings):
    settings.ONEHOME_TRUSTED_PROXIES = [PROXY]
    url = reverse("public:track")
    for _ in range(40):
        last = client.get(
            url, {"reference": "NOPE-0000"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
        if last.status_code == 429:
            break
    assert last.status_code == 429, "the tracking page should limit one client"
    other = client.get(
        url, {"reference": "NOPE-0000"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other.status_code == 200
