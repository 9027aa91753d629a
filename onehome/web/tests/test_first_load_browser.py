"""A first visit is light (issue 15, point 7): in Chromium with an empty cache, the login
page and the signed-in pages of a social worker and an analyst each transfer at most
250 KB, static files come compressed (brotli or gzip) and cached for a year under hashed
names, as the production settings serve them: collectstatic with the settings' storage,
then WhiteNoise in front of the app (the live_server fixture would serve static files with
Django's own uncompressed handler instead).

The figures are printed per page (`pytest -s`); docs/performance.md ("First load") keeps
them, before and after.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

import onehome.settings as production
from onehome.access.models import Role, ScopeLevel, User
from onehome.cases.models import CaseWorker
from onehome.cases.tests.sla_factories import make_case, make_org
from onehome.conftest import CHIANG_RAI, signed_in_page
from onehome.orgs.models import OrgKind

BUDGET = 250 * 1024
YEAR = 365 * 24 * 3600
PASSWORD = "first-load-pw"
TEMPLATES = Path(__file__).resolve().parents[2]


# Collecting and compressing every static file takes a while; no database changes it.
pytestmark = pytest.mark.once_in_ci("sqlite")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic as production runs it, into a folder of this module's own. Once per
    session: pytest-django runs the transactional test of this module apart from the other
    (at the end), so a module-scoped folder was collected twice."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=production.STORAGES,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", "--no-input", verbosity=0)
    return root


@pytest.fixture
def production_static(static_root, settings):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = production.STORAGES
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return static_root


@pytest.fixture
def whitenoise_server(production_static, live_data):
    """The WSGI app as gunicorn runs it: WhiteNoise serves /static/ from STATIC_ROOT."""
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("127.0.0.1", lambda app: app, connections_override=shared)
    thread.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for connection in shared.values():
        connection.dec_thread_sharing()


@pytest.fixture
def people(settings, live_data):
    """A social worker at a centre with a case of the centre, and an analyst."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = make_org("ศูนย์ช่วยเหลือสังคมตำบลเวียง", OrgKind.ASSISTANCE_CENTRE)
    office = make_org()

    def user(name, role, org):
        return User.objects.create_user(
            username=name,
            password=PASSWORD,
            roles=[role],
            scope_level=ScopeLevel.PROVINCE,
            scope_code=CHIANG_RAI,
            organisation=org,
            first_name=name,
        )

    worker = user("fl-worker", Role.SOCIAL_WORKER, centre)
    case = make_case(owner=centre)
    CaseWorker.objects.create(case=case, user=worker)
    return {"worker": worker, "analyst": user("fl-analyst", Role.ANALYST, office), "case": case}


def first_visit(browser, url: str, storage_state=None) -> dict:
    """Open `url` in a new browser context (empty cache) and add up what came over the
    wire: Chromium's encodedDataLength per request (headers and compressed body)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="th-TH", storage_state=storage_state
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    responses: dict[str, dict] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: responses.update({e["requestId"]: e}))
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]})
    )
    cdp.send("Network.enable")
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
    page.wait_for_load_state("networkidle")
    assert page.url == url, f"{url} went to {page.url}"
    files = []
    for request_id, size in sizes.items():
        response = responses[request_id]["response"]
        if not response["url"].startswith("http"):  # data: URIs inside the CSS
            continue
        headers = {k.lower(): v for k, v in response["headers"].items()}
        files.append(
            {
                "url": response["url"],
                "status": response["status"],
                "bytes": size,
                "encoding": headers.get("content-encoding", ""),
                "cache": headers.get("cache-control", ""),
            }
        )
    context.close()
    return {"url": url, "total": sum(f["bytes"] for f in files), "files": files}


def report(visit: dict) -> None:
    print(f"\n{visit['url']}: {visit['total'] / 1024:.1f} KB in {len(visit['files'])} requests")
    for f in sorted(visit["files"], key=lambda f: -f["bytes"]):
        name = f["url"].split("/", 3)[-1]
        print(f"  {f['bytes'] / 1024:7.1f} KB  {f['encoding'] or '-':5}  {name}")


def signed_in_state(browser, base: str, username: str) -> dict:
    page = signed_in_page(browser, base, username, PASSWORD)
    state = page.context.storage_state()
    page.context.close()
    return state


def test_each_first_visit_transfers_at_most_250_kb(browser, whitenoise_server, people):
    base = whitenoise_server
    worker = signed_in_state(browser, base, "fl-worker")
    analyst = signed_in_state(browser, base, "fl-analyst")
    visits = [
        first_visit(browser, f"{base}/login/"),
        first_visit(browser, f"{base}/", worker),
        first_visit(browser, f"{base}/cases/{people['case'].pk}/", worker),
        first_visit(browser, f"{base}/people/", worker),
        first_visit(browser, f"{base}/targeting/", analyst),
    ]
    for visit in visits:
        report(visit)
    for visit in visits:
        assert all(f["status"] < 400 for f in visit["files"]), visit["files"]
        assert visit["total"] <= BUDGET, f"{visit['url']}: {visit['total']} bytes"

    statics = [f for visit in visits for f in visit["files"] if "/static/" in f["url"]]
    fonts = [f for f in statics if ".woff2" in f["url"]]
    assert fonts, "the pages load Sarabun"
    assert not [f for f in statics if f["url"].endswith(".ttf")]
    for f in statics:
        if re.search(r"\.(css|js)$", f["url"]):
            assert f["encoding"] in ("br", "gzip"), f
        max_age = int(re.search(r"max-age=(\d+)", f["cache"]).group(1))
        assert max_age >= YEAR and "immutable" in f["cache"], f
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", f["url"]), f"not a hashed name: {f['url']}"


def test_every_static_file_a_template_names_is_collected(static_root):
    """With the manifest storage a page naming a missing file fails to render; the other
    tests render with the plain storage (onehome/conftest.py), so check every name here."""
    import json

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    named = set()
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        named |= set(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]", template.read_text()))
    assert named, "templates name static files"
    assert not named - set(manifest), sorted(named - set(manifest))
    for name in named:
        assert (static_root / manifest[name]).exists()
        if name.endswith((".css", ".js")):
            assert (static_root / (manifest[name] + ".br")).exists(), name
            assert (static_root / (manifest[name] + ".gz")).exists(), name
