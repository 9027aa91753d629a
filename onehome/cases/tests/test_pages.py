"""The case pages as people use them: hotline intake, the public self-report and tracking
pages, the dispatch board, my work, the case page (with stale forms and the glass), the
referral boxes — and 404 for everyone who may not see a record."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import Role
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.models import CaseStatus, Channel, EventKind, Report, ReportStatus
from onehome.cases.referrals import selectors as referral_selectors
from onehome.conftest import WIANG
from onehome.orgs.models import Organisation, OrgKind
from onehome.privacy.tests.helpers import give_referral_consent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def login(client, user):
    client.force_login(user)
    return client


def intake_data(**over) -> dict:
    data = {
        "call_type": "new",
        "urgency": "normal",
        "channel": "hotline",
        "subdistrict": f"{WIANG} เวียง",
        "village": "",
        "address": "บ้านเลขที่ 5",
        "category": "elderly",
        "subcategory": "elderly_bedridden",
        "summary": "ตาติดเตียง ไม่มีคนดูแล",
        "risks": ["bedridden"],
        "reporter_name": "สมหญิง",
        "reporter_phone": "0812345678",
        "idempotency_key": "page-key-1",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "form-0-role": "victim",
        "form-0-name": "ตาคำ",
        "form-0-age": "80",
        "form-1-role": "victim",
        "form-2-role": "alleged_offender",
        "form-2-name": "",
    }
    data.update(over)
    return data


def test_the_intake_page_is_keyboard_ready(client, operator):
    body = login(client, operator).get(reverse("cases:intake")).content.decode()
    assert "autofocus" in body and 'accesskey="1"' in body and 'accesskey="s"' in body
    assert 'type="radio"' in body and 'name="idempotency_key"' in body
    assert 'list="subdistrict-options"' in body


def test_hotline_intake_saves_once_and_shows_the_tracking_code(client, operator, org_57):
    login(client, operator)
    response = client.post(reverse("cases:intake"), intake_data(), follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.reference in response.content.decode()
    assert report.urgency == "urgent"  # bedridden without a carer raises it
    # operators take reports; triage is the unit's work
    assert reverse("cases:report_accept", args=[report.pk]) not in response.content.decode()
    again = client.post(reverse("cases:intake"), intake_data())  # double click
    assert again.status_code == 302 and Report.objects.count() == 1


def test_intake_errors_stay_on_the_form(client, operator, org_57):
    login(client, operator)
    response = client.post(reverse("cases:intake"), intake_data(category="nonsense"))
    assert response.status_code == 200
    assert Report.objects.count() == 0
    bad_area = client.post(reverse("cases:intake"), intake_data(subdistrict="ที่ไหนสักแห่ง"))
    assert bad_area.status_code == 200 and bad_area.context["form"].errors["subdistrict"]
    assert Report.objects.count() == 0


def test_the_warning_panel_lists_earlier_reports_at_the_same_address(client, operator, make_report):
    earlier = make_report(address="บ้านเลขที่ 5")
    login(client, operator)
    response = client.get(
        reverse("cases:intake_earlier"), {"subdistrict": f"{WIANG} เวียง", "address": "บ้านเลขที่ 5"}
    )
    assert earlier.reference in response.content.decode()
    nothing = client.get(reverse("cases:intake_earlier"), {"subdistrict": WIANG, "address": "อื่น"})
    assert earlier.reference not in nothing.content.decode()


def test_the_sub_district_list_answers_names_and_codes(client):
    body = client.get(reverse("public:areas"), {"q": "5701"}).content.decode()
    assert f'value="{WIANG} ' in body


def test_the_public_form_takes_a_report_and_limits_each_connection(client, org_57):
    url = reverse("public:report")
    data = {
        "call_type": "new",
        "subdistrict": WIANG,
        "category": "elderly",
        "summary": "ยายข้างบ้านไม่มีข้าวกิน",
        "person_name": "ยายจันทร์",
        "idempotency_key": "",
    }
    for n in range(5):
        response = client.post(url, {**data, "idempotency_key": f"pub-{n}"})
        assert response.status_code == 200
        assert 'id="reference"' in response.content.decode()
    assert Report.objects.filter(channel=Channel.WEB, created_by=None).count() == 5
    limited = client.post(url, {**data, "idempotency_key": "pub-6"})
    assert limited.status_code == 429
    assert "1300" in limited.content.decode()
    assert Report.objects.count() == 5


def test_rate_limit_counts_live_where_every_server_process_sees_them(client, org_57):
    """A per-process cache would give each gunicorn worker the whole allowance again."""
    client.get(reverse("public:track"), {"reference": "NOPE-0000"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM onehome_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(key.endswith("onehome:track:127.0.0.1") for key in keys)


def test_tracking_shows_the_status_and_nothing_personal(client, make_report):
    report = make_report(
        reporter_name="ผู้แจ้งลับ",
        parties=[
            {"role": "victim", "name": "เด็กหญิงดาว"},
            {"role": "alleged_offender", "name": "นายโหด ใจร้าย"},
        ],
    )
    response = client.get(reverse("public:track"), {"reference": report.reference.lower()})
    body = response.content.decode()
    assert response.status_code == 200 and report.reference in body
    for secret in ("ผู้แจ้งลับ", "เด็กหญิงดาว", "นายโหด", report.summary):
        assert secret not in body
    missing = client.get(reverse("public:track"), {"reference": "RXXXXXXXX"}).content.decode()
    assert "No report has this tracking code" in missing


def test_the_dispatch_board_orders_by_urgency_and_accepts_into_a_case(
    client, case_worker, make_report
):
    normal = make_report()
    critical = make_report(urgency="critical", category="homeless", subcategory="homeless_street")
    critical.due_at = timezone.now() - dt.timedelta(hours=1)
    critical.save(update_fields=["due_at"])
    login(client, case_worker)
    board = client.get(reverse("cases:dispatch"))
    refs = [r.reference for r in board.context["reports"]]
    # the critical one went to the provincial office; this worker's centre sees its own
    assert normal.reference in refs and critical.reference not in refs
    response = client.post(
        reverse("cases:report_accept", args=[normal.pk]), {"version": normal.version}
    )
    normal.refresh_from_db()
    assert normal.status == ReportStatus.ACCEPTED
    assert response.url == reverse("cases:case", args=[normal.case_id])


def test_the_dispatch_board_highlights_overdue_reports(client, case_supervisor, make_report):
    late = make_report()
    Report.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    login(client, case_supervisor)
    board = client.get(reverse("cases:dispatch"))
    row = next(r for r in board.context["reports"] if r.pk == late.pk)
    assert row.overdue and "border-danger" in board.content.decode()


def test_closing_a_report_needs_a_reason(client, case_worker, make_report):
    report = make_report()
    login(client, case_worker)
    client.post(reverse("cases:report_close", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.WAITING
    client.post(
        reverse("cases:report_close", args=[report.pk]),
        {"version": report.version, "reason": "ญาติรับไปดูแลแล้ว"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED


def test_the_case_page_shows_allowed_moves_and_refuses_a_stale_form(
    client, case_worker, make_report
):
    report = make_report()
    login(client, case_worker)
    client.post(reverse("cases:report_accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    case = report.case
    page = client.get(reverse("cases:case", args=[case.pk]))
    body = page.content.decode()
    assert case.number in body and 'name="version"' in body
    assert "report_assistance" in body  # a move allowed from "assessing"
    url = reverse("cases:case_transition", args=[case.pk])
    ok = client.post(
        url, {"to_status": "assistance_reported", "version": case.version}, follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED
    assert ok.status_code == 200
    stale = client.post(
        url, {"to_status": "assistance_done", "version": case.version - 1}, follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTANCE_REPORTED
    assert "changed by someone else" in stale.content.decode()


def test_a_sensitive_case_shows_only_the_glass_form_to_an_unassigned_worker(
    client, make_case, office_worker, outsider
):
    case = make_case(
        category="violence",
        subcategory="violence_child",
        summary="เด็กถูกตีทุกคืน",
        parties=[{"role": "alleged_offender", "name": "นายโหด ใจร้าย"}],
    )
    url = reverse("cases:case", args=[case.pk])
    assert login(client, outsider).get(url).status_code == 404
    glass = login(client, office_worker).get(url)
    body = glass.content.decode()
    assert glass.status_code == 200 and 'name="reason"' in body
    for secret in (case.number, "เด็กถูกตีทุกคืน", "นายโหด"):
        assert secret not in body
    client.post(
        reverse("cases:case_glass", args=[case.pk]),
        {"reason": "เด็กโทรมาอีกครั้งตอนตีสอง ต้องดูประวัติ"},
    )
    opened = client.get(url).content.decode()
    assert case.number in opened and "นายโหด" in opened


def test_my_work_lists_closures_to_approve_and_referrals_to_answer(
    client, make_case, case_supervisor
):
    case = make_case(CaseStatus.CLOSURE_REQUESTED)
    login(client, case_supervisor)
    page = client.get(reverse("cases:my_work"))
    [reasons] = [c.reasons for c in page.context["cases"] if c.pk == case.pk]
    assert "approval" in reasons
    client.post(
        reverse("cases:case_transition", args=[case.pk]),
        {"to_status": "closed", "version": case.version, "reason": ""},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_the_referral_boxes_answer_and_count(client, make_case, case_worker, make_user):
    hospital = Organisation.objects.create(
        code="t-hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาลทดสอบ", province_id="57"
    )
    nurse = make_user(Role.SOCIAL_WORKER, organisation=hospital)
    case = make_case()
    login(client, case_worker)
    # a supervisor accepted the case; the worker is assigned before referring it
    from onehome.cases.lifecycle import services

    services.assign_worker(
        actor=_supervisor_of(case),
        case_id=case.pk,
        user_id=case_worker.pk,
        version=case.version,
    )
    give_referral_consent(case, by=case_worker)  # the hospital is outside the ministry
    client.post(
        reverse("cases:case_refer", args=[case.pk]),
        {
            "to_org": hospital.pk,
            "need": "ตรวจสุขภาพ",
            "due_at": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "version": 1,
        },
    )
    ref = referral_selectors.referral_outbox(user=case_worker).get()
    login(client, nurse)
    inbox = client.get(reverse("cases:referrals"))
    assert ref in inbox.context["rows"]
    client.post(
        reverse("cases:referral_step", args=[ref.pk, "accept"]),
        {"version": ref.version, "text": ""},
    )
    ref.refresh_from_db()
    assert ref.status == "accepted"
    page = client.get(reverse("cases:referrals")).content.decode()
    assert "โรงพยาบาลทดสอบ" in page and "bar-chart" in page


def _supervisor_of(case):
    from onehome.access.models import User

    return next(
        u for u in User.objects.filter(organisation_id=case.owner_id) if "supervisor" in u.roles
    )


def test_notifications_page_and_unread_badge(client, case_worker):
    from onehome.notifications.services import notify

    notify(users=[case_worker], kind="test", title="มีงานใหม่")
    login(client, case_worker)
    assert "rounded-pill" in client.get(reverse("cases:my_work")).content.decode()
    # Seen is read: the page that shows the notification clears the badge.
    assert "มีงานใหม่" in client.get(reverse("notifications:inbox")).content.decode()
    assert "rounded-pill" not in client.get(reverse("cases:my_work")).content.decode()


def test_every_case_page_is_404_out_of_scope(client, make_case, make_report, outsider):
    case = make_case()
    report = make_report()
    login(client, outsider)
    for name, pk in [
        ("cases:case", case.pk),
        ("cases:report", report.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    for name, pk in [
        ("cases:case_transition", case.pk),
        ("cases:case_note", case.pk),
        ("cases:case_glass", case.pk),
        ("cases:case_refer", case.pk),
        ("cases:case_service", case.pk),
        ("cases:report_accept", report.pk),
        ("cases:report_merge", report.pk),
        ("cases:report_close", report.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {"version": 1}).status_code == 404, name
    assert client.get(reverse("cases:dispatch")).status_code in (200, 404)
    assert case.number not in client.get(reverse("cases:my_work")).content.decode()


def test_the_case_page_shows_events_the_system_wrote(client, case_worker, make_case):
    # Escalations and deadline changes have no actor; the timeline named the actor through
    # a filter argument that failed on None, and the whole page answered 500.
    case = make_case()
    add_event(case, kind=EventKind.ESCALATION, actor=None, text="SLA")
    login(client, case_worker)
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    assert "system" in page.content.decode()
