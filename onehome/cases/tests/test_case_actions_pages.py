"""The work on a case from its page: assessment and plan, workers and transfer, the SLA
pause, in-kind aid from a centre's stock and the stock page — each form shown only to who
may use it, a stale form refused with a message, and 404 for anyone out of scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import Role
from onehome.cases.assistance import services as assistance
from onehome.cases.assistance import stock
from onehome.cases.models import (
    Assessment,
    CaseStatus,
    CaseWorker,
    GoalStatus,
    PlanGoal,
    Service,
)
from onehome.cases.tests.helpers import make_goal
from onehome.cases.visibility import glass
from onehome.errors import NotInScopeError

pytestmark = pytest.mark.django_db

LEVELS = {"health": 2, "living": 3, "education": 0, "income": 2, "access": 1}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client, name, case, data, **kw):
    return client.post(reverse(f"cases:{name}", args=[case.pk, *kw.values()]), data, follow=True)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def assessment_data(**over) -> dict:
    data = {f"level_{d}": str(v) for d, v in LEVELS.items()}
    data.update({"note_health": "แผลกดทับ", "protection_risks": ["bedridden"], "summary": "ok"})
    data.update(over)
    return data


def test_a_worker_records_an_assessment_and_works_the_plan(client, make_case, case_worker, centre):
    case = make_case(CaseStatus.ASSESSING)
    body = page(client, case_worker, case)
    assert "<details" in body and f'action="/cases/{case.pk}/assessment/"' in body

    response = post(client, "case_assess", case, assessment_data())
    assert "Assessment recorded" in messages_of(response)
    a = Assessment.objects.get(case=case)
    assert {d: v["level"] for d, v in a.dimensions.items()} == LEVELS
    assert a.protection_risks == ["bedridden"]
    assert "แผลกดทับ" in response.content.decode()

    bad = post(client, "case_assess", case, assessment_data(level_income="7"))
    assert "Select a valid choice" in messages_of(bad)
    assert Assessment.objects.filter(case=case).count() == 1

    due = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    goal_data = {
        "dimension": "health",
        "goal": "แผลหาย",
        "action": "พยาบาลทำแผลทุกสัปดาห์",
        "agency": centre.pk,
        "due_date": due,
    }
    added = post(client, "plan_add", case, goal_data)
    assert "Goal added" in messages_of(added)
    goal = PlanGoal.objects.get(case=case)

    stale = post(client, "plan_step", case, {"version": goal.version - 1}, g=goal.pk, s="done")
    assert "changed by someone else" in messages_of(stale)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN

    no_reason = post(client, "plan_step", case, {"version": goal.version}, g=goal.pk, s="drop")
    assert "reason" in messages_of(no_reason)
    dropped = post(
        client,
        "plan_step",
        case,
        {"version": goal.version, "text": "ครอบครัวย้ายไปอยู่กับลูก"},
        g=goal.pk,
        s="drop",
    )
    assert "Goal dropped" in messages_of(dropped)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED


def test_a_supervisor_assigns_removes_and_transfers_and_stale_forms_change_nothing(
    client, make_case, case_supervisor, other_worker, org_57
):
    case = make_case(CaseStatus.ASSESSING)
    body = page(client, case_supervisor, case)
    assert "Assign a worker" in body and "Transfer the case" in body

    stale = post(client, "case_assign", case, {"user": other_worker.pk, "version": 0})
    assert "changed by someone else" in messages_of(stale)
    assert not CaseWorker.objects.filter(case=case, user=other_worker).exists()

    ok = post(client, "case_assign", case, {"user": other_worker.pk, "version": case.version})
    name = other_worker.get_full_name() or other_worker.username
    assert f"{name} now works on case {case.number}" in messages_of(ok)
    case.refresh_from_db()
    removed = post(
        client, "case_unassign", case, {"user": other_worker.pk, "version": case.version}
    )
    assert f"{name} no longer works on case {case.number}" in messages_of(removed)
    assert not CaseWorker.objects.filter(case=case, user=other_worker).exists()

    case.refresh_from_db()
    data = {"to_org": org_57.pk, "reason": "ต้องใช้นักสังคมสงเคราะห์จังหวัด", "version": case.version}
    moved = post(client, "case_transfer", case, data)
    assert f"Case {case.number} transferred to {org_57.name_th}" in messages_of(moved)
    case.refresh_from_db()
    assert case.owner_id == org_57.pk


def test_the_deadline_pauses_while_waiting_on_the_family_and_resumes(
    client, make_case, case_worker
):
    case = make_case(CaseStatus.ASSESSING)
    assert "Pause the deadline" in page(client, case_worker, case)
    short = post(client, "case_pause", case, {"reason": "รอ", "version": case.version})
    assert "waiting for" in messages_of(short).lower()
    paused = post(client, "case_pause", case, {"reason": "รอญาติส่งเอกสาร", "version": case.version})
    assert "paused" in messages_of(paused)
    case.refresh_from_db()
    assert case.paused_at is not None
    assert "Resume the deadline" in paused.content.decode()
    stale = post(client, "case_resume", case, {"version": case.version - 1})
    assert "changed by someone else" in messages_of(stale)
    post(client, "case_resume", case, {"version": case.version})
    case.refresh_from_db()
    assert case.paused_at is None


def test_in_kind_aid_names_item_quantity_and_provider_and_shows_the_stock_left(
    client, make_case, case_worker, centre, diapers
):
    client.force_login(case_worker)
    got = client.post(reverse("cases:stock"), {"item": diapers.pk, "quantity": 5}, follow=True)
    assert "5 ห่อ" in got.content.decode()
    assert stock.available(centre.pk, diapers.pk) == 5

    case = make_case(CaseStatus.ASSESSING)
    body = page(client, case_worker, case)
    assert 'id="stock-left"' in body and "ผ้าอ้อมผู้ใหญ่: <strong>5</strong>" in body
    data = {"kind": "in_kind", "item": diapers.pk, "quantity": 9, "provider": centre.pk}
    too_many = post(client, "case_service", case, data)
    assert "5 ห่อ left, 9 asked for" in messages_of(too_many)
    assert not Service.objects.filter(case=case).exists()

    ok = post(client, "case_service", case, {**data, "quantity": 2})
    assert f"In-kind aid recorded on case {case.number}" in messages_of(ok)
    service = Service.objects.get(case=case)
    assert (service.item_id, service.quantity, service.provider_id) == (diapers.pk, 2, centre.pk)


def test_the_stock_page_is_for_staff_of_a_centre(client, make_user, diapers):
    client.force_login(make_user(Role.ANALYST))
    assert client.get(reverse("cases:stock")).status_code == 404
    client.force_login(make_user(Role.SOCIAL_WORKER))  # no organisation
    assert client.get(reverse("cases:stock")).status_code == 404


def test_forms_are_shown_only_to_who_may_use_them(client, make_case, make_user, office_worker):
    case = make_case(CaseStatus.ASSESSING)
    inspector = make_user(Role.INSPECTOR)
    body = page(client, inspector, case)
    for form in ("Record an assessment", "Add a goal", "Pause the deadline", "Request a service"):
        assert form not in body
    # A worker of another agency, not on the case: may work on it, not run its staffing.
    body = page(client, office_worker, case)
    assert "Record an assessment" in body
    assert "Assign a worker" not in body and "Transfer the case" not in body


def test_every_new_case_form_is_404_out_of_scope(client, make_case, outsider, centre):
    case = make_case(CaseStatus.ASSESSING)
    goal = make_goal(case, centre, outsider)
    client.force_login(outsider)
    urls = [
        reverse(name, args=[case.pk])
        for name in (
            "cases:case_assess",
            "cases:plan_add",
            "cases:case_assign",
            "cases:case_unassign",
            "cases:case_transfer",
            "cases:case_pause",
            "cases:case_resume",
            "cases:case_service",
        )
    ]
    urls += [reverse("cases:plan_step", args=[case.pk, goal.pk, s]) for s in ("done", "drop")]
    for url in urls:
        assert client.post(url, {"version": case.version}).status_code == 404, url
    assert client.get(urls[0]).status_code == 405


def test_out_of_scope_decisions_are_404_before_any_other_refusal(
    client, make_case, case_worker, outsider
):
    """Regression: deciding on cash aid checked the role first (400), and the views hid it."""
    case = make_case(CaseStatus.ASSESSING)
    service = assistance.request_service(
        actor=case_worker, case_id=case.pk, kind="cash_aid", amount="9000"
    )
    with pytest.raises(NotInScopeError):
        assistance.reject_service(
            actor=outsider, service_id=service.pk, version=service.version, reason=""
        )
    with pytest.raises(NotInScopeError):
        assistance.approve_service(actor=outsider, service_id=service.pk, version=service.version)
    with pytest.raises(NotInScopeError):
        glass.break_glass(actor=outsider, case_id=case.pk, reason="")
    client.force_login(outsider)
    for decision in ("approve", "reject", "deliver"):
        url = reverse("cases:service_decide", args=[service.pk, decision])
        assert client.post(url, {}).status_code == 404
    assert client.post(reverse("cases:case_glass", args=[case.pk]), {}).status_code == 404
