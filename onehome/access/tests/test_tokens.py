"""API tokens (issue 14, point 3): stored hashed, shown once, expiring, revoked by their
owner (page and API) and by an administrator, and never shown again by any page."""

import datetime as dt
import importlib
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from onehome.access.models import AuditEvent, User
from onehome.notifications.models import Notification

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"


def _sign_in(client, user: User, password: str = PASSWORD, **headers):
    return client.post(
        "/api/token/",
        json.dumps({"username": user.username, "password": password}),
        content_type="application/json",
        **headers,
    )


def _token_for(user: User) -> str:
    response = _sign_in(Client(), user)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _status(key: str) -> int:
    """The API's answer to the token alone (a fresh client: no session)."""
    return Client().get("/api/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def _token_events(action: str):
    return AuditEvent.objects.filter(object_type="knox.authtoken", action=action)


def test_signing_in_answers_a_token_once_and_it_expires(client, worker):
    response = _sign_in(client, worker)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"} and len(body["token"]) == 64
    assert "no-store" in response["Cache-Control"]
    expiry = dt.datetime.fromisoformat(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs(expiry - (timezone.now() + ttl)) < dt.timedelta(minutes=1)
    assert _status(body["token"]) == 200
    issued = _token_events("create").get()
    assert issued.actor_id == worker.pk and issued.object_id == body["token"][:15]
    notice = Notification.objects.get(user=worker, kind="account")
    assert "New API token" in notice.title and body["token"][:15] in notice.body


def test_a_wrong_password_gets_no_token(client, worker):
    response = _sign_in(client, worker, "not-the-password", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Unable to log in with provided credentials."]
    assert not AuthToken.objects.exists()


def test_the_database_holds_no_token_only_its_digest(worker):
    key = _token_for(worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not [value for value in rows[0] if key in str(value)]
    assert "authtoken_token" not in connection.introspection.table_names()
    # Nor the audit log or the notice: a token is named by its prefix.
    for event in AuditEvent.objects.all():
        assert key not in json.dumps([event.before, event.after, event.object_id, event.purpose])
    assert not Notification.objects.filter(body__contains=key).exists()


def test_an_expired_token_is_refused_and_cleared_at_the_next_sign_in(worker):
    old, key = AuthToken.objects.create(user=worker, expiry=dt.timedelta(seconds=-1))
    assert _status(key) == 403
    assert AuthToken.objects.filter(pk=old.pk).exists()  # no write on a request
    _token_for(worker)
    assert not AuthToken.objects.filter(pk=old.pk).exists()
    assert _token_events("delete").get().purpose == "expired"


def test_a_user_revokes_a_token_on_the_page(client, worker):
    keep, gone = _token_for(worker), _token_for(worker)
    client.force_login(worker)
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert keep[:15] in html and gone[:15] in html
    assert keep not in html and gone not in html
    answer = client.post("/account/tokens/", {"token": gone[:15]}, follow=True)
    assert answer.status_code == 200
    assert _status(gone) == 403 and _status(keep) == 200
    revoked = _token_events("delete").get()
    assert revoked.actor_id == worker.pk and revoked.purpose == "revoked"
    assert Notification.objects.filter(user=worker, title__contains="API token revoked").exists()


def test_revoking_a_token_that_is_gone_changes_nothing(client, worker):
    key = _token_for(worker)
    client.force_login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the language switch only
    answer = client.post("/account/tokens/", {"token": "0" * 15}, follow=True)
    assert "does not exist any more" in answer.content.decode()
    assert _status(key) == 200 and not _token_events("delete").exists()


def test_a_user_revokes_all_tokens_on_the_page(client, worker):
    first, second = _token_for(worker), _token_for(worker)
    client.force_login(worker)
    client.post("/account/tokens/", {"all": "1"})
    assert _status(first) == 403 and _status(second) == 403
    assert _token_events("delete").count() == 2
    notices = Notification.objects.filter(user=worker, title__contains="API token revoked")
    assert notices.count() == 1  # one notice for both


def test_logout_revokes_this_token_and_logout_all_every_token(worker):
    first, second, third = _token_for(worker), _token_for(worker), _token_for(worker)
    api = Client()
    answer = api.post("/api/token/logout/", HTTP_AUTHORIZATION=f"Token {first}")
    assert answer.status_code == 204
    assert _status(first) == 403 and _status(second) == 200
    answer = api.post("/api/token/logout-all/", HTTP_AUTHORIZATION=f"Token {second}")
    assert answer.status_code == 204
    assert _status(second) == 403 and _status(third) == 403
    assert not AuthToken.objects.filter(user=worker).exists()
    assert api.post("/api/token/logout/").status_code in (401, 403)  # no token, nothing to do


@pytest.fixture
def boss(client):
    boss = User.objects.create_superuser("boss", "boss@example.invalid", "pw-for-tests-only")
    client.force_login(boss)
    return boss


def test_an_admin_revokes_a_token_and_its_owner_is_told(client, boss, worker):
    key = _token_for(worker)
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and key[:15] in listing.content.decode()
    url = f"/admin/knox/authtoken/revoke/{worker.pk}/{key[:15]}/"
    assert url in listing.content.decode()
    assert client.get(url).status_code == 200  # the confirmation
    assert _status(key) == 200
    assert client.post(url).status_code == 302
    assert _status(key) == 403
    revoked = _token_events("delete").get()
    assert revoked.actor_id == boss.pk
    notice = Notification.objects.get(user=worker, title__contains="API token revoked")
    assert "boss" in notice.body


def test_an_admin_revokes_every_token_of_chosen_users(client, boss, worker, make_user):
    other = make_user("social_worker")
    keys = [_token_for(worker), _token_for(worker), _token_for(other)]
    answer = client.post(
        "/admin/access/user/",
        {"action": "revoke_api_tokens", "_selected_action": [worker.pk, other.pk]},
    )
    assert answer.status_code == 302
    assert [_status(k) for k in keys] == [403, 403, 403]


def test_no_admin_page_shows_a_token_or_its_digest(client, boss, worker):
    key = _token_for(worker)
    digest = AuthToken.objects.get(user=worker).digest
    pages = [
        "/admin/",
        "/admin/knox/authtoken/",
        f"/admin/knox/authtoken/?user__id__exact={worker.pk}",
        f"/admin/knox/authtoken/?q={worker.username}",
        f"/admin/knox/authtoken/revoke/{worker.pk}/{key[:15]}/",
        "/admin/access/user/",
        f"/admin/access/user/{worker.pk}/change/",
        "/admin/access/auditevent/",
        "/account/tokens/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        assert key not in html and digest not in html, url
    # Knox's own admin pages (add a token, change one by its digest) are not there.
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
    for view in ("change", "history", "delete"):
        assert client.get(f"/admin/knox/authtoken/{digest}/{view}/").status_code == 403, view


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_plain_tokens_table(db_owner, worker):
    """The table is made and dropped as the tables' owner, as a migration runs (the app role
    may not CREATE or DROP)."""
    migration = importlib.import_module("onehome.access.migrations.0005_drop_plain_api_tokens")

    class Editor:  # the part of a schema editor the migration uses
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

        def quote_name(self, name):
            return connection.ops.quote_name(name)

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s)", ["a" * 40, worker.pk])
    migration.drop_plain_tokens(None, Editor())
    assert "authtoken_token" not in connection.introspection.table_names()
