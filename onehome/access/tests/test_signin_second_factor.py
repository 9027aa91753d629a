"""The second factor (issue 14, point 5): staff and users whose area is a region or the
nation confirm each sign-in with a TOTP code; until then only the code pages answer, the
API refuses their session and the admin is closed to them."""

from binascii import unhexlify
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.access.signin.second_factor import token_code_ok
from onehome.conftest import current_code, give_second_factor
from onehome.demo.logins import DEMO_PASSWORD, demo_logins, upsert_logins

PASSWORD = "pw-for-tests-only"

pytestmark = pytest.mark.real_sign_in  # force_login leaves the second factor unconfirmed


def sign_in(client, user, path="/login/", next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(path, data)


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(unhexlify(device.key), t0=device.t0 - offset * device.step):06d}"


@pytest.fixture
def national(make_user):
    return make_user(Role.ANALYST, level=ScopeLevel.NATION, code="")


@pytest.fixture
def inspector(make_user):
    return make_user(Role.INSPECTOR, level=ScopeLevel.REGION, code="16")


@pytest.fixture
def staff(make_user):
    return make_user(Role.ADMIN, level=ScopeLevel.NATION, code="", is_staff=True, is_superuser=True)


def test_a_provincial_user_needs_no_second_factor(client, worker):
    response = sign_in(client, worker)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_first_sign_in_enrols_an_app_then_reaches_the_page_asked_for(client, national):
    response = sign_in(client, national, next_url="/targeting/")
    assert response["Location"] == "/targeting/"
    # Every page sends the user to enrolment, keeping where they were going.
    response = client.get("/targeting/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/enrol/?next=%2Ftargeting%2F"
    assert client.get("/").status_code == 302

    client.cookies["django_language"] = "en"  # pages follow the language switch only
    page = client.get("/signin/enrol/?next=/targeting/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data:image/svg+xml" in html and 'id="otp-secret"' in html
    device = TOTPDevice.objects.get(user=national)
    assert not device.confirmed

    wrong = client.post("/signin/enrol/", {"code": "000000", "next": "/targeting/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302

    device.throttling_failure_count = 0
    device.save()
    done = client.post("/signin/enrol/", {"code": code_of(device), "next": "/targeting/"})
    assert done.status_code == 302 and done["Location"] == "/targeting/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200

    purposes = list(
        AuditEvent.objects.filter(object_type="signin", actor_id=national.pk)
        .order_by("pk")
        .values_list("action", "purpose")
    )
    assert purposes == [
        ("login", "password accepted; second factor required next"),
        ("login_failed", "wrong second-factor code"),
        ("login", "second factor enrolled and confirmed"),
    ]


def test_each_secret_is_shown_once(client, national):
    sign_in(client, national)
    first = client.get("/signin/enrol/").content.decode()
    second = client.get("/signin/enrol/").content.decode()
    secret = first.split('id="otp-secret">')[1].split("<")[0]
    assert secret and secret not in second
    assert TOTPDevice.objects.filter(user=national).count() == 1


def test_a_user_with_an_app_enters_its_code(client, inspector):
    key = give_second_factor(inspector)
    response = sign_in(client, inspector)
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"] == "/signin/code/?next=%2F"
    assert client.get("/signin/enrol/")["Location"].startswith("/signin/code/")
    client.cookies["django_language"] = "en"
    wrong = client.post("/signin/code/", {"code": "12345"})
    assert "6-digit code" in wrong.content.decode()
    response = client.post("/signin/code/", {"code": current_code(key), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_codes_are_throttled(client, inspector):
    key = give_second_factor(inspector)
    sign_in(client, inspector)
    client.post("/signin/code/", {"code": "000000"})
    client.cookies["django_language"] = "en"
    response = client.post("/signin/code/", {"code": current_code(key)})
    # Right code, but too soon after a wrong one: refused with the time to wait.
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_api_refuses_an_unconfirmed_session(client, national):
    sign_in(client, national)
    response = client.get("/api/provinces/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_the_admin_needs_the_second_factor(client, staff):
    key = give_second_factor(staff)
    response = sign_in(client, staff, path="/admin/login/", next_url="/admin/")
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/code/?next=%2Fadmin%2F"
    assert client.get("/admin/access/user/").status_code == 302
    client.post("/signin/code/", {"code": current_code(key)})
    assert client.get("/admin/access/user/").status_code == 200


def test_sign_out_and_the_language_switch_stay_open(client, national):
    sign_in(client, national)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_removed_device_ends_the_confirmation(client, inspector):
    key = give_second_factor(inspector)
    sign_in(client, inspector)
    client.post("/signin/code/", {"code": current_code(key)})
    assert client.get("/").status_code == 200
    TOTPDevice.objects.filter(user=inspector).delete()  # the admin removed a lost phone
    assert client.get("/")["Location"] == "/signin/enrol/?next=%2F"


@pytest.mark.parametrize(
    "extra,needs",
    [
        ({"level": ScopeLevel.SUBDISTRICT, "code": "570101"}, False),
        ({"level": ScopeLevel.PROVINCE, "code": "57"}, False),
        ({"level": ScopeLevel.REGION, "code": "16"}, True),
        ({"level": ScopeLevel.NATION, "code": ""}, True),
        ({"level": ScopeLevel.PROVINCE, "code": "57", "is_staff": True}, True),
    ],
)
def test_who_needs_a_second_factor(client, make_user, extra, needs):
    user = make_user(Role.SOCIAL_WORKER, **extra)
    sign_in(client, user)
    assert (client.get("/").status_code == 302) is needs


def test_the_demo_logins_that_need_it_get_the_printed_secret(db, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    upsert_logins(demo_logins("57", "16"), network=SimpleNamespace(provincial_office=None))
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    assert with_device == {"hotline_operator", "inspector", "analyst", "auditor", "admin", "dpo"}
    client.post("/login/", {"username": "admin", "password": DEMO_PASSWORD})
    out = StringIO()
    call_command("demo_code", stdout=out, stderr=StringIO())
    response = client.post("/signin/code/", {"code": out.getvalue().strip(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_token_views_check_of_the_code(worker, inspector):
    assert token_code_ok(worker, None)
    assert not token_code_ok(inspector, "123456")  # no device yet
    key = give_second_factor(inspector)
    assert not token_code_ok(inspector, None)
    assert not token_code_ok(inspector, "000000")
    TOTPDevice.objects.filter(user=inspector).update(throttling_failure_count=0)
    assert token_code_ok(inspector, current_code(key))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DPO])
def test_administrators_and_the_dpo_need_it_in_any_area(client, make_user, role):
    user = make_user(role, level=ScopeLevel.PROVINCE, code="57")
    sign_in(client, user)
    assert client.get("/")["Location"] == "/signin/enrol/?next=%2F"


def test_a_token_needs_the_code_where_the_pages_do(client, worker, inspector):
    # Without it, /api/token/ would be a way around the second factor.
    asked = {"username": inspector.username, "password": PASSWORD}
    key = give_second_factor(inspector)
    refused = client.post("/api/token/", asked, content_type="application/json")
    assert refused.status_code == 400 and "otp" in refused.json()
    assert "token" not in refused.json()
    answer = client.post(
        "/api/token/", {**asked, "otp": current_code(key)}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["token"]
    plain = {"username": worker.username, "password": PASSWORD}
    assert client.post("/api/token/", plain, content_type="application/json").status_code == 200
