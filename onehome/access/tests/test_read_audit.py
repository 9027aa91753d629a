"""Every read of a list is on the record (issue 14, point 2).

Generated from the live URL map: every personal-data API route that lists (a viewset's
`list`, or a GET action on the collection) and every personal-data page that takes no
record's id in its address (an id of a targeting run aside) is called by a user of Chiang
Rai who may see Chiang Rai's records, with an `X-Purpose` header. Each call must write
exactly one audit row, whose `after["ids"]` names exactly the records the answer returned,
in its order (for a page that shows several kinds, `{"<app.model>": [ids]}`), and whose
purpose is the header's.

A page without such an id that lists nothing (a form) is named in `NOT_A_LIST` with the
reason; a page missing from both `LIST_PAGES` and that list fails the test, so a new list
page is audited, or says why not, the day it is added. A new API list is called as it
is found: without `onehome.api.list_audit.AuditedList` it writes no row and fails.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent, Role, User
from onehome.access.policy import PERSONAL_DATA, policy_of
from onehome.access.tests import chain_queries
from onehome.access.tests.test_url_policies import (  # noqa: F401 (a fixture)
    app_routes,
    chiang_rai_records,
)
from onehome.orgs.models import Organisation
from onehome.privacy.breaches.services import record_breach
from onehome.privacy.requests.services import record_request
from onehome.targeting.tests import finished

PURPOSE = "checking the list for issue 14"


def _pks(rows) -> list:
    return [r.pk for r in rows]


def _households(rows) -> list:
    return [r["household_id"] for r in rows]


def _export_ids(response) -> list:
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # The survey household ID comes first (its header is in the page's language).
    return [row[0] for row in rows[1:]]


def _my_work(response) -> dict:
    c = response.context
    return {
        "cases.case": _pks(c["cases"]),
        "cases.report": _pks(c["reports"]),
        "cases.referral": _pks(c["to_answer"]),
        "cases.service": _pks(c["cash_approvals"]),
    }


def _privacy_home(response) -> dict:
    c = response.context
    return {
        "registry.person": _pks(c["found"] or []),
        "privacy.datarequest": _pks(c["open_requests"]),
        "privacy.breach": _pks(c["breaches"]),
        "privacy.emergencyoverride": _pks(c["overrides"]),
    }


# route → (the query it is called with, the ids its answer shows). `r` holds the records.
LIST_PAGES = {
    "people/": [
        (lambda r: {"area": "57"}, lambda resp: _pks(resp.context["people"])),
        (
            lambda r: {"q": r["person"].first_name_th},
            lambda resp: {
                "registry.person": _pks(resp.context["people"]),
                "registry.household": _pks(resp.context["households"]),
            },
        ),
    ],
    "people/households/": [(lambda r: {}, lambda resp: _pks(resp.context["page"]))],
    "people/pick/": [
        (
            lambda r: {"q": r["person"].first_name_th},
            lambda resp: [option["value"] for option in resp.context["options"]],
        )
    ],
    "audit/": [(lambda r: {}, lambda resp: _pks(resp.context["page"]))],
    "targeting/runs/<int:run_id>/households/": [
        (lambda r: {"all": "1"}, lambda resp: _households(resp.context["rows"]))
    ],
    "targeting/runs/<int:run_id>/households/export/": [(lambda r: {"all": "1"}, _export_ids)],
    "targeting/compare/households/": [
        (
            lambda r: {"earlier": r["earlier"].pk, "later": r["later"].pk, "area": ""},
            lambda resp: _households(resp.context["rows"]),
        )
    ],
    "cases/notifications/": [(lambda r: {}, lambda resp: _pks(resp.context["rows"]))],
    "cases/": [(lambda r: {}, _my_work)],
    "cases/intake/earlier/": [
        (
            lambda r: {"form-0-person_id": r["person"].pk},
            lambda resp: _pks(resp.context["earlier"]),
        )
    ],
    "cases/intake/people/": [
        (lambda r: {"q": r["person"].first_name_th}, lambda resp: _pks(resp.context["people"]))
    ],
    "cases/dispatch/": [(lambda r: {}, lambda resp: _pks(resp.context["reports"]))],
    "cases/referrals/": [
        (lambda r: {}, lambda resp: _pks(resp.context["rows"])),
        (lambda r: {"box": "outbox"}, lambda resp: _pks(resp.context["rows"])),
    ],
    "privacy/": [
        (lambda r: {}, _privacy_home),
        (lambda r: {"q": r["person"].first_name_th}, _privacy_home),
    ],
    "privacy/requests/": [
        (lambda r: {}, lambda resp: _pks(resp.context["rows"])),
        (lambda r: {"status": "received"}, lambda resp: _pks(resp.context["rows"])),
    ],
    "privacy/breaches/": [(lambda r: {}, lambda resp: _pks(resp.context["rows"]))],
    "volunteers/conflicts/": [(lambda r: {}, lambda resp: _pks(resp.context["rows"]))],
    "volunteers/help-requests/": [(lambda r: {}, lambda resp: _pks(resp.context["help_requests"]))],
    "volunteers/follow-ups/overdue/": [
        (lambda r: {}, lambda resp: [f.household_id for f in resp.context["rows"]])
    ],
    "volunteers/assignments/bulk/": [
        (
            lambda r: {"run": r["later"].pk, "area": "570101"},
            lambda resp: [x.household_id for x in resp.context["plan"].rows if x.household_id],
        )
    ],
    "volunteers/roster/": [
        (lambda r: {}, lambda resp: _pks(resp.context["page"])),
        (lambda r: {"status": "active", "area": "57"}, lambda resp: _pks(resp.context["page"])),
    ],
}

# Pages without a record's id that list no personal data, and why.
NOT_A_LIST = {
    "people/new/": "a form; the likely duplicates it shows are audited (test below)",
    "people/validate/": "POST only: a form's inline validation",
    "people/households/new/": "a form",
    "cases/intake/": "the intake form; it lists through cases/intake/people/ and .../earlier/",
    "volunteers/roster/new/": "a form; the person is chosen through people/pick/",
    "volunteers/assignments/coverage/": "counts per area: target households with(out) a volunteer",
    "volunteers/me/": "the signed-in volunteer's own record (a read of it, with its households)",
}

# API routes called with more than the route itself: a run to read.
API_QUERIES = {
    "api/targeting/households/": lambda r: {"run": r["later"].pk, "all": "1"},
    "api/targeting/households/changes/": lambda r: {
        "run": r["later"].pk,
        "earlier": r["earlier"].pk,
    },
}
API_VARIANTS = {  # the same route with a query that takes another path through the view
    "api/people/": [lambda r: {"q": r["person"].first_name_th}, lambda r: {"area": "57"}],
    # The case's status as stored now (sending its referral moved it on).
    "api/cases/": [lambda r: {"status": type(r["case"]).objects.get(pk=r["case"].pk).status}],
    "api/referrals/": [lambda r: {"box": "outbox"}],
}


def _plain(route: str) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return route.replace("^", "").replace("$", "")


def _arguments(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", _plain(route)))


def api_list_routes() -> dict[str, type]:
    """Personal-data API routes that list: route → viewset class."""
    found = {}
    for route, p in app_routes():
        if "format" in route or not route.startswith("api/"):
            continue
        actions = getattr(p.callback, "actions", None) or {}
        if policy_of(p.callback) != PERSONAL_DATA or "get" not in actions:
            continue
        if actions["get"] == "list" or "pk" not in _arguments(route):
            found[_plain(route)] = p.callback.cls
    return found


def page_list_candidates() -> list[str]:
    """Personal-data pages whose address names no record (a targeting run aside)."""
    return [
        _plain(route)
        for route, p in app_routes()
        if not route.startswith("api/")
        and policy_of(p.callback) == PERSONAL_DATA
        and _arguments(route) <= {"run_id"}
    ]


def test_the_list_routes_are_found():
    api = api_list_routes()
    assert {"api/people/", "api/households/", "api/cases/", "api/audit-events/"} <= set(api)
    assert "api/targeting/households/changes/" in api
    assert "api/people/<pk>/households/" not in api  # one person's: audited as a read of them
    assert "people/" in page_list_candidates()
    assert "people/<int:pk>/" not in page_list_candidates()


def test_every_list_page_is_known():
    """A new page without a record's id is either audited here or says why it lists none."""
    candidates = set(page_list_candidates())
    assert candidates - set(LIST_PAGES) - set(NOT_A_LIST) == set()
    assert (set(LIST_PAGES) | set(NOT_A_LIST)) - candidates == set()


@pytest.fixture
def records(chiang_rai_records, make_user, tmp_path):  # noqa: F811 (the fixture imported above)
    earlier = finished.finished_run(tmp_path, year=2023)
    later = finished.finished_run(
        tmp_path, year=2024, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    # Every role, in Chiang Rai, at the centre that sent the referral.
    user = make_user(*Role.values, organisation=Organisation.objects.get(code="p-centre"))
    # A data-subject request and a breach, for the DPO's lists.
    person = chiang_rai_records["person"]
    record_request(actor=user, person_id=person.pk, kind="access", received_on=timezone.localdate())
    record_breach(
        actor=user, discovered_at=timezone.now(), subdistrict=person.subdistrict_id,
        description="a list printed and lost", risk="risk",
    )  # fmt: skip
    return {**chiang_rai_records, "earlier": earlier, "later": later, "user": user}


def _new_rows(after_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=after_id).order_by("id"))


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _url(route: str, r: dict) -> str:
    return "/" + route.replace("<int:run_id>", str(r["later"].pk))


def _api_ids(view_class, data) -> list:
    rows = data["results"] if isinstance(data, dict) else data
    return [row.get(getattr(view_class, "audit_id_key", "id")) for row in rows]


def _check(wrong: list, label: str, response, expected, rows: list[AuditEvent]) -> bool:
    if response.status_code != 200:
        wrong.append(f"{label}: {response.status_code}")
        return False
    if len(rows) != 1:
        wrong.append(f"{label}: {len(rows)} audit rows")
        return False
    row = rows[0]
    if (row.after or {}).get("ids") != expected:
        wrong.append(f"{label}: audited {(row.after or {}).get('ids')} but showed {expected}")
    if row.purpose != PURPOSE:
        wrong.append(f"{label}: purpose {row.purpose!r}")
    return bool(expected)


@pytest.mark.django_db
def test_every_list_writes_one_row_naming_what_it_returned(client, records):
    user: User = records["user"]
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)
    wrong, shown = [], []
    for route, view_class in api_list_routes().items():
        queries = [API_QUERIES.get(route, lambda r: {}), *API_VARIANTS.get(route, [])]
        for query in queries:
            params = query(records)
            before = _last_id()
            response = api.get("/" + route, params, HTTP_X_PURPOSE=PURPOSE)
            label = f"GET /{route} {params}"
            data = response.data if response.status_code == 200 else []
            if _check(wrong, label, response, _api_ids(view_class, data), _new_rows(before)):
                shown.append(label)
    for route, calls in LIST_PAGES.items():
        for query, ids_of in calls:
            params = query(records)
            before = _last_id()
            response = client.get(_url(route, records), params, HTTP_X_PURPOSE=PURPOSE)
            label = f"GET /{route} {params}"
            expected = ids_of(response) if response.status_code == 200 else None
            if _check(wrong, label, response, expected, _new_rows(before)):
                shown.append(label)
    assert wrong == [], "\n".join(wrong)
    # The records are there to be listed: most lists show some (the rest are empty by
    # design: the user has no notification, and the centre received no referral).
    assert len(shown) >= 27, shown


@pytest.mark.django_db
def test_a_list_writes_one_insert_and_reads_nothing_more(records):
    """The row of a list costs what one audit row costs (its INSERT, and the hash chain's
    lock and head read: `chain_queries`) and nothing more: no other statement reads or
    writes the audit log."""
    api = APIClient()
    api.force_authenticate(records["user"])
    api.get("/api/cases/")  # warm: the first call compiles the list's query
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/cases/").status_code == 200
    chain, others = chain_queries.split(queries.captured_queries)
    assert chain == chain_queries.per_row(1), chain
    assert [s for s in others if chain_queries.TABLE in s] == []


# --- national ID numbers in the API --------------------------------------------------------


@pytest.mark.django_db
def test_the_api_masks_national_ids_unless_revealed(records):
    person = records["person"]
    api = APIClient()
    api.force_authenticate(records["user"])
    masked = "•" * 9 + person.id_number[-4:]
    for url in ("/api/people/", f"/api/people/?q={person.first_name_th}"):
        rows = api.get(url).json()["results"]
        assert [r["id_number"] for r in rows if r["id"] == person.pk] == [masked], url
        assert person.id_number not in api.get(url).content.decode(), url
    assert api.get(f"/api/people/{person.pk}/").json()["id_number"] == masked
    # Revealed: the full number, and one "reveal id" row per person shown in full.
    for url in (f"/api/people/{person.pk}/?reveal=1", "/api/people/?reveal=1"):
        before = _last_id()
        body = api.get(url).json()
        rows = body.get("results", [body])
        assert [r["id_number"] for r in rows if r["id"] == person.pk] == [person.id_number]
        reveals = [e for e in _new_rows(before) if e.purpose == "reveal id"]
        assert sorted(e.person_id for e in reveals) == sorted(r["id"] for r in rows), url


@pytest.mark.django_db
def test_only_a_role_that_reads_personal_data_may_reveal(records, make_user):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # the message below is the English one
    api.force_authenticate(make_user(Role.ANALYST))
    before = _last_id()
    response = api.get("/api/people/?reveal=1")
    assert response.status_code == 403
    assert "national ID" in response.json()["detail"]
    assert _new_rows(before) == []


@pytest.mark.django_db
def test_a_single_record_read_through_the_api_records_the_stated_purpose(records):
    """A read of one record keeps the `X-Purpose` header as the list rows keep it (control
    characters as spaces); without the header, the endpoint it reached."""
    api = APIClient()
    api.force_authenticate(records["user"])
    urls = [
        f"/api/people/{records['person'].pk}/",
        f"/api/households/{records['household'].pk}/",
        f"/api/cases/{records['case'].pk}/",
        f"/api/reports/{records['report'].pk}/",
        f"/api/referrals/{records['referral'].pk}/",
    ]
    for url in urls:
        before = _last_id()
        assert api.get(url, HTTP_X_PURPOSE=PURPOSE + "\tagain").status_code == 200, url
        reads = [e for e in _new_rows(before) if e.action == "read"]
        assert reads and {e.purpose for e in reads} == {PURPOSE + " again"}, url
        before = _last_id()
        assert api.get(url).status_code == 200, url
        reads = [e for e in _new_rows(before) if e.action == "read"]
        assert reads and {e.purpose for e in reads} == {f"api GET {url}"}, url


@pytest.mark.django_db
def test_the_likely_duplicates_a_registration_shows_are_on_the_record(
    client,
    chiang_rai_records,  # noqa: F811 (the fixture imported above)
    make_user,
):
    person = chiang_rai_records["person"]
    user = make_user(Role.SOCIAL_WORKER)
    api = APIClient()
    api.force_authenticate(user)
    body = {"id_type": "none", "first_name_th": person.first_name_th, "birth_year": 1970,
            "last_name_th": person.last_name_th, "subdistrict": person.subdistrict_id}  # fmt: skip
    before = _last_id()
    response = api.post("/api/people/", body, format="json", HTTP_X_PURPOSE=PURPOSE)
    assert response.status_code == 409
    [row] = _new_rows(before)
    assert row.after["ids"] == [c["id"] for c in response.json()["candidates"]] != []
    assert row.purpose == PURPOSE
    client.force_login(user)
    before = _last_id()
    form = {**body, "sex": "female", "id_type": "none"}
    response = client.post("/people/new/", form)
    assert response.status_code == 200 and response.context["candidates"]
    [row] = _new_rows(before)
    assert row.after["ids"] == [p.pk for p in response.context["candidates"]]
