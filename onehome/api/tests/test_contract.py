"""The API's contract: every operation of the OpenAPI schema, called by several roles with
requests generated from the schema (schemathesis), answers as the schema says: no server
error, only documented status codes, the documented content type and body.

A bounded run: each operation gets a few generated requests per role (`EXAMPLES`). Besides
the purely generated ones, some are pointed at records that exist in the callers' area
(path parameters, and the ids, codes and versions a body names), so that detail routes and
writes reach their real answers, successes included, and not only 400 and 404. Negative
requests (values the schema does not allow) are in the mix too. It runs in the test
database like any test (the writes are rolled back), derandomised so that CI sends the same
requests every time. A wider run by hand: docs/operations.md ("The API contract");
why schemathesis: docs/decisions/0015-schemathesis.md.

Every disagreement found was fixed in the app or in the schema; no operation or check is
excluded.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import Case, PlanGoal, Referral, Report, Service, StockItem
from onehome.cases.tests import conftest as cases_fixtures
from onehome.cases.tests.helpers import api_for, make_goal
from onehome.conftest import CHIANG_RAI, MUEANG_CHIANG_RAI, WIANG, ci_suite
from onehome.geo.models import Province
from onehome.orgs.models import Agreement, Organisation, OrgKind
from onehome.registry import merge
from onehome.registry.models import Household, Person, PersonMerge
from onehome.targeting.models import Run, SurveyRound, WelfareCardList
from onehome.targeting.tests import finished

pytestmark = pytest.mark.django_db

# The cases app's fixtures (its conftest.py reaches only its own tests): the Chiang Rai
# office, the Wiang centre, their staff, the hotline operator and its report factory.
org_57 = cases_fixtures.org_57
centre = cases_fixtures.centre
operator = cases_fixtures.operator
case_worker = cases_fixtures.case_worker
case_supervisor = cases_fixtures.case_supervisor
make_report = cases_fixtures.make_report
fast_passwords = cases_fixtures.fast_passwords

# Generated requests per operation and role. The whole test stays within ~3 minutes on
# SQLite on a 2-core machine; raise it (or use the command line tool) for a wider run.
EXAMPLES = {"social_worker": 8, "supervisor": 6, "analyst": 5, "auditor": 5, "anonymous": 2}
# CI runs the suite on SQLite and on PostgreSQL side by side: each suite sends half of
# these (rounded up), generated from its own fixed seed, so that the two suites send
# different requests, as many in all, and every operation is called by every role on both
# databases. Elsewhere the whole run, derandomised (docs/performance.md, "CI time").
SEED_OF_SUITE = {"sqlite": 1, "postgresql": 2}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
VILLAGE = "57010101"


@dataclass
class Caller:
    headers: dict
    cookies: dict


@dataclass
class Known:
    """Records of the callers' area that generated requests are pointed at."""

    paths: dict[str, list[dict]] = field(default_factory=dict)
    body: dict[str, object] = field(default_factory=dict)
    query: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def records(request, tmp_path, make_person, make_household):
    """Records the generated requests can find, made through the services and the API as
    a user would: a case about a registered person with a referral, a service and a plan
    goal; a report still waiting for triage; a household; a merge; stock; an agreement;
    a finished targeting run."""
    case_worker, case_supervisor, org_57, centre, make_report = (
        request.getfixturevalue(name)
        for name in ("case_worker", "case_supervisor", "org_57", "centre", "make_report")
    )
    person = make_person()
    make_household(house_no="1", village=VILLAGE)
    report = make_report(parties=[{"role": "victim", "person_id": person.pk}])
    make_report()
    api = api_for(case_worker)
    accepted = api.post(
        f"/api/reports/{report.pk}/accept/", {"version": report.version}, format="json"
    )
    assert accepted.status_code == 201, accepted.content
    case_id = accepted.json()["id"]
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    partner = Organisation.objects.create(
        code="t-hosp-57", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลเชียงราย", province_id="57"
    )
    item = StockItem.objects.create(code="diapers-l", name_th="ผ้าอ้อมผู้ใหญ่", unit="ห่อ")
    for path, body in [
        ("/api/referrals/", {"case": case_id, "to_org": org_57.pk, "need": "เยี่ยม", "due_at": due}),
        ("/api/services/", {"case": case_id, "kind": "counselling"}),
        ("/api/stock/receive/", {"item": item.pk, "quantity": 10}),
    ]:
        created = api.post(path, body, format="json")
        assert created.status_code == 201, created.content
    make_goal(Case.objects.get(pk=case_id), org_57, case_worker)
    twin = make_person()
    merge.merge_people(actor=case_supervisor, kept_id=person.pk, duplicate_id=twin.pk, reason="x")
    agreement = Agreement.objects.create(
        code="t-mou", title="MOU", signed_on=timezone.localdate(), scope="การดูแลผู้สูงอายุ"
    )
    agreement.parties.set([org_57, partner])
    agreement.provinces.set([CHIANG_RAI])
    run = finished.finished_run(tmp_path)
    return Known(
        paths=_known_path_parameters(),
        query={"run": run.pk, "earlier": run.pk, "area": CHIANG_RAI, "code": CHIANG_RAI},
        body={
            "case": case_id,
            "person": make_person().pk,
            "duplicate": make_person().pk,
            "to_org": partner.pk,
            "agency": org_57.pk,
            "organisation": centre.pk,
            "item": item.pk,
            "user": case_worker.pk,
            "subdistrict": WIANG,
            "village": VILLAGE,
            "run": run.pk,
            "survey_round": SurveyRound.objects.values_list("pk", flat=True).first(),
            "welfare_list": WelfareCardList.objects.values_list("pk", flat=True).first(),
            "report": Report.objects.filter(case__isnull=True).values_list("pk", flat=True)[0],
        },
    )


def _ids(model, limit=3) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:limit])


def _known_path_parameters() -> dict[str, list[dict]]:
    """Path parameters that name existing records, by the route's first segments."""
    ids = {
        "cases": _ids(Case),
        "people": _ids(Person),
        "households": _ids(Household),
        "referrals": _ids(Referral),
        "reports": _ids(Report),
        "services": _ids(Service),
        "merges": _ids(PersonMerge),
        "organisations": _ids(Organisation),
        "agreements": _ids(Agreement),
        "audit-events": _ids(AuditEvent),
        "targeting/rounds": _ids(SurveyRound),
        "targeting/runs": _ids(Run),
        "targeting/welfare-lists": _ids(WelfareCardList),
    }
    known = {prefix: [{"id": pk} for pk in pks] for prefix, pks in ids.items()}
    known["cases/plan"] = [{"id": g.case_id, "goal_id": g.pk} for g in PlanGoal.objects.all()]
    region = Province.objects.get(code=CHIANG_RAI).region_id
    known["regions"] = [{"code": region}] if region else []
    known["provinces"] = [{"code": CHIANG_RAI}]
    known["districts"] = [{"code": MUEANG_CHIANG_RAI}]
    known["subdistricts"] = [{"code": WIANG}]
    known["villages"] = [{"code": VILLAGE}]
    return known


def _known_for(path: str, known: Known) -> list[dict]:
    parts = path.removeprefix("/api/").split("/")
    if parts[0] == "cases" and "{goal_id}" in parts:
        return known.paths["cases/plan"]
    if parts[0] == "targeting":
        return known.paths.get("/".join(parts[:2]), [])
    return known.paths.get(parts[0], [])


# The versioned record a route writes, for the `version` and If-Match a request names.
VERSIONED = {
    "cases": Case,
    "people": Person,
    "households": Household,
    "reports": Report,
    "referrals": Referral,
    "services": Service,
}


def _current_version(case) -> int | None:
    if "goal_id" in case.path_parameters:
        goal = PlanGoal.objects.filter(pk=case.path_parameters["goal_id"]).first()
        return getattr(goal, "version", None)
    model = VERSIONED.get(case.path.removeprefix("/api/").split("/")[0])
    record_id = case.path_parameters.get("id")
    if model is None or not isinstance(record_id, int):
        return None
    return model.objects.filter(pk=record_id).values_list("version", flat=True).first()


def _point_at_known(case, known: Known):
    """Name existing records in the body and the query, and the current version of the
    record written (If-Match), as a client would."""
    if isinstance(case.body, dict):
        for name in case.body.keys() & known.body.keys():
            case.body[name] = known.body[name]
    if case.query:
        for name in case.query.keys() & known.query.keys():
            case.query[name] = known.query[name]
    version = _current_version(case)
    if version is not None and case.method != "GET":
        case.headers = {**(case.headers or {}), "If-Match": f'"{version}"'}
    return case


class _InTheTestTransaction(WSGIHandler):
    """Django's WSGI handler without one receiver of its request signals: the one that
    closes a database connection left out of autocommit, which the test's transaction is
    (on PostgreSQL the next query failed with "the connection is closed"; SQLite's database
    in memory is never closed). Django's test client lifts it around its requests too."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
        close = response.close

        def close_within_the_transaction():
            request_finished.disconnect(close_old_connections)
            try:
                close()  # sends request_finished
            finally:
                request_finished.connect(close_old_connections)

        response.close = close_within_the_transaction
        return response


_schema_cache: list = []


def _schema():
    if not _schema_cache:
        _schema_cache.append(
            schemathesis.openapi.from_wsgi("/api/schema/?format=json", _InTheTestTransaction())
        )
    return _schema_cache[0]


def _sign_in(user) -> Caller:
    """A signed-in session (cookie and CSRF pair) as the browser-facing API clients use."""
    headers = {"Accept-Language": "en"}
    if user is None:
        return Caller(headers=headers, cookies={})
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    return Caller(
        headers={**headers, "X-CSRFToken": csrf},
        cookies={"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
    )


def _strategy(operation, known: Known):
    paths = _known_for(operation.path, known) if "{" in operation.path else [{}]
    pointed = [
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=params or None).map(
            lambda case: _point_at_known(case, known)
        )
        for params in paths
    ]
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        *pointed,
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def _examples(role: str) -> tuple[int, int | None]:
    """How many requests per operation `role` sends in this run, and the seed (None:
    derandomised)."""
    if (suite := ci_suite()) is None:
        return EXAMPLES[role], None
    return -(-EXAMPLES[role] // 2), SEED_OF_SUITE[suite]


def _run_operation(
    operation, caller: Caller, known: Known, examples: int, fixed_seed: int | None = None
) -> str | None:
    """Up to `examples` generated requests; the first failure's report, else None."""

    @seed(fixed_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=fixed_seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=_strategy(operation, known))
    def run(case):
        response = case.call(headers=caller.headers, cookies=caller.cookies)
        case.validate_response(response, checks=CHECKS, headers=caller.headers)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, the run goes on
        return f"{operation.label}: {exc}"
    return None


def test_every_operation_answers_as_its_schema_says(request, records, make_user):
    users = {
        "social_worker": request.getfixturevalue("case_worker"),
        "supervisor": request.getfixturevalue("case_supervisor"),
        "analyst": make_user(Role.ANALYST),
        "auditor": make_user(Role.AUDITOR),
        "anonymous": None,
    }
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) > 70  # every operation of the API, not a part of it
    failures = []
    for role, user in users.items():
        caller = _sign_in(user)
        for operation in operations:
            failure = _run_operation(operation, caller, records, *_examples(role))
            if failure:
                failures.append(f"as {role}, {failure}")
    assert not failures, f"{len(failures)} answers broke the contract:\n\n" + "\n\n".join(failures)


def test_a_query_value_outside_its_declared_enum_is_refused(client, worker):
    """An unknown filter value was ignored (every record, or none, as if unfiltered)."""
    client.force_login(worker)
    thai = client.get("/api/cases/?status=bogus")  # Thai unless the caller asks otherwise
    assert thai.status_code == 400 and "ไม่ใช่ค่าที่ใช้ได้" in thai.json()["status"][0]
    for url, name in [
        ("/api/cases/?status=bogus", "status"),
        ("/api/cases/?urgency=soon", "urgency"),
        ("/api/people/?group=bogus", "group"),
        ("/api/households/?group=bogus", "group"),
        ("/api/organisations/?group=bogus", "group"),
        ("/api/referrals/?box=nowhere", "box"),
        ("/api/referrals/?status=bogus", "status"),
    ]:
        refused = client.get(url, HTTP_ACCEPT_LANGUAGE="en")  # the API keeps Accept-Language
        assert refused.status_code == 400, url
        assert "is not one of" in refused.json()[name][0], url
    for url in ["/api/cases/?status=closed", "/api/cases/?status=", "/api/referrals/?box=outbox"]:
        assert client.get(url).status_code == 200, url


def test_a_null_character_in_a_query_value_is_refused(client, worker):
    """PostgreSQL refuses text with a NUL: a value read straight from the query answered 500
    there (found by the contract run: ?province= of the agreements, ?q= of the people)."""
    client.force_login(worker)
    for url, name in [
        ("/api/agreements/?province=G%00", "province"),
        ("/api/people/?q=%C2%B6%00O", "q"),
        ("/api/cases/?status=closed%00", "status"),
    ]:
        refused = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400, url
        assert "null character" in refused.json()[name][0], url
    assert not AuditEvent.objects.filter(object_type="registry.person").exists()  # no search


def test_the_schema_documents_the_error_answers(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"401", "403", "404"} <= paths["/api/people/{id}/"]["get"]["responses"].keys()
    patch = paths["/api/people/{id}/"]["patch"]["responses"]
    assert {"400", "404", "409", "412", "413", "415", "428"} <= patch.keys()
    assert patch["412"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "422" in paths["/api/reports/"]["post"]["responses"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_an_address_no_api_route_matches_answers_json(client, worker):
    client.force_login(worker)
    response = client.get("/api/cases/1/no-such-action/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
