"""Every write route, tried by every role from Bangkok against Chiang Rai (issue 14, point 7).

Generated from the live URL map and the role table, so a new write route is tried the day
it is added: every route that accepts POST, PUT, PATCH or DELETE (a viewset route's method
map, a page view that reads a POST or has a `post` method) is requested by a user holding
one role of `Role`, scoped to Bangkok (province 10) and working for a Bangkok centre,
against a Chiang Rai record, or asking to create one in Chiang Rai. The answer must be a
refusal (400, 403, 404, 405; a page form may show itself again with its error, 200) and
nothing may be written: the request runs no INSERT, UPDATE or DELETE but on the session
and the cache.

A write route that cannot be aimed at Chiang Rai is listed in `NOT_AIMED_AT_AN_AREA` with
the reason, and still tried (nothing of Chiang Rai may change); a route missing from both
the routes this test knows how to aim and that list fails the test.
"""

import datetime as dt
import inspect
import json
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onehome.access.models import Role, ScopeLevel, User
from onehome.access.tests.test_url_policies import (  # noqa: F401 (a fixture)
    app_routes,
    chiang_rai_records,
)
from onehome.conftest import WIANG
from onehome.orgs.models import Organisation, OrgKind

WRITE_METHODS = ("post", "put", "patch", "delete")

# Write routes that no request can aim at another area, and why; tried all the same.
NOT_AIMED_AT_AN_AREA = {
    "api/token/": "public: signing in for a token (a wrong sign-in writes nothing)",
    "api/token/logout/": "the caller's own token; answers only a token, not a session",
    "api/token/logout-all/": "the caller's own tokens; answers only a token, not a session",
    "account/tokens/": "the caller's own API tokens: revokes only their own",
    "login/": "public: signing in",
    "logout/": "public: signing out ends the caller's own session",
    "signin/code/": "the caller's own second factor (access/signin)",
    "signin/enrol/": "the caller's own second factor (access/signin)",
    "i18n/setlang/": "public: the language cookie",
    "report/": "public: the web self-report form takes a report from anyone (issue 4)",
    "people/validate/": "writes nothing: a form's inline validation",
    "cases/notifications/": "the caller's own inbox: marks their own notices read",
    "api/notifications/read/": "the caller's own inbox: marks their own notices read",
    "cases/stock/": "the caller's own centre's stock; no request names another centre",
    "api/stock/receive/": "the caller's own centre's stock; no request names another centre",
    "targeting/import/": "national: survey rounds are imported by the role table's analysts",
    "targeting/runs/start/": "national: runs are started by the role table's analysts",
    "api/targeting/runs/": "national: runs are started by the role table's analysts",
    # Needs a finished targeting run (Parquet results); tried against a run that does not
    # exist. The area rule of `registry_links.link_household` is tested in
    # targeting/tests/test_api.py (test_link_creates_once: an outsider gets 404).
    "targeting/runs/<int:run_id>/households/<str:household_id>/link/": "needs a finished run",
    "api/targeting/households/<pk>/link/": "needs a finished run",
}

# A page form refuses by showing itself again with the error (the house rule: a refusal
# the user can cause is a message, and changes nothing).
FORM_PAGES = {
    "people/new/",
    "people/households/new/",
    "cases/intake/",
    "privacy/breaches/",
    "volunteers/roster/new/",
    "volunteers/roster/clubs/",
}


@dataclass(frozen=True)
class WriteRoute:
    route: str  # as printed: the DRF regex reduced to a path template
    pattern: object
    methods: tuple[str, ...]


def _plain(route: str) -> str:
    """A readable route: `api/^people/(?P<pk>[^/.]+)/$` → `api/people/<pk>/`."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return route.replace("^", "").replace("$", "")


def _write_methods(callback) -> tuple[str, ...]:
    """A class-based view's write handlers (a PATCH-only route is tried with PATCH); a
    function view's POST when its source reads one."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return tuple(m for m in WRITE_METHODS if hasattr(view_class, m))
    source = inspect.getsource(inspect.unwrap(callback))
    return ("post",) if "POST" in source or "request.method" in source else ()


def write_routes() -> list[WriteRoute]:
    """Every app route that accepts a write, with the write methods it accepts (the
    format-suffixed twins of the API's routes are the same views and left out)."""
    found = []
    for route, p in app_routes():
        if "format>" in route or "drf_format_suffix" in route:
            continue
        actions = getattr(p.callback, "actions", None)
        if actions is not None:  # a viewset's route: its method map says what it takes
            methods = tuple(m for m in WRITE_METHODS if m in actions)
        else:
            methods = _write_methods(p.callback)
        if methods:
            found.append(WriteRoute(_plain(route), p, methods))
    return found


def test_the_write_routes_are_found():
    routes = {r.route: r.methods for r in write_routes()}
    assert routes["api/people/"] == ("post",)
    assert routes["api/people/<pk>/"] == ("patch",)
    assert routes["api/villages/"] == ("post",)
    assert routes["people/<int:pk>/edit/"] == ("post",)
    assert "api/people/<pk>/households/" not in routes  # GET only
    assert "people/<int:pk>/" not in routes  # a page that only shows


# --- the records and the bodies ----------------------------------------------------------


@pytest.fixture
def targets(chiang_rai_records, worker):  # noqa: F811 (the fixture imported above)
    """Chiang Rai's records, a plan goal of its case and a Bangkok centre."""
    from onehome.cases.plans import services as plans

    case = chiang_rai_records["case"]
    hospital = Organisation.objects.get(code="p-hosp")
    staff = User.objects.get(username="p-staff")
    goal = plans.add_plan_goal(
        actor=staff, case_id=case.pk, dimension="health", goal="ตรวจสุขภาพ", action="นัดหมอ",
        agency_id=hospital.pk, due_date=dt.date.today() + dt.timedelta(days=30),
    )  # fmt: skip
    bangkok_centre = Organisation.objects.create(
        code="w-bkk", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์กรุงเทพ", province_id="10"
    )
    return {**chiang_rai_records, "goal": goal, "hospital": hospital, "centre": bangkok_centre}


def _bodies(t: dict) -> dict[str, dict]:
    """What each creating route is asked to create: something in Chiang Rai."""
    case = t["case"]
    return {
        "api/people/": {"id_type": "none", "first_name_th": "ทดสอบ", "subdistrict": WIANG,
                        "acknowledge_duplicates": True},
        "api/households/": {"subdistrict": WIANG, "house_no": "1/1"},
        "api/villages/": {"code": "57010209", "name_th": "บ้านใหม่"},
        "api/reports/": {"channel": "hotline", "call_type": "new", "subdistrict": WIANG,
                         "category": "elderly"},
        "api/referrals/": {"case": case.pk, "to_org": t["hospital"].pk, "need": "ตรวจ",
                           "due_at": str(dt.date.today() + dt.timedelta(days=3))},
        "api/services/": {"case": case.pk, "kind": "counselling"},
        "privacy/breaches/": {"discovered_at": "2026-01-05T10:00", "subdistrict": WIANG,
                              "description": "ทดสอบ", "records_affected": "1",
                              "people_affected": "1", "risk": "risk"},
        "people/new/": {"id_type": "none", "first_name_th": "ทดสอบ", "sex": "female",
                        "subdistrict": WIANG, "acknowledge_duplicates": "on"},
        "people/households/new/": {"subdistrict": WIANG, "house_no": "1/1"},
        "volunteers/roster/new/": {"person": t["person"].pk, "subdistrict": WIANG,
                                   "villages": [f"{WIANG}01"], "centre": t["volunteer"].centre_id},
        "volunteers/roster/clubs/": {"name": "ชมรม", "subdistrict": WIANG},
        "api/volunteers/roster/": {"person": t["person"].pk, "subdistrict": WIANG,
                                   "villages": [f"{WIANG}01"], "centre": t["volunteer"].centre_id},
        "api/volunteers/clubs/": {"name": "ชมรม", "subdistrict": WIANG},
        "cases/intake/": {"channel": "hotline", "call_type": "new", "subdistrict": WIANG,
                          "category": "elderly", "urgency": "normal", "summary": "ทดสอบ",
                          "idempotency_key": "write-routes",
                          "form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"},
    }  # fmt: skip


def _any_body(t: dict) -> dict:
    """For a route on one record: a body that would pass for most of them, so that the
    refusal comes from the record's area, not from a missing field."""
    return {
        "version": 1, "reason": "ทดสอบ", "text": "ทดสอบ", "note": "ทดสอบ", "need": "ทดสอบ",
        "to_status": "assessing", "step": "accept", "duplicate": t["person"].pk,
        "person": t["person"].pk, "relationship": "child", "case": t["case"].pk,
        "phone": "0811111111", "house_no": "2", "worker": 1, "to_org": t["hospital"].pk,
        "outcome": "ทดสอบ", "until": str(dt.date.today() + dt.timedelta(days=3)),
    }  # fmt: skip


OBJECT_OF_ARGUMENT = [  # (route pattern, argument) → record; first match wins
    (re.compile(r"volunteers/\^?roster"), "pk", "volunteer"),
    (re.compile(r"volunteers/assignments/<(int:)?pk>"), "pk", "assignment"),
    (re.compile(r"volunteers/conflicts/"), "pk", "sync_conflict"),
    (re.compile(r"volunteers/households/"), "household_id", "household"),
    (re.compile(r"privacy/requests"), "pk", "data_request"),
    (re.compile(r"privacy/breaches"), "pk", "breach"),
    (re.compile(r"privacy/people"), "consent_id", "consent"),
    (re.compile(r"reports"), "pk", "report"),
    (re.compile(r"referrals"), "pk", "referral"),
    (re.compile(r"services/"), "pk", "service"),
    (re.compile(r"cases/"), "goal_id", "goal"),
    (re.compile(r"volunteers/households/"), "goal_id", "goal"),
    (re.compile(r"cases/"), "pk", "case"),
    (re.compile(r"merge"), "pk", "merge"),
    (re.compile(r"household"), "pk", "household"),
    (re.compile(r"people|person"), "pk", "person"),
]
TEXT_ARGUMENTS = {
    "to_status": "answered",
    "step": "accept",
    "decision": "approve",
    "household_id": "x",  # a targeting run's household (volunteers' are records, above)
    "run_id": "999999",
}


def _url(route: str, t: dict) -> str | None:
    """The route filled with Chiang Rai's records; None when it has an argument this test
    cannot fill (add it to OBJECT_OF_ARGUMENT)."""
    unknown = []

    def arg(match: re.Match) -> str:
        name = match.group(1)
        for rx, argument, kind in OBJECT_OF_ARGUMENT:
            if argument == name and rx.search(route):
                return str(t[kind].pk)
        if name in TEXT_ARGUMENTS:
            return TEXT_ARGUMENTS[name]
        unknown.append(name)
        return "0"

    path = re.sub(r"<(?:\w+:)?(\w+)>", arg, route)
    return None if unknown else "/" + path


# --- the test -------------------------------------------------------------------------------


def _not_records() -> set[str]:
    """Tables that hold no record: the sessions, the database cache (the public form's
    rate limit counts requests there), the audit log of signing in and out and the failed
    sign-in counts (access/signin)."""
    from django.conf import settings

    cache = settings.CACHES["default"]
    is_db_cache = cache["BACKEND"].endswith("DatabaseCache")
    signin = {"access_auditevent", "axes_accessattempt"}
    return {"django_session", *signin, *([cache["LOCATION"]] if is_db_cache else [])}


def _writes(queries) -> list[str]:
    """The tables the captured statements wrote to, but those that hold no record."""
    tables = []
    for q in queries:
        sql = q["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper() if sql else ""
        if verb not in ("INSERT", "UPDATE", "DELETE"):
            continue
        m = re.search(r"(?:INTO|UPDATE|FROM)\s+\"?(\w+)\"?", sql, re.I)
        table = m.group(1) if m else sql[:40]
        if table not in _not_records():
            tables.append(f"{verb} {table}")
    return tables


def _send(client, method: str, url: str, body: dict, *, page: bool):
    if page:
        return client.post(url, body)
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", HTTP_IF_MATCH='"1"'
    )


def _refused(response, route: str) -> bool:
    status = response.status_code
    if status in (400, 403, 404, 405):
        return True
    if status == 200 and route in FORM_PAGES:
        form = (response.context or {}).get("form")
        return bool(form is not None and form.errors)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_no_role_writes_in_another_area_through_any_route(client, targets, role):
    user = User.objects.create_user(
        username=f"w-{role}", password="pw-for-tests-only", roles=[role],
        scope_level=ScopeLevel.PROVINCE, scope_code="10", organisation=targets["centre"],
    )  # fmt: skip
    client.force_login(user)
    bodies = _bodies(targets)
    tried, unaimed, wrong = [], [], []
    # The listed routes last, and signed in again after each: one of them signs out.
    routes = sorted(write_routes(), key=lambda w: w.route in NOT_AIMED_AT_AN_AREA)
    for write in routes:
        if write.route in NOT_AIMED_AT_AN_AREA:
            client.force_login(user)
        url = _url(write.route, targets)
        if url is None:
            unaimed.append(write.route)
            continue
        page = not write.route.startswith("api/")
        body = bodies.get(write.route) or _any_body(targets)
        for method in write.methods:
            with CaptureQueriesContext(connection) as queries:
                response = _send(client, method, url, body, page=page)
            written = _writes(queries.captured_queries)
            if write.route in NOT_AIMED_AT_AN_AREA:  # any answer but a crash; no write
                ok = response.status_code < 500 and not written
            else:
                ok = _refused(response, write.route) and not written
            if not ok:
                wrong.append((method.upper(), url, response.status_code, written))
            tried.append(write.route)
    assert unaimed == [], "add these routes' arguments to OBJECT_OF_ARGUMENT"
    assert wrong == [], "\n".join(map(str, wrong))
    assert len(set(tried)) == len(write_routes())


def test_every_listed_exception_is_a_write_route():
    """The list of exceptions names live routes only (a renamed route leaves the list)."""
    routes = {r.route for r in write_routes()}
    assert set(NOT_AIMED_AT_AN_AREA) - routes == set()
    assert FORM_PAGES - routes == set()
