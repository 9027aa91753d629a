"""Every change to a user's access is on the record, from any path (issue 14, point 3): the
admin site, a management command, code that saves the user. Each writes an audit row with
the changed fields before and after, and the user is told what changed, by whom and when;
a password change (never its hash) also revokes the user's API tokens."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from onehome.access.models import AuditEvent, Role, User
from onehome.notifications.models import Notification

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Kw7-plateau-lantern-2026"


def _updates(user: User):
    return AuditEvent.objects.filter(
        object_type="access.user", object_id=str(user.pk), action="update"
    )


def _notices(user: User):
    """The notices about the account itself (a token issued has its own)."""
    return Notification.objects.filter(
        user=user, kind="account", title__contains="Your account was changed"
    )


def _status(_client, key: str) -> int:
    """The API's answer to the token alone (a fresh client: no session)."""
    return Client().get("/api/people/", HTTP_AUTHORIZATION=f"Token {key}").status_code


@pytest.fixture
def boss(client):
    boss = User.objects.create_superuser("boss", "boss@example.invalid", "pw-for-tests-only")
    client.force_login(boss)
    return boss


def _change_form(user: User, **changes) -> dict:
    """The admin's change form for `user` as sent back unchanged, with `changes`."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "organisation": "",
        "roles": '["social_worker", "centre_staff"]',
        "scope_level": user.scope_level,
        "scope_code": user.scope_code,
    }
    return {**data, **changes}


def test_an_admin_change_of_roles_and_scope_is_audited_and_the_user_told(client, boss, worker):
    url = f"/admin/access/user/{worker.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, _change_form(worker, roles='["supervisor"]', scope_level="district", scope_code="5701")
    )
    assert response.status_code == 302, response.content[:2000]
    event = _updates(worker).get()
    assert event.actor_id == boss.pk and event.actor_username == "boss"
    assert event.before == {
        "roles": ["social_worker", "centre_staff"],
        "scope_level": "province",
        "scope_code": "57",
    }
    assert event.after == {"roles": ["supervisor"], "scope_level": "district", "scope_code": "5701"}
    notice = _notices(worker).get()
    assert "Your account was changed" in notice.title
    assert "boss" in notice.body and "Supervisor" in notice.body and "5701" in notice.body
    assert str(timezone.localtime().year + 543) in notice.body  # the Thai part: Buddhist era
    # Sent back unchanged: no row, no notice.
    client.post(url, _change_form(worker, roles='["supervisor"]', scope_level="district",
                                  scope_code="5701"))  # fmt: skip
    assert _updates(worker).count() == 1 and _notices(worker).count() == 1


def test_an_admin_password_change_is_audited_without_the_hash_and_revokes_tokens(
    client, boss, worker
):
    _token, key = AuthToken.objects.create(user=worker)
    assert _status(client, key) == 200
    response = client.post(
        f"/admin/access/user/{worker.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:2000]
    event = _updates(worker).get()
    assert event.after == {"password": "changed"} and event.actor_id == boss.pk
    worker.refresh_from_db()
    assert worker.password not in str(event.before) + str(event.after)
    assert _status(client, key) == 403
    assert not AuthToken.objects.filter(user=worker).exists()
    notice = _notices(worker).get()
    assert "password: changed" in notice.body and "API token was revoked" in notice.body


def test_a_password_change_in_code_revokes_every_token(client, worker):
    _one, first = AuthToken.objects.create(user=worker)
    _two, second = AuthToken.objects.create(user=worker)
    worker.set_password(NEW_PASSWORD)
    worker.save()
    assert _status(client, first) == 403 and _status(client, second) == 403
    revoked = AuditEvent.objects.filter(object_type="knox.authtoken", action="delete")
    assert list(revoked.values_list("purpose", flat=True)) == ["revoked: password changed"] * 2
    assert _updates(worker).get().actor_id is None  # no request: a command or a script


def test_a_password_rehashed_at_sign_in_is_not_a_change(client, worker, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    User.objects.filter(pk=worker.pk).update(
        password=make_password("pw-for-tests-only", hasher="md5")
    )
    _token, key = AuthToken.objects.create(user=worker)
    worker.refresh_from_db()
    assert worker.check_password("pw-for-tests-only")  # upgrades the hash and saves it
    worker.refresh_from_db()
    assert worker.password.startswith("pbkdf2_")
    assert _status(client, key) == 200
    assert not _updates(worker).exists()


def test_changepassword_command_is_audited_and_revokes_tokens(client, worker, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)
    _token, key = AuthToken.objects.create(user=worker)
    call_command("changepassword", worker.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    event = _updates(worker).get()
    assert event.actor_id is None and event.channel == "system"
    assert event.after == {"password": "changed"}
    assert _status(client, key) == 403
    # Told too, though no one signed in made the change.
    notice = _notices(worker).get()
    assert "password: changed" in notice.body and "API token was revoked" in notice.body


def test_a_change_saved_by_a_command_is_audited(worker):
    call_command(
        "shell",
        command=(
            "from onehome.access.models import User\n"
            f"u = User.objects.get(pk={worker.pk})\n"
            "u.roles = ['auditor']\n"
            "u.is_active = False\n"
            "u.save()\n"
        ),
    )
    event = _updates(worker).get()
    assert event.before == {"roles": ["social_worker", "centre_staff"], "is_active": True}
    assert event.after == {"roles": ["auditor"], "is_active": False}
    assert event.actor_id is None


def test_staff_flags_and_organisation_changes_are_audited(worker):
    from onehome.orgs.models import Organisation, OrgKind

    centre = Organisation.objects.create(
        code="c-1", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์ทดสอบ", province_id="57"
    )
    worker.organisation = centre
    worker.is_staff = True
    worker.save()
    event = _updates(worker).get()
    assert event.before == {"organisation": None, "is_staff": False}
    assert event.after == {"organisation": centre.pk, "is_staff": True}
    assert "ศูนย์ทดสอบ" in _notices(worker).get().body


def test_a_sign_in_is_not_a_change(client, worker):
    signed_in = client.post(
        "/login/", {"username": worker.username, "password": "pw-for-tests-only"}
    )
    assert signed_in.status_code == 302
    assert not _updates(worker).exists() and not _notices(worker).exists()


def test_a_new_user_and_a_deleted_user_are_on_the_record(make_user):
    user = make_user(Role.AUDITOR)
    created = AuditEvent.objects.get(object_type="access.user", object_id=str(user.pk))
    assert created.action == "create" and created.after["roles"] == ["auditor"]
    assert created.after["password"] == "set"
    AuthToken.objects.create(user=user, expiry=dt.timedelta(hours=1))
    pk = user.pk
    user.delete()
    deleted = AuditEvent.objects.get(object_type="access.user", object_id=str(pk), action="delete")
    assert deleted.before["roles"] == ["auditor"]
    token_gone = AuditEvent.objects.get(object_type="knox.authtoken", action="delete")
    assert token_gone.purpose == "revoked: user deleted"
