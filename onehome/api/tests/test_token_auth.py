"""Token authentication (`onehome.api.auth`) answers as its specification, knox's own
`TokenAuthentication`, does: the user of a live token, and a refusal for everything else,
never a server error, on either database; in one query and without a write.
The refusal is 403: REST framework answers 403 rather than 401 when the first
authentication class (sessions) sends no WWW-Authenticate challenge."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.auth import TokenAuthentication as KnoxSpecification
from knox.models import AuthToken
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from onehome.api.auth import LeanTokenAuthentication

pytestmark = pytest.mark.django_db
REFUSED = 403


def _status(client, header: str) -> int:
    return client.get("/api/people/", HTTP_AUTHORIZATION=header).status_code


def test_a_live_token_works_and_anything_else_is_refused(client, worker, make_user):
    _token, key = AuthToken.objects.create(user=worker)
    assert _status(client, f"Token {key}") == 200
    _other, other = AuthToken.objects.create(user=make_user("social_worker"))
    assert _status(client, f"Token {other}") == 200  # the second key is bound, not the first
    wrong = ("0" * 64, key[:-1], key + "0", key[:15] + "0" * 49, "abc\x00def", "é" * 50, "x" * 500)
    for bad in wrong:
        assert _status(client, f"Token {bad}") == REFUSED, repr(bad)


def test_a_revoked_token_or_an_inactive_user_is_refused_at_once(client, worker):
    token, key = AuthToken.objects.create(user=worker)
    assert _status(client, f"Token {key}") == 200
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert _status(client, f"Token {key}") == REFUSED
    worker.is_active = True
    worker.save(update_fields=["is_active"])
    token.delete()
    assert _status(client, f"Token {key}") == REFUSED


def test_an_expired_token_is_refused(client, worker):
    _token, key = AuthToken.objects.create(user=worker, expiry=dt.timedelta(seconds=-1))
    assert _status(client, f"Token {key}") == REFUSED
    _token, live = AuthToken.objects.create(user=worker, expiry=dt.timedelta(minutes=5))
    assert _status(client, f"Token {live}") == 200


def test_a_request_checks_its_token_in_one_query_and_writes_nothing(client, worker):
    _token, key = AuthToken.objects.create(user=worker)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/regions/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if "knox_authtoken" in s]) == 1, sql
    assert not [s for s in sql if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")], sql


def _answer(auth, key: str):
    """What an authentication class makes of `Authorization: Token <key>`: the user's id
    and the token's digest, or the refusal's message."""
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"))
    try:
        user, token = auth.authenticate(request)
    except exceptions.AuthenticationFailed as refused:
        return ("refused", str(refused.detail))
    return (user.pk, token.digest)


def test_the_lean_class_answers_as_knox_does(worker, make_user):
    """The same answer from the fast path and from knox's own class, for each kind of key.
    The lean class first: knox's deletes the expired tokens it meets."""
    idle = make_user("social_worker")
    _live, live = AuthToken.objects.create(user=worker)
    _expired, expired = AuthToken.objects.create(user=worker, expiry=dt.timedelta(hours=-1))
    _idle, inactive = AuthToken.objects.create(user=idle)
    idle.is_active = False
    idle.save(update_fields=["is_active"])
    revoked_row, revoked = AuthToken.objects.create(user=worker)
    revoked_row.delete()
    _never, never_expires = AuthToken.objects.create(user=worker, expiry=None)
    keys = {
        "live": live,
        "never expires": never_expires,
        "expired": expired,
        "wrong": live[:15] + "f" * 49,  # a live token's prefix, another digest
        "unknown": "0" * 64,
        "short": live[:10],
        "inactive user": inactive,
        "revoked": revoked,
    }
    lean, spec = LeanTokenAuthentication(), KnoxSpecification()
    answers = {name: (_answer(lean, key), _answer(spec, key)) for name, key in keys.items()}
    for name, (fast, reference) in answers.items():
        assert fast == reference, name
    assert answers["live"][0][0] == worker.pk and answers["never expires"][0][0] == worker.pk
    refused = {n for n, (fast, _ref) in answers.items() if fast[0] == "refused"}
    assert refused == set(keys) - {"live", "never expires"}
