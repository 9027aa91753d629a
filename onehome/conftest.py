"""Shared test fixtures: the whole geography loaded once per test database, and factories
for users, people and households that go through the real services."""

import contextlib
import itertools
import os
from binascii import unhexlify

import pytest
from django.conf import settings
from django.test import TransactionTestCase
from django.test.client import ClientMixin
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.th import pin

from onehome.access.models import Role, ScopeLevel, User
from onehome.access.signin.second_factor import needs_second_factor
from onehome.geo.models import Subdistrict
from onehome.geo.services import load_geography, load_village
from onehome.registry import services
from onehome.registry.models import IdType

CHIANG_RAI = "57"
MUEANG_CHIANG_RAI = "5701"
WIANG = "570101"  # ตำบลเวียง, อำเภอเมืองเชียงราย
BANGKOK_SUB = "100101"


# On PostgreSQL, with ONEHOME_TEST_APP_ROLE=<role> (CI), the tests connect as that role
# after the owner has created and migrated the test database: no superuser, no table of
# its own, SELECT and INSERT only on the audit log (onehome/access/app_role.py). Only the
# flush after a transactional test, and tests that migrate (`db_owner`), run as the owner.
APP_ROLE = os.environ.get("ONEHOME_TEST_APP_ROLE", "")
_owner: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Production names static files by their hash, from the manifest that collectstatic
    writes; tests render pages without collecting, so they use the plain storage (Django's
    static handler serves the files from the finders). The first-load test collects and
    serves with the production storage (onehome/web/tests/test_first_load_browser.py)."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """The production hasher (PBKDF2, about a million rounds) costs half a second to a
    second of CPU for every user a test makes and every password sign-in; the suite makes
    thousands. Tests hash with MD5; a test of hashing itself sets PASSWORD_HASHERS
    (onehome/access/tests/test_user_changes.py upgrades an MD5 hash to PBKDF2)."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _yaml_parsed_once():
    """The targeting catalogue (tpmap_2018.yaml) is read from its file whenever it is used:
    by every finished run a test builds (`targeting/tests/finished.py`, eight times a
    run), by each explanation and area page: a tenth to a fifth of the targeting page tests'
    time went to PyYAML. Tests parse each distinct text once and hand out a deep copy (the same
    value, which the caller may change); a text that fails to parse is parsed, and fails,
    every time."""
    import copy

    import yaml

    parse = yaml.safe_load
    parsed: dict[str, object] = {}

    def safe_load(stream):
        if not isinstance(stream, str):
            return parse(stream)
        if stream not in parsed:
            parsed[stream] = parse(stream)
        return copy.deepcopy(parsed[stream])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml, "safe_load", safe_load)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_geography()
        load_village(code="57010101", name_th="บ้านทดสอบ")
        _geography["subdistricts"] = Subdistrict.objects.count()
        _connect_as_app_role()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _flush_as_owner)
        yield
    with django_db_blocker.unblock():
        _connect_as(_owner.get("USER"))
        _end_other_sessions()


def _connect_as_app_role() -> None:
    from django.db import connection

    from onehome.access import app_role

    if not APP_ROLE or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        app_role.create_role(cursor, APP_ROLE, connection.ops.quote_name)
    problems = app_role.grant(connection, APP_ROLE)
    assert not problems, problems
    _owner["USER"] = connection.settings_dict["USER"]
    _connect_as(APP_ROLE)


def _connect_as(user: str | None) -> None:
    """The default connection reconnects as `user`; so do the live server's threads, which
    share its settings."""
    from django.db import connection

    if user is None or connection.settings_dict["USER"] == user:
        return
    connection.close()
    connection.settings_dict["USER"] = user


@contextlib.contextmanager
def _as_owner():
    from django.db import connection

    was = connection.settings_dict["USER"]
    _connect_as(_owner.get("USER"))
    try:
        yield
    finally:
        _connect_as(was)


_original_fixture_teardown = TransactionTestCase._fixture_teardown


# The national geography (7,436 sub-districts) that `django_db_setup` loads. No test
# that empties the database writes to these tables (the tests of the load itself run in a
# rolled-back transaction), so the flush keeps them: reloading them after every
# transactional test cost one to three seconds each (`live_data`). Villages are emptied.
KEPT_BY_FLUSH = frozenset(
    {"geo_inspectionregion", "geo_province", "geo_district", "geo_subdistrict"}
)
_geography: dict[str, int] = {}


def _flush_as_owner(self) -> None:
    """After a transactional test the database is emptied but for the geography
    (`KEPT_BY_FLUSH`), the audit log too: as the tables' owner (the app role may not
    TRUNCATE), with the audit log's triggers lifted for the flush and put back after it
    (this is the test database only)."""
    from django.db import connection

    from onehome.access import triggers

    every_table = connection.introspection.django_table_names

    def flushed(*args, **kwargs):
        return [t for t in every_table(*args, **kwargs) if t not in KEPT_BY_FLUSH]

    with _as_owner(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection.introspection, "django_table_names", flushed)
        triggers.remove(connection)
        try:
            _original_fixture_teardown(self)
        finally:
            triggers.install(connection)


@pytest.fixture
def db_owner(transactional_db):
    """For a test that migrates: it connects as the tables' owner (transactional: the
    connection is opened anew)."""
    with _as_owner():
        yield


@pytest.fixture
def as_db_owner(transactional_db):
    """For a transactional test that acts as the tables' owner for a moment (to tamper
    with the audit log as an owner could): `with as_db_owner(): ...`."""
    return _as_owner


@pytest.hookimpl(trylast=True)  # after pytest-django's order (transactional tests last)
def pytest_collection_modifyitems(items):
    """Modules with RUN_LAST = True run last: onehome/access/tests/test_app_role.py proves
    the suite still connects as the app role after every other test and fixture.

    CI runs the suite on SQLite and on PostgreSQL side by side and sets
    ONEHOME_SPLIT_BROWSER_CHECKS=1: a test marked `once_in_ci("postgresql")` (a long check
    of what Chromium shows, such as axe-core over every role's pages, that no database
    changes) then runs in that suite only, so that the two suites share the long checks
    instead of both paying for them. So do the targeting engine's tests that use no
    database (`_once_in_ci`): Spark's and the full runs in the SQLite suite, the others
    in the PostgreSQL suite. Elsewhere every test runs."""
    items.sort(key=_run_late)
    if (vendor := ci_suite()) is None:
        return
    for item in items:
        if (suite := _once_in_ci(item)) and suite != vendor:
            item.add_marker(pytest.mark.skip(reason=f"CI runs it in the {suite} suite"))


def ci_suite() -> str | None:
    """In CI (ONEHOME_SPLIT_BROWSER_CHECKS=1), which of the two suites this is: "sqlite" or
    "postgresql"; elsewhere None, and every test runs whole. The API contract run splits
    its generated requests between the suites too (api/tests/test_contract.py)."""
    if os.environ.get("ONEHOME_SPLIT_BROWSER_CHECKS") != "1":
        return None
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if engine.endswith("postgresql") else "sqlite"


def _once_in_ci(item) -> str | None:
    """The one suite that runs the test in CI, if only one does."""
    if marker := item.get_closest_marker("once_in_ci"):
        return marker.args[0]
    uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    )
    if uses_db or not item.module.__name__.startswith("onehome.targeting.tests."):
        return None
    # The targeting engine's own tests (DuckDB and Spark, hypothesis against brute force):
    # minutes of CPU, and no database (pytest-django refuses it to a test without one).
    if item.get_closest_marker("spark") or item.module.__name__.endswith(".test_full_run"):
        return "sqlite"
    return "postgresql"


def _run_late(item) -> tuple[bool, bool]:
    """RUN_LAST modules last; before them the browser tests, together, so that one Chromium
    serves them all (`browser`). The sort is stable: pytest-django's order stays within."""
    run_last = bool(getattr(getattr(item, "module", None), "RUN_LAST", False))
    return run_last, "browser" in getattr(item, "fixturenames", ())


def _end_other_sessions() -> None:
    """The live server answers Chromium's kept-alive connections in daemon threads, which
    may still hold a PostgreSQL session when the tests end (seen: idle after reading a
    survey round for a page). PostgreSQL will not drop a database that has sessions, and
    the test database was left behind with a warning; they are ended first."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """Survey rounds and run results are files under ONEHOME_DATA_DIR, named by run id; run
    ids restart with every test database, so each test writes into its own directory."""
    settings.ONEHOME_DATA_DIR = tmp_path / "data"


_ids = itertools.count(110170023070)


def make_thai_id() -> str:
    """A fresh valid Thai national ID (12 digits + check digit)."""
    body = str(next(_ids))
    return body + pin.calc_check_digit(body)


@pytest.fixture
def live_data(transactional_db):
    """For tests with a live server: a transactional test is emptied afterwards but for
    the national geography (`_flush_as_owner`), so load the test village here (and the
    geography, should it be missing)."""
    if Subdistrict.objects.count() != _geography.get("subdistricts"):
        load_geography()
    load_village(code="57010101", name_th="บ้านทดสอบ")


@pytest.fixture
def make_user(db):
    counter = itertools.count()

    def make(
        *roles: str, level: str = ScopeLevel.PROVINCE, code: str = CHIANG_RAI, **extra
    ) -> User:
        user = User.objects.create_user(
            username=f"u{next(counter)}_{'_'.join(roles) or 'none'}",
            password="pw-for-tests-only",
            roles=list(roles),
            scope_level=level,
            scope_code=code,
            **extra,
        )
        return user

    return make


@pytest.fixture
def worker(make_user) -> User:
    """A social worker scoped to Chiang Rai province."""
    return make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)


@pytest.fixture
def outsider(make_user) -> User:
    """A social worker scoped to Bangkok: sees nothing of Chiang Rai."""
    return make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF, code="10")


@pytest.fixture
def supervisor(make_user) -> User:
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def make_person(worker):
    def make(first="สมชาย", last="ใจดี", *, subdistrict=WIANG, actor=None, **kw):
        kw.setdefault("id_type", IdType.THAI_ID)
        if kw["id_type"] == IdType.THAI_ID:
            kw.setdefault("id_number", make_thai_id())
        kw.setdefault("id_number", None)
        kw.setdefault("birth_year", 1970)
        kw.setdefault("acknowledge_duplicates", True)
        return services.register_person(
            actor=actor or worker,
            first_name_th=first,
            last_name_th=last,
            subdistrict=subdistrict,
            **kw,
        )

    return make


@pytest.fixture
def make_household(worker):
    def make(*, subdistrict=WIANG, actor=None, **kw):
        return services.create_household(actor=actor or worker, subdistrict=subdistrict, **kw)

    return make


def give_second_factor(user: User) -> str:
    """A confirmed TOTP device for `user` (made once) with its last code forgotten, so a
    test may sign in again at once; returns its hex key (`django_otp.oath.totp` makes the
    code). For users who need a second factor (onehome/access/signin)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return device.key


def current_code(key: str) -> str:
    return f"{totp(unhexlify(key)):06d}"


def mark_second_factor_verified(client, user: User) -> None:
    """Mark the client's session as having confirmed the user's TOTP code, as the code page
    does (django_otp.login keeps the device's id in the session)."""
    give_second_factor(user)
    device = TOTPDevice.objects.get(user=user, name="test")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_confirms_the_second_factor(request, monkeypatch):
    """`client.force_login(user)` stands for a finished sign-in: for a user who needs a
    second factor (staff, region- or nation-wide scope), that includes the TOTP code. Tests
    of the sign-in itself (marked `real_sign_in`) get the bare session instead."""
    if request.node.get_closest_marker("real_sign_in"):
        return
    bare = ClientMixin.force_login

    def force_login(self, user, backend=None):
        bare(self, user, backend)
        if needs_second_factor(user):
            mark_second_factor_verified(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def english():
    """Use when a test asserts an English message (Thai is the default language)."""
    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


_chromium: dict = {}


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright; skipped when it is not installed, unless
    ONEHOME_REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure.

    One Chromium serves a run of consecutive browser tests (they run together, at the end:
    `pytest_collection_modifyitems`) and is closed after the last of them
    (`pytest_runtest_teardown`); each test still gets a browser with no context or page
    left by another (they are closed after every test)."""
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("ONEHOME_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    shared = _launch_chromium()
    yield shared
    if shared.is_connected():  # else closed already: the last of the run (below)
        for context in shared.contexts:
            context.close()


def _launch_chromium():
    if "browser" in _chromium and not _chromium["browser"].is_connected():
        _close_chromium()  # it crashed in an earlier test: a new one
    if "browser" not in _chromium:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API marks its event loop as running in this thread while it is
        # open; the ORM calls made by the tests themselves are synchronous and safe.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        _chromium["playwright"] = sync_playwright().start()
        _chromium["browser"] = _chromium["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    return _chromium["browser"]


def _close_chromium() -> None:
    if launched := _chromium.pop("browser", None):
        try:
            launched.close()
        finally:
            _chromium.pop("playwright").stop()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Chromium closes unless the next test drives it too: before the test's fixtures are
    torn down, as the function-scoped browser was (then the live server's connections and
    the test database go, with no tab left to ask them anything)."""
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _close_chromium()
    return (yield)


def signed_in_page(browser, base_url: str, username: str, password: str):
    """A phone-sized Chromium tab (360 × 740, Thai) signed in through the login page (and
    the code page, with a test device, for a user who needs a second factor)."""

    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="th-TH")
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    user = User.objects.get(username=username)
    key = give_second_factor(user) if needs_second_factor(user) else None
    page.locator("form:has(input[name=password]) [type=submit]").click()
    if key:  # the code page, then on
        page.wait_for_url(f"{base_url}/signin/code/**")
        page.fill("input[name=code]", current_code(key))
        page.locator("form:has(input[name=code]) [type=submit]").click()
    # Home, or the phone app for a volunteer (issue 16, point 10).
    page.wait_for_url(lambda url: url in (f"{base_url}/", f"{base_url}/volunteers/app/"))
    return page
