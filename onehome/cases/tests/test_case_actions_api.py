"""The work on a case through the API: assessments and the plan, workers, transfer, the
SLA pause, centre stock and in-kind aid — with versions (428/412/409), and 404 for an
out-of-scope caller before anything else; and the link a duplicate answers with."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.cases.assistance import services as assistance
from onehome.cases.assistance import stock
from onehome.cases.models import CaseStatus, CaseWorker
from onehome.cases.tests.helpers import api_for, make_goal
from onehome.orgs.models import Organisation, OrgKind
from onehome.privacy.tests.helpers import give_referral_consent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DIMENSIONS = {
    "health": {"level": 2, "note": "แผลกดทับ"},
    "living": {"level": 3},
    "education": {"level": 0},
    "income": {"level": 2},
    "access": {"level": 1},
}


def test_assessment_and_plan_goals_through_the_api(make_case, case_worker, centre):
    case = make_case(CaseStatus.ASSESSING)
    api = api_for(case_worker)
    url = f"/api/cases/{case.pk}/"
    created = api.post(
        url + "assessments/",
        {"dimensions": DIMENSIONS, "protection_risks": ["bedridden"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["dimensions"]["living"] == {"level": 3, "note": ""}
    missing = api.post(url + "assessments/", {"dimensions": {"health": 1}}, format="json")
    assert missing.status_code == 400 and "missing" in missing.json()["detail"]

    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    goal = api.post(
        url + "plan/",
        {
            "dimension": "income",
            "goal": "มีรายได้",
            "action": "ฝึกอาชีพ",
            "agency": centre.pk,
            "due_date": due,
        },
        format="json",
    )
    assert goal.status_code == 201, goal.content
    g = goal.json()
    assert goal["ETag"] == f'"{g["version"]}"'
    done_url = f"{url}plan/{g['id']}/done/"
    assert api.post(done_url, {}, format="json").status_code == 428
    assert api.post(done_url, {}, format="json", HTTP_IF_MATCH='"9"').status_code == 412
    done = api.post(done_url, {"note": "ได้งาน"}, format="json", HTTP_IF_MATCH=goal["ETag"])
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = api.post(f"{url}plan/{g['id']}/drop/", {"version": done.json()["version"]})
    assert again.status_code == 400  # a done goal is not dropped
    detail = api.get(url).json()
    assert detail["assessments"][0]["protection_risks"] == ["bedridden"]
    assert [p["status"] for p in detail["plan"]] == ["done"]


def test_workers_transfer_and_pause_need_the_current_version(
    make_case, case_supervisor, other_worker, org_57
):
    case = make_case(CaseStatus.ASSESSING)
    api = api_for(case_supervisor)
    url = f"/api/cases/{case.pk}/"
    assert api.post(url + "assign/", {"user": other_worker.pk}, format="json").status_code == 428
    stale = api.post(url + "assign/", {"user": other_worker.pk, "version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assigned = api.post(
        url + "assign/", {"user": other_worker.pk, "lead": True}, HTTP_IF_MATCH=f'"{case.version}"'
    )
    assert assigned.status_code == 200, assigned.content
    assert CaseWorker.objects.get(case=case, user=other_worker).lead
    version = assigned.json()["version"]
    removed = api.post(url + "unassign/", {"user": other_worker.pk, "version": version})
    assert removed.status_code == 200
    version = removed.json()["version"]

    paused = api.post(url + "pause/", {"reason": "รอญาติกลับจากต่างจังหวัด", "version": version})
    assert paused.status_code == 200 and paused.json()["paused_at"]
    twice = api.post(url + "pause/", {"reason": "รออีกครั้งหนึ่ง", "version": version + 1})
    assert twice.status_code == 400
    resumed = api.post(url + "resume/", {"version": version + 1})
    assert resumed.status_code == 200 and resumed.json()["paused_at"] is None

    no_reason = api.post(url + "transfer/", {"to_org": org_57.pk, "version": version + 2})
    assert no_reason.status_code == 400
    moved = api.post(
        url + "transfer/", {"to_org": org_57.pk, "reason": "ย้ายไปจังหวัด", "version": version + 2}
    )
    assert moved.status_code == 200 and moved.json()["owner"] == org_57.pk


def test_stock_is_received_by_the_centre_and_given_as_in_kind_aid(
    make_case, case_worker, centre, diapers, outsider
):
    api = api_for(case_worker)
    assert api.get("/api/stock/items/").json()[0]["code"] == "diapers-l"
    received = api.post("/api/stock/receive/", {"item": diapers.pk, "quantity": 4})
    assert received.status_code == 201 and received.json()["quantity"] == 4
    assert api.get("/api/stock/").json() == [received.json()]
    case = make_case(CaseStatus.ASSESSING)
    body = {"case": case.pk, "kind": "in_kind", "item": diapers.pk, "provider": centre.pk}
    too_many = api.post("/api/services/", {**body, "quantity": 5}, format="json")
    assert too_many.status_code == 400 and "4 ห่อ left" in too_many.json()["detail"]
    ok = api.post("/api/services/", {**body, "quantity": 3}, format="json")
    assert ok.status_code == 201 and ok.json()["quantity"] == 3
    delivered = api.post(
        f"/api/services/{ok.json()['id']}/deliver/",
        {"version": ok.json()["version"]},
        format="json",
    )
    assert delivered.status_code == 200
    assert stock.available(centre.pk, diapers.pk) == 1
    # Receipts go into the caller's own centre; a worker with no centre has none.
    other = api_for(outsider).post("/api/stock/receive/", {"item": diapers.pk, "quantity": 1})
    assert other.status_code == 404


def test_every_new_case_endpoint_is_404_out_of_scope(make_case, case_worker, centre, outsider):
    case = make_case(CaseStatus.ASSESSING)
    goal = make_goal(case, centre, case_worker)
    cash = assistance.request_service(
        actor=case_worker, case_id=case.pk, kind="cash_aid", amount="9000"
    )
    api = api_for(outsider)
    base = f"/api/cases/{case.pk}/"
    for path in (
        "assessments/",
        "plan/",
        f"plan/{goal.pk}/done/",
        f"plan/{goal.pk}/drop/",
        "assign/",
        "unassign/",
        "transfer/",
        "pause/",
        "resume/",
        "break-glass/",
    ):
        assert api.post(base + path, {}, format="json").status_code == 404, path
    # The decisions on cash aid answer 404 from the service itself (no check in the view).
    for step in ("approve", "reject", "deliver"):
        assert api.post(f"/api/services/{cash.pk}/{step}/", {}).status_code == 404, step


def test_a_duplicate_referral_links_to_the_referral(make_case, case_worker, outsider):
    hospital = Organisation.objects.create(
        code="t-hosp-w", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาล", province_id="57"
    )
    case = make_case(CaseStatus.ASSESSING)
    give_referral_consent(case, by=case_worker)  # the hospital is outside the ministry
    api = api_for(case_worker)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    body = {"case": case.pk, "to_org": hospital.pk, "need": "ตรวจสุขภาพ", "due_at": due}
    first = api.post("/api/referrals/", body, format="json").json()
    again = api.post("/api/referrals/", body, format="json")
    assert again.status_code == 409
    link = again.json()["existing"]
    assert link.endswith(f"/api/referrals/{first['id']}/") and again.json()["existing_id"]
    assert api.get(link).json()["need"] == "ตรวจสุขภาพ"
    assert api_for(outsider).get(link).status_code == 404


def test_the_schema_lists_the_work_endpoints(operator):
    schema = api_for(operator).get("/api/schema/").content.decode()
    for path in (
        "/api/cases/{id}/assessments/",
        "/api/cases/{id}/plan/{goal_id}/done/",
        "/api/cases/{id}/transfer/",
        "/api/cases/{id}/pause/",
        "/api/stock/receive/",
    ):
        assert path in schema
