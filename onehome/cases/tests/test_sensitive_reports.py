"""One rule for sensitive records (issue 14, point 1).

A report is sensitive when its issue is, or when a sensitive risk is ticked (the catalogue's
data); its case inherits it, and only a supervisor's recorded decision lowers it. A
sensitive report is read by exactly those who may read its case (the operator who took it
keeps it until triage, the unit that must triage it sees it while it waits); everyone else
meets the glass. An unrouted sensitive report reaches the area's supervisors.

The generated tests send every role to every route of the URL map that can show a report or
a case (with its parties and timeline), page and API, for a sensitive report and case in
the user's own area and agency.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from onehome.access.models import AuditAction, AuditEvent, Role, ScopeLevel
from onehome.access.roles import ROLE_TABLE, Action
from onehome.access.tests.test_url_policies import _fill, app_routes
from onehome.cases.intake import catalogue, selectors, triage
from onehome.cases.intake import services as intake
from onehome.cases.models import (
    CallType,
    CaseEvent,
    Channel,
    EventKind,
    Report,
    ReportStatus,
    Risk,
)
from onehome.cases.visibility.glass import break_glass
from onehome.cases.visibility.selectors import visible_cases
from onehome.cases.visibility.sensitivity import lower_sensitivity
from onehome.conftest import WIANG
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.orgs.models import Organisation, OrgKind

from .helpers import api_for

pytestmark = pytest.mark.django_db

SUMMARY = "ลับมาก-เด็กหญิงอายุ 14 ตั้งครรภ์ ถูกพ่อเลี้ยงล่วงละเมิด"
REPORTER = "นางสาวผู้แจ้ง ลับเฉพาะ"
PHONE = "0812345678"
OFFENDER = "นายพ่อเลี้ยง ใจทราม"
REASON = "ตรวจแล้ว ไม่ใช่การล่วงละเมิด เป็นความเข้าใจผิดของผู้แจ้ง"


def teen_pregnancy(**over) -> dict:
    """A teen-pregnancy report (an ordinary issue) with sexual abuse and violence ticked."""
    return {
        "category": "teen_pregnancy",
        "subcategory": "teen_pregnancy_unplanned",
        "risks": [Risk.SEXUAL_ABUSE, Risk.VIOLENCE],
        "summary": SUMMARY,
        "reporter_name": REPORTER,
        "reporter_phone": PHONE,
        "address": "99 หมู่ 9 บ้านลับ",
        "parties": [
            {"role": "victim", "name": "เด็กหญิงลับ", "age": 14},
            {"role": "alleged_offender", "name": OFFENDER},
        ],
        **over,
    }


# --- the rule: risks make a report sensitive, and the case inherits it ------------------------


def test_the_catalogue_marks_sexual_abuse_violence_and_trafficking_as_sensitive_risks():
    assert {Risk.SEXUAL_ABUSE, Risk.VIOLENCE, Risk.TRAFFICKING} <= catalogue.sensitive_risks()
    assert catalogue.sensitive_risks() <= set(Risk.values)
    assert catalogue.is_sensitive("teen_pregnancy", "", [Risk.SEXUAL_ABUSE])
    assert not catalogue.is_sensitive("teen_pregnancy", "", [Risk.DRUGS, Risk.NO_FOOD])


@pytest.mark.parametrize("risk", [Risk.SEXUAL_ABUSE, Risk.VIOLENCE, Risk.TRAFFICKING])
def test_a_sensitive_risk_makes_a_report_of_an_ordinary_issue_sensitive(risk, make_report, org_57):
    report = make_report(**teen_pregnancy(risks=[risk]))
    assert report.sensitive
    # Routed like every sensitive report: to the provincial office's social workers.
    assert report.routed_to == org_57


def test_ordinary_risks_leave_an_ordinary_report_ordinary(make_report, centre):
    report = make_report(**teen_pregnancy(risks=[Risk.DRUGS, Risk.MENTAL_HEALTH]))
    assert not report.sensitive and report.routed_to == centre
    assert make_report(category="violence", subcategory="violence_child").sensitive


def test_the_case_inherits_the_reports_sensitivity(make_report, office_supervisor):
    report = make_report(**teen_pregnancy())
    case = triage.accept_report(actor=office_supervisor, report_id=report.pk, version=1)
    assert case.sensitive


def test_a_sensitive_report_merged_into_an_ordinary_case_makes_it_sensitive(
    make_case, make_report, case_supervisor, centre
):
    case = make_case()
    assert not case.sensitive and case.owner == centre
    # Taken by the centre's supervisor, so the centre triages it (not the provincial office).
    report = make_report(**teen_pregnancy(), actor=case_supervisor)
    report.routed_to = centre
    report.save(update_fields=["routed_to"])
    merged = triage.merge_report(
        actor=case_supervisor, report_id=report.pk, case_id=case.pk, version=1
    )
    assert merged.sensitive


def test_the_migration_marks_existing_reports_and_their_cases_by_the_same_rule(make_case):
    case = make_case()
    report = case.reports.get()
    # A row written before the rule: risks ticked, flags not set.
    Report.objects.filter(pk=report.pk).update(risks=[Risk.SEXUAL_ABUSE], sensitive=False)
    plain = make_case()
    migration = importlib.import_module("onehome.cases.migrations.0007_report_sensitive")
    migration.mark_sensitive(django_apps, None)
    report.refresh_from_db()
    case.refresh_from_db()
    plain.refresh_from_db()
    assert report.sensitive and case.sensitive
    assert not plain.sensitive and not plain.reports.get().sensitive


# --- who reads a sensitive report ------------------------------------------------------------


@pytest.fixture
def triaged(make_report, office_worker):
    """The audit's case: a sensitive report taken by the hotline, accepted by a social
    worker of the provincial office (who becomes its lead)."""
    report = make_report(**teen_pregnancy())
    case = triage.accept_report(actor=office_worker, report_id=report.pk, version=1)
    report.refresh_from_db()
    return report, case


def test_a_provincial_head_who_cannot_open_the_case_cannot_read_its_report(
    client, triaged, provincial_head
):
    report, case = triaged
    api = api_for(provincial_head)
    assert api.get(f"/api/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/reports/{report.pk}/").status_code == 404
    client.force_login(provincial_head)
    page = client.get(reverse("cases:report", args=[report.pk]))
    body = page.content.decode()
    # The glass, as on the case page: the form to break it, and nothing of the report.
    assert page.status_code == 200 and 'name="reason"' in body
    assert reverse("cases:case_glass", args=[case.pk]) in body
    for secret in (SUMMARY, REPORTER, PHONE, OFFENDER, report.reference):
        assert secret not in body


def test_the_operator_who_took_a_sensitive_report_keeps_it_until_it_is_triaged(
    make_report, operator, office_worker
):
    report = make_report(**teen_pregnancy())
    assert selectors.may_see_report(operator, report.pk)
    triage.accept_report(actor=office_worker, report_id=report.pk, version=1)
    assert not selectors.may_see_report(operator, report.pk)
    closed = make_report(**teen_pregnancy())
    triage.close_report(actor=office_worker, report_id=closed.pk, reason="ซ้ำ", version=1)
    assert not selectors.may_see_report(operator, closed.pk)
    # The unit that closed it still reads it; a colleague of no triage role does not.
    assert selectors.may_see_report(office_worker, closed.pk)


def test_a_glass_grant_on_the_case_opens_its_reports(triaged, operator):
    report, case = triaged
    assert not selectors.may_see_report(operator, report.pk)
    break_glass(actor=operator, case_id=case.pk, reason="เด็กโทรมาอีกครั้ง ต้องดูประวัติ")
    assert selectors.may_see_report(operator, report.pk)
    assert api_for(operator).get(f"/api/reports/{report.pk}/").status_code == 200


def test_a_sensitive_report_waits_only_on_the_board_of_the_unit_that_must_triage_it(
    make_report, office_worker, case_worker, provincial_head
):
    report = make_report(**teen_pregnancy())
    assert report in selectors.dispatch_board(office_worker)
    assert report in selectors.dispatch_board(provincial_head)  # of the office: triages it
    assert report not in selectors.dispatch_board(case_worker)
    assert not selectors.may_see_report(case_worker, report.pk)


# --- an unrouted sensitive report goes to the area's supervisors ------------------------------


@pytest.fixture
def unrouted(operator):
    """A sensitive report in a province with no provincial office and no centre on file."""
    assert not Organisation.objects.filter(kind=OrgKind.PROVINCIAL_OFFICE).exists()
    report = intake.create_report(
        actor=operator,
        channel=Channel.HOTLINE,
        call_type=CallType.NEW,
        subdistrict=WIANG,
        **teen_pregnancy(),
    )
    assert report.routed_to is None and report.sensitive
    return report


def test_an_unrouted_sensitive_report_reaches_the_supervisors_of_its_area(
    client, unrouted, make_user
):
    shelter = Organisation.objects.create(
        code="t-shelter-57",
        kind=OrgKind.PROVINCIAL_UNIT,
        name_th="บ้านพักเด็กและครอบครัว",
        province_id="57",
    )
    supervisor = make_user(Role.SUPERVISOR, organisation=shelter)
    worker = make_user(Role.SOCIAL_WORKER, organisation=shelter)
    elsewhere = make_user(Role.SUPERVISOR, organisation=shelter, code="10")
    assert unrouted in selectors.dispatch_board(supervisor)
    assert unrouted not in selectors.dispatch_board(worker)
    assert unrouted not in selectors.dispatch_board(elsewhere)
    client.force_login(supervisor)
    board = client.get(reverse("cases:dispatch")).content.decode()
    assert reverse("cases:report", args=[unrouted.pk]) in board
    # And they can triage it: the case is sensitive, owned by their agency, open to them.
    case = triage.accept_report(actor=supervisor, report_id=unrouted.pk, version=1)
    assert case.sensitive and case.owner == shelter
    assert case in visible_cases(supervisor)
    assert not visible_cases(worker).filter(pk=case.pk).exists()


# --- lowering sensitivity: a supervisor's recorded decision ----------------------------------


def test_lowering_sensitivity_is_refused_to_those_who_do_not_answer_for_the_case(
    triaged, office_worker, operator, outsider, case_supervisor
):
    _report, case = triaged
    break_glass(actor=operator, case_id=case.pk, reason="เด็กโทรมาอีกครั้ง ต้องดูประวัติ")
    for user in (office_worker, operator):  # the assigned worker; a glass holder
        with pytest.raises(ValidationError) as refused:
            lower_sensitivity(actor=user, case_id=case.pk, reason=REASON, version=case.version)
        assert refused.value.code == "not_allowed"
    for user in (outsider, case_supervisor):  # out of area; another agency's supervisor
        with pytest.raises(NotInScopeError):
            lower_sensitivity(actor=user, case_id=case.pk, reason=REASON, version=case.version)
    case.refresh_from_db()
    assert case.sensitive


@pytest.mark.parametrize("reason", ["", "   ", "ไม่ลับ"])
def test_lowering_sensitivity_needs_a_reason(triaged, office_supervisor, reason):
    _report, case = triaged
    with pytest.raises(ValidationError) as refused:
        lower_sensitivity(
            actor=office_supervisor, case_id=case.pk, reason=reason, version=case.version
        )
    assert refused.value.code == "reason"
    case.refresh_from_db()
    assert case.sensitive


def test_lowering_sensitivity_refuses_a_stale_copy(triaged, office_supervisor):
    _report, case = triaged
    with pytest.raises(StaleVersionError):
        lower_sensitivity(
            actor=office_supervisor, case_id=case.pk, reason=REASON, version=case.version - 1
        )


def test_lowering_sensitivity_is_recorded_and_opens_the_case_and_its_reports(
    triaged, office_supervisor, provincial_head
):
    report, case = triaged
    assert not selectors.may_see_report(provincial_head, report.pk)
    lowered = lower_sensitivity(
        actor=office_supervisor, case_id=case.pk, reason=REASON, version=case.version
    )
    assert not lowered.sensitive and lowered.version == case.version + 1
    event = CaseEvent.objects.get(case=case, kind=EventKind.SENSITIVITY_LOWERED)
    assert event.actor == office_supervisor and event.text == REASON
    audit = AuditEvent.objects.get(
        object_type="cases.case", object_id=str(case.pk), action=AuditAction.UPDATE,
        purpose__startswith="lower sensitivity",
    )  # fmt: skip
    assert audit.before["sensitive"] is True and audit.after["sensitive"] is False
    assert REASON in audit.purpose
    assert selectors.may_see_report(provincial_head, report.pk)
    assert visible_cases(provincial_head).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError):  # nothing left to lower
        lower_sensitivity(
            actor=office_supervisor, case_id=case.pk, reason=REASON, version=lowered.version
        )


def test_the_case_page_offers_the_decision_to_the_supervisor_only(
    client, triaged, office_supervisor, office_worker
):
    _report, case = triaged
    url = reverse("cases:case", args=[case.pk])
    action = reverse("cases:case_lower_sensitivity", args=[case.pk])
    client.force_login(office_worker)
    assert action not in client.get(url).content.decode()
    refused = client.post(action, {"reason": REASON, "version": case.version})
    assert refused.status_code == 302
    case.refresh_from_db()
    assert case.sensitive
    client.force_login(office_supervisor)
    assert action in client.get(url).content.decode()
    client.post(action, {"reason": REASON, "version": case.version})
    case.refresh_from_db()
    assert not case.sensitive


def test_the_api_lowers_sensitivity_for_the_supervisor_and_hides_the_case_from_others(
    triaged, office_supervisor, provincial_head
):
    _report, case = triaged
    url = f"/api/cases/{case.pk}/lower-sensitivity/"
    body = {"reason": REASON, "version": case.version}
    head = api_for(provincial_head).post(url, body, format="json")
    assert head.status_code == 404  # cannot open the case: learns nothing
    short = api_for(office_supervisor).post(
        url, {"reason": "x", "version": case.version}, format="json"
    )
    assert short.status_code == 400
    done = api_for(office_supervisor).post(
        url, {"reason": REASON, "version": case.version}, format="json"
    )
    assert done.status_code == 200, done.content
    case.refresh_from_db()
    assert not case.sensitive


# --- generated: every role × every route that can show a report or a case --------------------

CASE_ROUTE = re.compile(r"^(cases/<int:pk>/|api/\^cases/\(\?P<pk>)")
REPORT_ROUTE = re.compile(r"^(cases/reports/<int:pk>/|api/\^reports/\(\?P<pk>)")
# The detail views that show the record itself (its parties, its timeline) when entitled.
SHOWS_RECORD = re.compile(
    r"^(cases/(reports/)?<int:pk>/|api/\^(cases|reports)/\(\?P<pk>[^)]*\)/\$)$"
)
# Lists that may show a report or a case: nothing of the record for who is not entitled.
LIST_ROUTES = ("/cases/", "/cases/dispatch/", "/api/cases/", "/cases/intake/earlier/")


def routes(kind: re.Pattern) -> list[str]:
    found = sorted({r for r, _p in app_routes() if kind.search(r) and "format" not in r})
    assert found, kind.pattern
    return found


def _glass(response) -> bool:
    """The answer is the glass: its form (page), or its own refusal of a missing reason."""
    names = [t.name for t in getattr(response, "templates", []) or []]
    if "cases/glass.html" in names:
        return True
    return response.status_code == 400 and "glass" in getattr(response, "request", {}).get(
        "PATH_INFO", ""
    )


def _send(user, route: str, pk: int):
    url = _fill(route, pk)
    if url.startswith("/api/"):
        api = api_for(user)
        response = api.get(url)
        if response.status_code == 405:
            response = api.post(url, {}, format="json")
    else:
        from django.test import Client

        client = Client()
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
    return url, response


def _secrets_absent(url: str, response, secrets: tuple[str, ...]) -> None:
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body, (url, secret)


def _role_user(make_user, org, role: Role):
    return make_user(role, organisation=org, level=ScopeLevel.PROVINCE, code="57")


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_on_every_route_of_a_triaged_sensitive_report_and_its_case(
    role, make_user, triaged, org_57
):
    """Entitled: who may read the case (a supervisor of the owning agency: the role table's
    `ANSWER_FOR_AGENCY_CASES`); everyone else in the agency and the area gets 404 or the
    glass, and nothing of the case, its report, its parties or its timeline."""
    report, case = triaged
    user = _role_user(make_user, org_57, role)
    entitled = role in ROLE_TABLE[Action.READ_CASES] & ROLE_TABLE[Action.ANSWER_FOR_AGENCY_CASES]
    assert {r for r in Role if r in ROLE_TABLE[Action.ANSWER_FOR_AGENCY_CASES]} == {Role.SUPERVISOR}
    secrets = (SUMMARY, REPORTER, PHONE, OFFENDER, case.number, report.reference)
    checked = 0
    for kind, pk in ((CASE_ROUTE, case.pk), (REPORT_ROUTE, report.pk)):
        for route in routes(kind):
            if entitled:
                if not SHOWS_RECORD.search(route):
                    continue  # writes: their own tests
                url, response = _send(user, route, pk)
                assert response.status_code == 200, (url, response.status_code)
                assert SUMMARY in response.content.decode(), url
            else:
                url, response = _send(user, route, pk)
                assert response.status_code == 404 or _glass(response), (
                    url,
                    response.status_code,
                )
                _secrets_absent(url, response, secrets)
            checked += 1
    for url in LIST_ROUTES:
        if entitled:
            continue
        response = _get_list(user, url)
        _secrets_absent(url, response, secrets)
    assert checked >= 4


def _get_list(user, url: str):
    if url.startswith("/api/"):
        return api_for(user).get(url)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(url, {"subdistrict": WIANG, "address": "99 หมู่ 9 บ้านลับ"})


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_on_every_route_of_a_waiting_sensitive_report(
    role, make_user, make_report, org_57
):
    """While it waits, a sensitive report is read by the roles that triage their own unit's
    reports (it was routed to theirs) and by who took it; everyone else gets 404."""
    report = make_report(**teen_pregnancy())
    assert report.status == ReportStatus.WAITING and report.routed_to == org_57
    user = _role_user(make_user, org_57, role)
    entitled = role in ROLE_TABLE[Action.READ_CASES] & ROLE_TABLE[Action.TRIAGE_OWN_UNIT_REPORTS]
    secrets = (SUMMARY, REPORTER, PHONE, OFFENDER, report.reference)
    for route in routes(REPORT_ROUTE):
        if entitled and not SHOWS_RECORD.search(route):
            continue
        url, response = _send(user, route, report.pk)
        if entitled:
            assert response.status_code == 200, (url, response.status_code)
            assert SUMMARY in response.content.decode(), url
        else:
            assert response.status_code == 404, (url, response.status_code)
            _secrets_absent(url, response, secrets)
    for url in LIST_ROUTES:
        response = _get_list(user, url)
        if entitled and url == "/cases/dispatch/":
            assert report.reference in response.content.decode()
        elif not entitled:
            _secrets_absent(url, response, secrets)


def test_the_generated_routes_cover_the_pages_and_the_api():
    case_routes, report_routes = routes(CASE_ROUTE), routes(REPORT_ROUTE)
    shown = [r for r in case_routes + report_routes if SHOWS_RECORD.search(r)]
    assert len(shown) == 4, shown  # the case page and API, the report page and API
    assert any("lower-sensitivity" in r for r in case_routes)
    assert any("sensitivity" in r and not r.startswith("api") for r in case_routes)
