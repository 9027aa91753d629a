"""The cases API as a client uses it: hotline intake with idempotency keys, triage, the case
list and detail, transitions with versions, referrals, services and notifications — and what
an out-of-scope caller gets (404)."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import (
    Case,
    CaseStatus,
    PartyRole,
    Report,
    ReportStatus,
)
from onehome.cases.tests.helpers import api_for, report_body
from onehome.notifications.models import Notification
from onehome.privacy.tests.helpers import give_referral_consent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def nurse(make_user, hospital):
    return make_user(Role.SOCIAL_WORKER, organisation=hospital)


def accepted_case(case_worker, make_report) -> Case:
    report = make_report(parties=[{"role": "victim", "name": "ยายแก้ว"}])
    response = api_for(case_worker).post(
        f"/api/reports/{report.pk}/accept/", {"version": report.version}, format="json"
    )
    assert response.status_code == 201, response.content
    return Case.objects.get(pk=response.json()["id"])


def test_hotline_intake_creates_one_report_per_idempotency_key(
    operator, org_57, centre, case_worker
):
    api = api_for(operator)
    first = api.post("/api/reports/", report_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["reference"].startswith("R") and data["routed_to"] == centre.pk
    assert {p["role"] for p in data["parties"]} == {"victim", "alleged_offender"}
    again = api.post("/api/reports/", report_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    assert Report.objects.count() == 1
    other = api.post("/api/reports/", report_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201 and Report.objects.count() == 2


@pytest.mark.parametrize(
    "over, fragment",
    [
        ({"subdistrict": "999999"}, "Unknown sub-district"),
        ({"category": "nonsense"}, "Unknown issue"),
        ({"category": "elderly", "subcategory": "beggar_thai"}, "not a sub-problem"),
        ({"call_type": "shouting"}, "call_type"),
        ({"parties": [{"role": "victim"}]}, "needs a registry record, a name or a description"),
    ],
)
def test_bad_intake_is_explained_and_saves_nothing(operator, org_57, over, fragment):
    response = api_for(operator).post("/api/reports/", report_body(**over), format="json")
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert Report.objects.count() == 0


def test_triage_through_the_api_accept_merge_and_close(case_worker, make_report, centre):
    api = api_for(case_worker)
    case = accepted_case(case_worker, make_report)
    assert case.owner_id == centre.pk and case.status == CaseStatus.ASSESSING

    second = make_report(summary="โทรมาอีกครั้ง")
    stale = api.post(
        f"/api/reports/{second.pk}/merge/", {"case": case.pk, "version": 99}, format="json"
    )
    assert stale.status_code == 409
    merged = api.post(
        f"/api/reports/{second.pk}/merge/",
        {"case": case.pk},
        format="json",
        HTTP_IF_MATCH=f'"{second.version}"',
    )
    assert merged.status_code == 200, merged.content
    second.refresh_from_db()
    assert second.status == ReportStatus.MERGED and second.case_id == case.pk

    third = make_report()
    no_reason = api.post(
        f"/api/reports/{third.pk}/close/", {"version": third.version}, format="json"
    )
    assert no_reason.status_code == 400
    closed = api.post(
        f"/api/reports/{third.pk}/close/",
        {"version": third.version, "reason": "ญาติรับไปดูแลแล้ว"},
        format="json",
    )
    assert closed.status_code == 200 and closed.json()["status"] == ReportStatus.CLOSED


def test_case_list_is_scoped_filtered_and_costs_the_same_queries_for_any_page(
    case_worker, make_case, django_assert_max_num_queries
):
    for _n in range(3):
        make_case()
    urgent = make_case(urgency="urgent", category="homeless", subcategory="homeless_street")
    api = api_for(case_worker)
    with django_assert_max_num_queries(6):
        few = api.get("/api/cases/")
    assert few.status_code == 200
    assert len(few.json()["results"]) == 4 and few.json()["next"] is None
    for _n in range(8):
        make_case()
    with django_assert_max_num_queries(6):
        many = api.get("/api/cases/")
    assert len(many.json()["results"]) == 12
    only = api.get("/api/cases/", {"urgency": "urgent"}).json()["results"]
    assert [c["id"] for c in only] == [urgent.pk]
    assert api.get("/api/cases/", {"category": "homeless"}).json()["results"][0]["id"] == urgent.pk
    assert api.get("/api/cases/", {"overdue": "true"}).json()["results"] == []


def test_case_list_pages_by_fifty_without_counting(case_worker, make_case, monkeypatch):
    from onehome.cases.lifecycle import pagination

    monkeypatch.setattr(pagination.PagePagination, "page_size", 2)
    cases = [make_case() for _n in range(3)]
    api = api_for(case_worker)
    first = api.get("/api/cases/").json()
    assert [c["id"] for c in first["results"]] == [cases[2].pk, cases[1].pk]
    assert "page=2" in first["next"] and "count" not in first
    second = api.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [cases[0].pk] and second["next"] is None


def test_case_detail_shows_the_whole_case_to_its_worker_and_is_audited(case_worker, make_report):
    report = make_report(
        parties=[
            {"role": "victim", "name": "ยายแก้ว"},
            {"role": "alleged_offender", "name": "นายโหด ใจร้าย"},
        ]
    )
    case = api_for(case_worker).post(
        f"/api/reports/{report.pk}/accept/", {"version": report.version}, format="json"
    )
    case_id = case.json()["id"]
    response = api_for(case_worker).get(f"/api/cases/{case_id}/")
    assert response.status_code == 200
    data = response.json()
    assert response["ETag"] == f'"{data["version"]}"'
    assert {p["role"] for p in data["parties"]} == {PartyRole.VICTIM, PartyRole.ALLEGED_OFFENDER}
    assert [e["kind"] for e in data["timeline"]][:1] == ["report"]
    assert any(t["to_status"] for t in data["allowed_transitions"])
    assert AuditEvent.objects.filter(
        action="read", object_type="cases.case", object_id=str(case_id)
    ).exists()


def test_transitions_need_the_current_version(case_worker, make_report):
    case = accepted_case(case_worker, make_report)
    api = api_for(case_worker)
    url = f"/api/cases/{case.pk}/transition/"
    body = {"to_status": CaseStatus.ASSISTANCE_REPORTED}
    assert api.post(url, body, format="json").status_code == 428
    assert api.post(url, body, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    ok = api.post(url, body, format="json", HTTP_IF_MATCH=f'"{case.version}"')
    assert ok.status_code == 200 and ok.json()["status"] == CaseStatus.ASSISTANCE_REPORTED
    refused = api.post(
        url, {"to_status": CaseStatus.CLOSED, "version": ok.json()["version"]}, format="json"
    )
    assert refused.status_code == 400 and "cannot be changed" in refused.json()["detail"]


def test_the_referral_loop_through_the_api(case_worker, nurse, hospital, make_report):
    case = accepted_case(case_worker, make_report)
    give_referral_consent(case, by=case_worker)  # the hospital is outside the ministry
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    sent = api_for(case_worker).post(
        "/api/referrals/",
        {"case": case.pk, "to_org": hospital.pk, "need": "ตรวจสุขภาพที่บ้าน", "due_at": due},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    ref = sent.json()
    assert (
        api_for(case_worker).get("/api/referrals/", {"box": "outbox"}).json()["results"][0]["id"]
        == ref["id"]
    )
    inbox = api_for(nurse).get("/api/referrals/").json()["results"]
    assert [r["id"] for r in inbox] == [ref["id"]]
    accepted = api_for(nurse).post(
        f"/api/referrals/{ref['id']}/accept/", {"version": ref["version"]}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    outcome = api_for(nurse).post(
        f"/api/referrals/{ref['id']}/outcome/",
        {"version": accepted.json()["version"], "outcome": "พยาบาลเยี่ยมบ้านแล้ว"},
        format="json",
    )
    assert outcome.status_code == 200 and outcome.json()["status"] == "outcome_reported"
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED
    notes = api_for(case_worker).get("/api/notifications/").json()["results"]
    assert any("outcome" in n["kind"] for n in notes)
    marked = api_for(case_worker).post(
        "/api/notifications/read/", {"ids": [n["id"] for n in notes]}, format="json"
    )
    assert marked.json()["marked"] == len(notes)
    assert not Notification.objects.filter(user=case_worker, read_at__isnull=True).exists()


def test_cash_aid_above_the_ceiling_waits_for_a_supervisor(
    case_worker, case_supervisor, make_report
):
    case = accepted_case(case_worker, make_report)
    created = api_for(case_worker).post(
        "/api/services/",
        {"case": case.pk, "kind": "cash_aid", "amount": "5000.00", "description": "ค่าเช่าบ้าน"},
        format="json",
    )
    assert created.status_code == 201, created.content
    service = created.json()
    assert service["status"] == "awaiting_approval"
    v = {"version": service["version"]}
    own = api_for(case_worker).post(f"/api/services/{service['id']}/approve/", v, format="json")
    assert own.status_code == 400
    approved = api_for(case_supervisor).post(
        f"/api/services/{service['id']}/approve/", v, format="json"
    )
    assert approved.status_code == 200 and approved.json()["approved_by"] == case_supervisor.pk


def test_the_api_offers_each_caller_the_next_steps_its_workflow_allows(
    case_worker, case_supervisor, make_report
):
    case = accepted_case(case_worker, make_report)
    service = (
        api_for(case_worker)
        .post(
            "/api/services/",
            {"case": case.pk, "kind": "cash_aid", "amount": "5000.00"},
            format="json",
        )
        .json()
    )
    # The requester may not decide on their own request; a supervisor may.
    assert service["next_steps"] == []
    detail = api_for(case_supervisor).get(f"/api/cases/{case.pk}/").json()
    offered = {s["action"]: s["reason_required"] for s in detail["services"][0]["next_steps"]}
    assert offered == {"approve": False, "reject": True}
    approved = (
        api_for(case_supervisor)
        .post(
            f"/api/services/{service['id']}/approve/",
            {"version": service["version"]},
            format="json",
        )
        .json()
    )
    assert [s["action"] for s in approved["next_steps"]] == ["deliver"]
    assert approved["version"] == service["version"] + 1


def test_a_sensitive_case_is_404_until_the_glass_is_broken(
    make_case, make_user, org_57, office_worker
):
    case = make_case(category="violence", subcategory="violence_child")
    assert case.sensitive
    api = api_for(office_worker)  # in scope, not assigned, not a supervisor
    assert api.get(f"/api/cases/{case.pk}/").status_code == 404
    assert case.pk not in [c["id"] for c in api.get("/api/cases/").json()["results"]]
    short = api.post(f"/api/cases/{case.pk}/break-glass/", {"reason": "ด่วน"}, format="json")
    assert short.status_code == 400
    grant = api.post(
        f"/api/cases/{case.pk}/break-glass/",
        {"reason": "เด็กโทรมาอีกครั้งตอนตีสอง ต้องดูประวัติ"},
        format="json",
    )
    assert grant.status_code == 201
    assert api.get(f"/api/cases/{case.pk}/").status_code == 200


def test_every_case_endpoint_is_404_for_an_outsider(
    outsider, case_worker, nurse, hospital, make_report
):
    case = accepted_case(case_worker, make_report)
    give_referral_consent(case, by=case_worker)  # the hospital is outside the ministry
    report = make_report()
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    ref = (
        api_for(case_worker)
        .post(
            "/api/referrals/",
            {"case": case.pk, "to_org": hospital.pk, "need": "ตรวจ", "due_at": due},
            format="json",
        )
        .json()
    )
    service = (
        api_for(case_worker)
        .post("/api/services/", {"case": case.pk, "kind": "counselling"}, format="json")
        .json()
    )
    api = api_for(outsider)
    assert api.get(f"/api/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/reports/{report.pk}/").status_code == 404
    assert api.get("/api/cases/").json()["results"] == []
    assert api.get("/api/referrals/").json()["results"] == []
    posts = {
        f"/api/cases/{case.pk}/transition/": {"to_status": "referred", "version": case.version},
        f"/api/cases/{case.pk}/notes/": {"text": "x"},
        f"/api/cases/{case.pk}/break-glass/": {"reason": "a long enough reason"},
        f"/api/reports/{report.pk}/accept/": {"version": report.version},
        f"/api/reports/{report.pk}/close/": {"version": report.version, "reason": "x"},
        f"/api/reports/{report.pk}/merge/": {"version": report.version, "case": case.pk},
        f"/api/referrals/{ref['id']}/accept/": {"version": ref["version"]},
        f"/api/referrals/{ref['id']}/outcome/": {"version": ref["version"], "outcome": "x"},
        f"/api/services/{service['id']}/approve/": {"version": service["version"]},
        "/api/services/": {"case": case.pk, "kind": "counselling"},
        "/api/referrals/": {"case": case.pk, "to_org": hospital.pk, "need": "x", "due_at": due},
    }
    for url, body in posts.items():
        assert api.post(url, body, format="json").status_code == 404, url


def test_the_schema_lists_the_case_endpoints(operator):
    schema = api_for(operator).get("/api/schema/").content.decode()
    for path in (
        "/api/cases/",
        "/api/cases/{id}/transition/",
        "/api/reports/",
        "/api/reports/{id}/accept/",
        "/api/referrals/{id}/outcome/",
        "/api/services/{id}/approve/",
        "/api/notifications/",
    ):
        assert path in schema


def test_a_page_number_beyond_any_list_answers_404_not_an_error(case_worker, make_case):
    make_case()
    api = api_for(case_worker)
    api.raise_request_exception = False
    for page in ("abc", "10" * 10, str(10**20)):
        for extra in ("", "&status=assessing"):  # the compiled path and the ORM's
            response = api.get(f"/api/cases/?page={page}{extra}")
            assert response.status_code == 404, (page, extra, response.status_code)
    assert api.get("/api/cases/?page=0").status_code == 200  # the first page
