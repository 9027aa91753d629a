"""Shared test fixtures: the whole geography loaded once per test database, and factories
for users, people and households that go through the real services."""

import itertools

import pytest
from django.utils import translation
from stdnum.th import pin

from onehome.access.models import Role, ScopeLevel, User
from onehome.geo.services import load_geography, load_village
from onehome.registry import services
from onehome.registry.models import IdType

CHIANG_RAI = "57"
MUEANG_CHIANG_RAI = "5701"
WIANG = "570101"  # ตำบลเวียง, อำเภอเมืองเชียงราย
BANGKOK_SUB = "100101"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_geography()
        load_village(code="57010101", name_th="บ้านทดสอบ")
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


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
    """For tests with a live server: a transactional test starts from an empty database
    and is emptied afterwards, so load the geography here and lift the audit log's
    append-only triggers for the flush that follows (this is the test database only)."""
    from django.db import connection

    from onehome.access import triggers

    triggers.install(connection)
    load_geography()
    load_village(code="57010101", name_th="บ้านทดสอบ")
    yield
    triggers.remove(connection)


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


@pytest.fixture
def english():
    """Use when a test asserts an English message (Thai is the default language)."""
    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright; skipped when it is not installed, unless
    ONEHOME_REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("ONEHOME_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def signed_in_page(browser, base_url: str, username: str, password: str):
    """A phone-sized Chromium tab (360 × 740, Thai) signed in through the login page."""
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="th-TH")
    page.set_default_timeout(15_000)
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"{base_url}/")
    return page
