"""Token authentication (`onehome.api.auth`) answers as REST framework's does: the user of
a live token, and a refusal for everything else, never a server error, on either database.
The refusal is 403: REST framework answers 403 rather than 401 when the first
authentication class (sessions) sends no WWW-Authenticate challenge."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
REFUSED = 403


def _status(client, header: str) -> int:
    return client.get("/api/people/", HTTP_AUTHORIZATION=header).status_code


def test_a_live_token_works_and_anything_else_is_refused(client, worker, make_user):
    token = Token.objects.create(user=worker)
    assert _status(client, f"Token {token.key}") == 200
    other = Token.objects.create(user=make_user("social_worker"))
    assert _status(client, f"Token {other.key}") == 200  # the second key is bound, not the first
    for key in ("0" * 40, token.key[:-1], token.key + "0", "abc\x00def", "é" * 50, "x" * 500):
        assert _status(client, f"Token {key}") == REFUSED, repr(key)


def test_a_deleted_token_or_an_inactive_user_is_refused_at_once(client, worker):
    token = Token.objects.create(user=worker)
    assert _status(client, f"Token {token.key}") == 200
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert _status(client, f"Token {token.key}") == REFUSED
    worker.is_active = True
    worker.save(update_fields=["is_active"])
    token.delete()
    assert _status(client, f"Token {token.key}") == REFUSED
