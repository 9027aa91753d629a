"""The case tells the whole story (issue 15, point 3): the case page shows what its reports
said (place, reporter as the viewer may see them, issue, risks, links), sending a referral
moves the case to "referred" in one step (page and API), closing is one confirmed action
that says what happens next, each action's message names what was done, and the intake
page offers only the chosen issue's sub-problems."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.intake import catalogue
from onehome.cases.models import Case, CaseEvent, CaseStatus, EventKind, Referral, Report
from onehome.conftest import BANGKOK_SUB, WIANG
from onehome.geo.models import Village
from onehome.notifications.models import Notification

from .helpers import api_for

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def village(db) -> Village:
    return Village.objects.get_or_create(
        code="57010199",
        defaults={"subdistrict_id": WIANG, "number": 99, "name_th": "บ้านทดสอบเรื่อง"},
    )[0]


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def reports_section(body: str) -> str:
    """The case page's "report" card only (the assessment form lists every risk too)."""
    start = body.index('id="reports"')
    return body[start : body.index('<div class="card mb-3', start)]


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def the_case(make_case, village, **kw) -> Case:
    kw.setdefault("village", village.code)
    kw.setdefault("address", "42 ซอยต้นมะขาม ข้างวัดเวียง")
    kw.setdefault("risks", ["bedridden", "no_food"])
    kw.setdefault("reporter_name", "นางสายใจ แจ้งดี")
    kw.setdefault("reporter_phone", "0812345678")
    return make_case(S.ASSESSING, **kw)


# --- the report on the case page ------------------------------------------------------------


def test_the_case_page_shows_what_the_report_said(english_client, make_case, village, case_worker):
    case = the_case(make_case, village)
    report = Report.objects.get(case=case)
    body = page(english_client, case_worker, case)
    section = reports_section(body)
    assert "42 ซอยต้นมะขาม ข้างวัดเวียง" in section
    assert "บ้านทดสอบเรื่อง" in section and report.subdistrict.name in section
    assert "นางสายใจ แจ้งดี" in section and 'href="tel:0812345678"' in section
    assert catalogue.label("elderly", "elderly_bedridden") in section
    assert "Bedridden without a carer" in section and "No food or shelter tonight" in section
    assert "bedridden," not in section and "no_food" not in section  # labels, not codes
    assert f'href="{reverse("cases:report", args=[report.pk])}"' in section
    # The reports listed are recorded as read, like the case.
    assert AuditEvent.objects.filter(
        actor_id=case_worker.pk, object_type="cases.report", purpose__contains="view case"
    ).exists()


def test_a_report_the_viewer_may_not_open_shows_nothing_of_its_reporter(
    english_client, make_case, make_report, village, case_worker
):
    case = the_case(make_case, village)
    # A second call about the family, taken in Bangkok: outside the worker's area.
    far = make_report(
        subdistrict=BANGKOK_SUB, reporter_name="นายปกปิด ลับมาก", reporter_phone="0899990000"
    )
    Report.objects.filter(pk=far.pk).update(case=case, status="merged")
    body = page(english_client, case_worker, case)
    assert "นางสายใจ แจ้งดี" in body  # their own area's report
    assert "นายปกปิด" not in body and "0899990000" not in body
    assert reverse("cases:report", args=[far.pk]) not in body
    assert "1 more report on this case is outside what you may open." in body
    # The same rule as the report page: that page is closed to them too.
    assert english_client.get(reverse("cases:report", args=[far.pk])).status_code == 404


def test_an_anonymous_reporter_stays_anonymous_on_the_case_page(
    english_client, make_case, village, case_worker
):
    case = the_case(make_case, village, reporter_anonymous=True)
    body = page(english_client, case_worker, case)
    section = reports_section(body)
    assert "Anonymous" in section
    assert "นางสายใจ" not in section and "0812345678" not in section


# --- referral: one step to "referred" -------------------------------------------------------


def refer(client, case, org, **over):
    data = {
        "version": case.version,
        "to_org": org.pk,
        "need": "ประเมินสภาพบ้านและจัดหาผู้ดูแล",
        "due_at": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
    }
    data.update(over)
    return client.post(reverse("cases:case_refer", args=[case.pk]), data, follow=True)


def test_sending_a_referral_from_the_page_moves_the_case_to_referred(
    english_client, make_case, village, case_worker, org_57
):
    case = the_case(make_case, village)
    body = page(english_client, case_worker, case)
    # One way to refer: the referral form, no "referred" status button besides.
    assert 'name="to_status" value="referred"' not in body
    assert f'action="/cases/{case.pk}/refer/"' in body

    sent = refer(english_client, case, org_57)
    case.refresh_from_db()
    assert case.status == S.REFERRED
    assert Referral.objects.filter(case=case, to_org=org_57).count() == 1
    message = messages_of(sent)
    assert f"case {case.number} referred to {org_57.name_th}" in message
    assert "Referred" in message
    move = CaseEvent.objects.get(case=case, kind=EventKind.TRANSITION, to_status=S.REFERRED)
    assert (move.actor, move.from_status, move.data["action"]) == (
        case_worker,
        S.ASSESSING,
        "refer",
    )
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), purpose__contains="refer"
    ).exists()


def test_a_referral_the_status_cannot_follow_leaves_it_and_says_so(
    english_client, make_case, village, case_worker, org_57
):
    case = make_case(S.WAITING)
    english_client.force_login(case_worker)
    sent = refer(english_client, case, org_57)
    case.refresh_from_db()
    assert case.status == S.WAITING
    assert Referral.objects.filter(case=case).count() == 1
    assert f"case {case.number} to {org_57.name_th} (the case stays" in messages_of(sent)


def test_a_refused_referral_changes_nothing(english_client, make_case, village, case_worker):
    case = the_case(make_case, village)
    english_client.force_login(case_worker)
    refused = refer(english_client, case, case_worker.organisation)
    case.refresh_from_db()
    assert case.status == S.ASSESSING
    assert not Referral.objects.filter(case=case).exists()
    assert "not your own" in messages_of(refused)


def test_the_api_referral_moves_the_case_in_the_same_call(make_case, village, case_worker, org_57):
    case = the_case(make_case, village)
    api = api_for(case_worker)
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    sent = api.post(
        "/api/referrals/",
        {"case": case.pk, "to_org": org_57.pk, "need": "ประเมินบ้าน", "due_at": due},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["case_status"] == S.REFERRED
    read = api.get(f"/api/cases/{case.pk}/")
    assert read.json()["status"] == S.REFERRED


# --- closure: one confirmed action ----------------------------------------------------------


def close(client, case, **data):
    data.setdefault("version", case.version)
    return client.post(reverse("cases:case_close", args=[case.pk]), data, follow=True)


def test_a_worker_closes_in_one_action_that_asks_first_and_goes_to_the_supervisor(
    english_client, make_case, case_worker, case_supervisor
):
    case = make_case(S.ASSISTANCE_DONE)
    body = page(english_client, case_worker, case)
    # No separate "request closure" button: one close action, with what happens next.
    assert 'name="to_status" value="closure_requested"' not in body
    assert "Close the case…" in body and "What happens next" in body
    assert "it can be reopened with a reason" in body

    unconfirmed = close(english_client, case)
    assert unconfirmed.status_code == 200
    assert "Nothing has changed yet" in unconfirmed.content.decode()
    before = case.version
    case.refresh_from_db()
    assert (case.status, case.version) == (S.ASSISTANCE_DONE, before)

    done = close(english_client, case, confirm="yes")
    case.refresh_from_db()
    assert case.status == S.CLOSURE_REQUESTED
    assert f"Closure of case {case.number} requested" in messages_of(done)
    assert "for approval" in messages_of(done)
    assert Notification.objects.filter(
        user=case_supervisor, kind="closure_requested", case=case
    ).exists()

    # The supervisor's approval asks for confirmation too.
    body = page(english_client, case_supervisor, case)
    assert 'name="to_status" value="closed"' not in body and "Approve closure…" in body
    close(english_client, case)
    case.refresh_from_db()
    assert case.status == S.CLOSURE_REQUESTED
    approved = close(english_client, case, confirm="yes")
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert f"Closure of case {case.number} approved" in messages_of(approved)


def test_a_supervisor_closes_directly_and_both_steps_are_recorded(
    english_client, make_case, case_supervisor
):
    case = make_case(S.ASSISTANCE_DONE)
    english_client.force_login(case_supervisor)
    closed = close(english_client, case, confirm="yes")
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert f"Case {case.number} closed." in messages_of(closed)
    moves = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).order_by("at", "id")
    assert [e.to_status for e in moves][-2:] == [S.CLOSURE_REQUESTED, S.CLOSED]


def test_closing_without_assistance_needs_a_reason_and_changes_nothing_without_one(
    english_client, make_case, case_worker
):
    case = make_case(S.ASSESSING)
    english_client.force_login(case_worker)
    refused = close(english_client, case, confirm="yes")
    case.refresh_from_db()
    assert case.status == S.ASSESSING
    assert "Give a reason" in messages_of(refused)
    done = close(english_client, case, confirm="yes", reason="ครอบครัวย้ายไปต่างจังหวัด")
    case.refresh_from_db()
    assert case.status == S.CLOSURE_REQUESTED
    assert case.number in messages_of(done)


def test_who_may_not_close_is_told_and_nothing_changes(english_client, make_case, make_user):
    case = make_case(S.ASSISTANCE_DONE)
    inspector = make_user(Role.INSPECTOR)
    english_client.force_login(inspector)
    answer = close(english_client, case, confirm="yes")
    case.refresh_from_db()
    assert case.status == S.ASSISTANCE_DONE
    assert f"You may not close case {case.number} now" in messages_of(answer)


# --- messages name what was done ------------------------------------------------------------


def test_a_status_button_answers_with_the_step_and_the_new_status(
    english_client, make_case, case_supervisor
):
    case = make_case(S.WAITING)
    english_client.force_login(case_supervisor)
    moved = english_client.post(
        reverse("cases:case_transition", args=[case.pk]),
        {"to_status": S.ASSESSING, "version": case.version},
        follow=True,
    )
    assert f"Accept the case: case {case.number} is now “Assessing”." in messages_of(moved)


def test_a_note_answers_naming_the_case(english_client, make_case, case_worker):
    case = make_case(S.ASSESSING)
    english_client.force_login(case_worker)
    noted = english_client.post(
        reverse("cases:case_note", args=[case.pk]), {"text": "โทรหาญาติแล้ว"}, follow=True
    )
    assert f"Note added to case {case.number}." in messages_of(noted)


def test_a_cash_aid_decision_answers_naming_the_aid_and_the_case(
    english_client, make_case, case_worker, case_supervisor
):
    case = make_case(S.ASSESSING)
    english_client.force_login(case_worker)
    asked = english_client.post(
        reverse("cases:case_service", args=[case.pk]),
        {"kind": "cash_aid", "amount": "9000"},
        follow=True,
    )
    assert f"(เงินสงเคราะห์) for case {case.number} is above the ceiling" in messages_of(asked)
    service = case.services.get()
    english_client.force_login(case_supervisor)
    approved = english_client.post(
        reverse("cases:service_decide", args=[service.pk, "approve"]),
        {"case": case.pk, "version": service.version},
        follow=True,
    )
    assert f"(เงินสงเคราะห์) for case {case.number} approved." in messages_of(approved)


# --- intake: sub-problems of the chosen issue -----------------------------------------------


def test_the_sub_problem_options_follow_the_issue(client, operator):
    elderly = catalogue.issue("elderly")
    other = next(i for i in catalogue.issues() if i.code != "elderly")
    answer = client.get(reverse("cases:subproblem_options"), {"category": "elderly"})
    body = answer.content.decode()
    assert answer.status_code == 200
    assert all(f'value="{s.code}"' in body for s in elderly.subs)
    assert not any(f'value="{s.code}"' in body for s in other.subs)
    # The public self-report page asks the same of its own address.
    public = client.get(reverse("public:subproblems"), {"category": other.code}).content.decode()
    assert all(f'value="{s.code}"' in public for s in other.subs)
    assert not any(f'value="{s.code}"' in public for s in elderly.subs)


def test_the_intake_form_refuses_a_sub_problem_of_another_issue(english_client, operator):
    client = english_client
    other = next(i for i in catalogue.issues() if i.code != "elderly" and i.subs)
    client.force_login(operator)
    page_ = client.get(reverse("cases:intake")).content.decode()
    assert 'hx-get="/cases/intake/subproblems/"' in page_
    data = {
        "call_type": "new",
        "urgency": "normal",
        "channel": "hotline",
        "subdistrict": WIANG,
        "category": "elderly",
        "subcategory": other.subs[0].code,
        "summary": "ทดสอบ",
        "idempotency_key": "case-story-1",
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
    }
    answer = client.post(reverse("cases:intake"), data)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f"is not a sub-problem of “{catalogue.issue('elderly').en}”" in body
    assert not Report.objects.filter(idempotency_key="case-story-1").exists()
    # Shown again with the chosen issue's sub-problems only.
    select = body[body.index('name="subcategory"') :]
    select = select[: select.index("</select>")]
    assert f'value="{other.subs[0].code}"' not in select
    assert all(f'value="{s.code}"' in select for s in catalogue.issue("elderly").subs)


def test_the_intake_form_takes_a_matching_sub_problem(client, operator):
    client.force_login(operator)
    data = {
        "call_type": "new",
        "urgency": "normal",
        "channel": "hotline",
        "subdistrict": WIANG,
        "category": "elderly",
        "subcategory": "elderly_bedridden",
        "summary": "ทดสอบ",
        "idempotency_key": "case-story-2",
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
    }
    answer = client.post(reverse("cases:intake"), data)
    assert answer.status_code == 302
    report = Report.objects.get(idempotency_key="case-story-2")
    assert (report.category, report.subcategory) == ("elderly", "elderly_bedridden")


class _Undo(Exception):
    pass


def test_the_close_panel_promises_what_closing_will_do(make_case, make_user, org_57, centre):
    """For every role, of the owning agency or another one: the mode the panel announces
    ("closes now" or "asks a supervisor") is what the confirmed action then does."""
    from django.db import transaction

    from onehome.cases.lifecycle import services, transitions

    case = make_case(S.ASSISTANCE_DONE)
    promised = 0
    for role in Role.values:
        for org in (org_57, centre):
            user = make_user(role, organisation=org)
            plan = services.closure_plan(user, case, transitions.allowed_next(case, user))
            if plan is None:
                continue
            try:
                with transaction.atomic():
                    done = services.close_case(actor=user, case_id=case.pk, version=case.version)
                    raise _Undo
            except _Undo:
                pass
            assert done == {"close": "closed", "request": "requested"}[plan.mode], (role, org)
            promised += 1
    assert promised >= 4  # workers ask, supervisors and heads close
