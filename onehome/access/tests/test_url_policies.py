"""Every URL declares an access policy, and every personal-data URL hides Chiang Rai's
records from a Bangkok worker: 404 on details, nothing of them in lists.

The routes are enumerated from the live URL map, so a new route is checked the day it is
added: one without a policy, or a personal-data route whose object this test cannot
build, fails here until it is handled.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from onehome.access import audit
from onehome.access.middleware import TRUSTED_MODULE_PREFIXES
from onehome.access.models import Role
from onehome.access.policy import PERSONAL_DATA, POLICIES, policy_of
from onehome.registry import merge, services


def all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from all_routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def app_routes():
    return [
        (route, p)
        for route, p in all_routes()
        if not route.startswith("admin/")
        and not (p.callback.__module__ or "").startswith(TRUSTED_MODULE_PREFIXES)
    ]


def test_every_route_declares_an_access_policy():
    missing = [route for route, p in app_routes() if policy_of(p.callback) not in POLICIES]
    assert missing == []


def test_there_are_personal_data_routes_to_check():
    personal = [r for r, p in app_routes() if policy_of(p.callback) == PERSONAL_DATA]
    assert any("people" in r for r in personal) and any("households" in r for r in personal)


@pytest.fixture
def chiang_rai_records(worker, supervisor, make_person, make_household):
    person = make_person("วันเพ็ญ", "ศรีสุข")
    other = make_person("วันเพ็ญ", "ศรีสุก")
    household = make_household(house_no="99/1")
    services.add_member(
        actor=worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    m = merge.merge_people(
        actor=supervisor, kept_id=person.pk, duplicate_id=other.pk, reason="same person"
    )
    event = audit.record(actor=worker, action="read", obj=person, person_id=person.pk)
    return {
        "person": person,
        "household": household,
        "merge": m,
        "audit": event,
        **_case_records(person),
        **_volunteer_records(worker),
        **_sync_conflict_records(worker, household),
        **_assignment_records(worker, household),
    }


def _assignment_records(worker, household) -> dict:
    """The household given to a volunteer of Chiang Rai, and their visit to it (issue 16's
    assignment and visit routes)."""
    from onehome.volunteers.tests.factories import assign, make_volunteer
    from onehome.volunteers.visits.services import record_visit

    volunteer = make_volunteer(worker)
    assignment = assign(volunteer, household, by=worker)
    visit = record_visit(
        actor=volunteer.user, household_id=household.pk, visited_on=timezone.localdate(),
        answers={"savings": True}, present_ids=[], needs=[],
    )  # fmt: skip
    return {"assignment": assignment, "visit": visit}


def _sync_conflict_records(worker, household) -> dict:
    """A conflict left by a phone's offline edit in Chiang Rai (issue 16's review queue)."""
    import uuid

    from onehome.volunteers.models import Conflict, OfflineChange
    from onehome.volunteers.tests.factories import make_volunteer

    volunteer = make_volunteer(worker)
    change = OfflineChange.objects.create(
        client_id=uuid.uuid4(), volunteer=volunteer, household=household, target="household",
        object_id=household.pk, base_version=1, outcome="conflict", made_at=timezone.now(),
    )  # fmt: skip
    conflict = Conflict.objects.create(
        change=change, household=household, target="household", object_id=household.pk,
        field="house_no", base="1", theirs="2", mine="3", mine_by=volunteer.user,
    )  # fmt: skip
    return {"sync_conflict": conflict}


def _volunteer_records(worker) -> dict:
    """A volunteer of Chiang Rai, with a login (issue 16's roster routes)."""
    from onehome.volunteers.tests.factories import make_volunteer

    return {"volunteer": make_volunteer(worker)}


def _case_records(person) -> dict:
    """A report, its case, a referral and a service in Chiang Rai (issue 4's routes)."""
    import datetime as dt

    from onehome.access.models import User
    from onehome.cases.assistance import services as assistance
    from onehome.cases.intake import services as intake
    from onehome.cases.intake import triage
    from onehome.cases.referrals import services as referrals
    from onehome.orgs.models import Organisation, OrgKind
    from onehome.privacy.consent import services as privacy_consent

    centre = Organisation.objects.create(
        code="p-centre", kind=OrgKind.ASSISTANCE_CENTRE, name_th="ศูนย์", province_id="57"
    )
    centre.serves.add(person.subdistrict_id)
    hospital = Organisation.objects.create(
        code="p-hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาล", province_id="57"
    )
    staff = User.objects.create_user(
        username="p-staff", roles=[Role.SOCIAL_WORKER], scope_level="province", scope_code="57",
        organisation=centre,
    )  # fmt: skip
    report = intake.create_report(
        actor=staff, channel="hotline", call_type="new", subdistrict=person.subdistrict_id,
        category="elderly", parties=[{"role": "victim", "person_id": person.pk}],
    )  # fmt: skip
    case = triage.accept_report(actor=staff, report_id=report.pk, version=report.version)
    # The hospital is outside the ministry: the person consents first (PDPA).
    consent = privacy_consent.record_consent(
        actor=staff, person_id=person.pk, purpose="referral_partner"
    )
    waiting = intake.create_report(
        actor=staff, channel="hotline", call_type="new", subdistrict=person.subdistrict_id,
        category="elderly",
    )  # fmt: skip
    referral = referrals.send_referral(
        actor=staff, case_id=case.pk, to_org_id=hospital.pk, need="ตรวจ",
        due_at=dt.date.today() + dt.timedelta(days=3),
    )  # fmt: skip
    service = assistance.request_service(actor=staff, case_id=case.pk, kind="counselling")
    return {
        "case": case,
        "report": waiting,
        "referral": referral,
        "service": service,
        **_privacy_records(person, consent),
    }


def _privacy_records(person, consent) -> dict:
    """A data-subject request and a breach in Chiang Rai (issue 14's PDPA routes)."""
    from onehome.access.models import User
    from onehome.privacy.breaches import services as breaches
    from onehome.privacy.requests import services as requests

    dpo = User.objects.create_user(
        username="p-dpo", roles=[Role.DPO], scope_level="province", scope_code="57"
    )
    data_request = requests.record_request(
        actor=dpo, person_id=person.pk, kind="access", received_on=timezone.localdate()
    )
    breach = breaches.record_breach(
        actor=dpo, discovered_at=timezone.now(), subdistrict=person.subdistrict_id,
        description="แฟ้มเอกสารสูญหาย", risk="risk",
    )  # fmt: skip
    return {"consent": consent, "data_request": data_request, "breach": breach}


OBJECT_FOR_ROUTE = [  # first match wins
    (re.compile(r"volunteers/\^?conflicts"), "sync_conflict"),
    (re.compile(r"volunteers/\^?roster"), "volunteer"),
    (re.compile(r"volunteers/\^?assignments/cases"), "case"),
    (re.compile(r"volunteers/\^?assignments/volunteers"), "volunteer"),
    (re.compile(r"volunteers/\^?assignments/(\(\?P<pk>|<int:pk>)"), "assignment"),
    (re.compile(r"volunteers/\^?visits/"), "visit"),
    (re.compile(r"privacy/requests"), "data_request"),
    (re.compile(r"privacy/breaches"), "breach"),
    (re.compile(r"reports"), "report"),
    (re.compile(r"referrals"), "referral"),
    (re.compile(r"services"), "service"),
    (re.compile(r"^(api/\^?)?cases/"), "case"),
    (re.compile(r"audit"), "audit"),
    (re.compile(r"merge"), "merge"),
    (re.compile(r"household"), "household"),
    (re.compile(r"people|person"), "person"),
]


def _fill(route: str, pk: int) -> str:
    path = re.sub(r"\(\?P<format>[^)]*\)", "", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", str(pk), path)
    path = re.sub(r"<(?:\w+:)?\w+>", str(pk), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path.lstrip("/")


def _write(client, url):
    """A route that only writes answers its own method: POST, or else PATCH, PUT, DELETE
    (a goal of a household plan is changed by PATCH alone)."""
    for method in ("post", "patch", "put", "delete"):
        response = getattr(client, method)(url, {}, content_type="application/json")
        if response.status_code != 405:
            break
    return response


@pytest.mark.django_db
def test_personal_data_routes_hide_out_of_scope_records(client, make_user, chiang_rai_records):
    outsider = make_user(*sorted(Role.values), code="10")  # every role, Bangkok only
    client.force_login(outsider)
    person = chiang_rai_records["person"]
    checked, unhandled = 0, []
    for route, p in app_routes():
        if policy_of(p.callback) != PERSONAL_DATA or "format" in route:
            continue
        has_arg = bool(p.pattern.regex.groupindex) or "<" in route
        if has_arg:
            kind = next((k for rx, k in OBJECT_FOR_ROUTE if rx.search(route)), None)
            if kind is None:
                unhandled.append(route)
                continue
            url = _fill(route, chiang_rai_records[kind].pk)
            response = client.get(url)
            assert response.status_code in (404, 405), (url, response.status_code)
            if response.status_code == 405:
                response = _write(client, url)
                assert response.status_code == 404, (url, response.status_code)
        else:
            url = _fill(route, 0)
            response = client.get(url, {"q": person.first_name_th})
            assert response.status_code in (200, 404, 405), (url, response.status_code)
            body = response.content.decode()
            assert person.id_number not in body, url
            assert person.last_name_th not in body, url
        checked += 1
    assert unhandled == [], "add these routes to OBJECT_FOR_ROUTE"
    assert checked >= 6
