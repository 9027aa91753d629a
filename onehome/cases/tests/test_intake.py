"""Intake from every channel (issue 4, acceptance 1): validation before any write, routing
by place and issue, risk-raised urgency, close-at-once call types, the public web form,
idempotent retries, and the warning about earlier reports."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from onehome.access.models import AuditAction, AuditEvent, Role
from onehome.cases.deadlines import sla
from onehome.cases.intake import catalogue, selectors, triage
from onehome.cases.intake import services as intake
from onehome.cases.models import (
    CallType,
    Channel,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    Risk,
    Urgency,
)
from onehome.conftest import BANGKOK_SUB, WIANG
from onehome.errors import NotInScopeError, ValidationError
from onehome.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.usefixtures("english")
OTHER_SUB = "570102"  # another sub-district of เมืองเชียงราย, served by no centre here


def test_catalogue_has_the_ten_hotline_issues_with_labels_in_the_active_language():
    assert len(catalogue.issues()) == 10
    assert catalogue.label("elderly", "elderly_bedridden") == (
        "Older people: Bedridden older person"
    )
    assert catalogue.is_sensitive("violence", "violence_child")
    assert catalogue.is_sensitive("trafficking")
    assert not catalogue.is_sensitive("elderly", "elderly_alone")
    assert not catalogue.is_sensitive("no_such_issue")


def test_a_hotline_report_is_routed_to_the_centre_serving_the_place(make_report, centre):
    report = make_report()
    assert re.fullmatch(r"R[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", report.reference)
    assert report.routed_to == centre
    assert report.status == ReportStatus.WAITING
    assert report.due_at == sla.first_contact_due(Urgency.NORMAL, report.received_at)
    audit = AuditEvent.objects.get(object_type="cases.report", object_id=str(report.pk))
    assert audit.action == AuditAction.CREATE and audit.subdistrict_code == WIANG


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"category": "violence", "subcategory": "violence_child"}, "sensitive issue"),
        ({"urgency": Urgency.CRITICAL}, "critical"),
        ({"risks": [Risk.SUICIDE]}, "critical by its risks"),
        ({"subdistrict": OTHER_SUB}, "no centre serves the place"),
    ],
)
def test_the_provincial_office_takes_sensitive_critical_and_unserved_reports(
    overrides, why, make_report, org_57
):
    assert make_report(**overrides).routed_to == org_57, why


def test_the_assistance_centre_is_preferred_to_the_family_centre(make_report, make_user, centre):
    family = Organisation.objects.create(
        code="a-family-570101", kind=OrgKind.FAMILY_CENTRE, name_th="ศพค.เวียง", province_id="57"
    )
    family.serves.add(WIANG, OTHER_SUB)
    make_user(Role.CENTRE_STAFF, organisation=family)
    assert make_report().routed_to == centre
    assert make_report(subdistrict=OTHER_SUB).routed_to == family


def test_a_centre_nobody_works_in_does_not_get_reports(make_report, make_user, org_57):
    """A report routed to a unit without active staff would be on no one's dispatch board."""
    family = Organisation.objects.create(
        code="a-family-empty", kind=OrgKind.FAMILY_CENTRE, name_th="ศพค.ว่าง", province_id="57"
    )
    family.serves.add(OTHER_SUB)
    left = make_user(Role.CENTRE_STAFF, organisation=family, is_active=False)
    assert left.organisation == family
    assert make_report(subdistrict=OTHER_SUB).routed_to == org_57


@pytest.mark.parametrize(
    ("chosen", "risks", "expected"),
    [
        (Urgency.NORMAL, [], Urgency.NORMAL),
        (Urgency.NORMAL, [Risk.DRUGS, Risk.MENTAL_HEALTH], Urgency.NORMAL),
        (Urgency.NORMAL, [Risk.VIOLENCE], Urgency.URGENT),
        (Urgency.NORMAL, [Risk.CHILD_ALONE], Urgency.URGENT),
        (Urgency.NORMAL, [Risk.VIOLENCE, Risk.WEAPON], Urgency.CRITICAL),
        (Urgency.URGENT, [Risk.SUICIDE], Urgency.CRITICAL),
        (Urgency.CRITICAL, [], Urgency.CRITICAL),  # risks raise, never lower
    ],
)
def test_risks_raise_the_urgency(chosen, risks, expected, make_report):
    assert intake.urgency_with_risks(chosen, risks) == expected
    assert make_report(urgency=chosen, risks=risks).urgency == expected


@pytest.mark.parametrize("call_type", [CallType.WRONG_NUMBER, CallType.PRANK, CallType.FEEDBACK])
def test_calls_that_need_no_case_close_at_once_and_are_kept(call_type, make_report):
    report = make_report(call_type=call_type, category="", subcategory="")
    assert report.status == ReportStatus.CLOSED
    assert report.closed_reason and report.closed_at is not None
    assert report.due_at is None
    assert Report.objects.filter(call_type=call_type).count() == 1


def test_an_enquiry_answered_on_the_call_may_close_at_once(make_report):
    answered = make_report(
        call_type=CallType.ENQUIRY, category="", subcategory="", close_enquiry=True
    )
    assert answered.status == ReportStatus.CLOSED
    open_enquiry = make_report(call_type=CallType.ENQUIRY, category="", subcategory="")
    assert open_enquiry.status == ReportStatus.WAITING
    with pytest.raises(ValidationError, match="Only an enquiry"):
        make_report(close_enquiry=True)


def test_people_are_recorded_with_their_roles_apart(make_report, make_person):
    victim = make_person("มาลี", "ดีใจ")
    report = make_report(
        category="violence",
        subcategory="violence_women",
        parties=[
            {"role": PartyRole.VICTIM, "person_id": victim.pk},
            {"role": PartyRole.ALLEGED_OFFENDER, "name": "สามี", "sex": "male", "age": 45},
            {"role": PartyRole.WITNESS, "description": "เพื่อนบ้านฝั่งตรงข้าม"},
        ],
    )
    parties = {p.role: p for p in report.parties.all()}
    assert parties[PartyRole.VICTIM].person == victim
    assert (parties[PartyRole.ALLEGED_OFFENDER].name, parties[PartyRole.ALLEGED_OFFENDER].age) == (
        "สามี",
        45,
    )


def _bangkok_person(make_person, outsider):
    return make_person("สมศรี", "กรุงเทพ", subdistrict=BANGKOK_SUB, actor=outsider)


BAD_INPUT = [
    ({"subdistrict": "999999"}, "Unknown sub-district"),
    ({"village": "57010101", "subdistrict": OTHER_SUB}, "is not in sub-district"),
    ({"village": "57019999"}, "is not in sub-district"),
    ({"category": "weather", "subcategory": ""}, "Unknown issue"),
    ({"category": "elderly", "subcategory": "violence_child"}, "is not a sub-problem"),
    ({"category": ""}, "Choose the issue"),
    ({"risks": ["ghosts"]}, "Unknown risk"),
    ({"urgency": "soon"}, "Unknown urgency"),
    ({"channel": "pigeon"}, "Unknown channel"),
    ({"call_type": "chat"}, "Unknown call type"),
    ({"parties": [{"role": "bystander", "name": "x"}]}, "Unknown role"),
    ({"parties": [{"role": "victim"}]}, "needs a registry record"),
    ({"parties": [{"role": "victim", "name": "x", "age": 300}]}, "Age must be"),
    ({"parties": [{"role": "victim", "name": "x", "phone": "1"}]}, "Unknown fields"),
    ({"parties": [{"role": "victim", "person_id": 987654}]}, "No person 987654"),
    ({"occurred_at": timezone.now() + dt.timedelta(hours=2)}, "in the future"),
    # Found by the API contract test: answered back as 0497-09-21T03:54:05+06:42:04.
    ({"occurred_at": dt.datetime(497, 9, 20, 21, 12, tzinfo=dt.UTC)}, "more than 100 years"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_is_refused_clearly_and_nothing_is_written(overrides, message, make_report):
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        make_report(**overrides)
    assert not Report.objects.exists()
    assert not Party.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_a_person_outside_the_actors_area_is_refused_like_a_missing_one(
    make_report, make_person, outsider, case_worker
):
    far = _bangkok_person(make_person, outsider)
    with pytest.raises(ValidationError, match=f"No person {far.pk} in the registry of your area"):
        make_report(actor=case_worker, parties=[{"role": "victim", "person_id": far.pk}])
    assert not Report.objects.exists()


def test_a_report_outside_the_actors_area_or_roles_is_refused(make_report, case_worker, make_user):
    with pytest.raises(NotInScopeError):
        make_report(actor=case_worker, subdistrict=BANGKOK_SUB)
    with pytest.raises(NotInScopeError):
        make_report(actor=make_user(Role.ANALYST))
    assert not Report.objects.exists()


def test_a_volunteer_files_a_report_from_a_visit(make_report, make_user):
    volunteer = make_user(Role.VOLUNTEER, level="subdistrict", code=WIANG)
    report = make_report(actor=volunteer, channel=Channel.VOLUNTEER)
    assert report.created_by == volunteer


def test_the_public_web_form_reports_without_signing_in_and_is_audited(make_report):
    report = make_report(
        actor=None,
        channel=Channel.WEB,
        reporter_name="ผู้แจ้ง",
        parties=[{"role": "victim", "name": "เด็กชายเอ", "age": 7}],
    )
    assert report.created_by is None and report.routed_to is not None
    audit = AuditEvent.objects.get(object_type="cases.report", object_id=str(report.pk))
    assert audit.actor_id is None and audit.purpose == "web self-report"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channel": Channel.HOTLINE}, "Only the web form"),
        ({"call_type": CallType.PRANK, "category": ""}, "Choose what your report is about"),
        ({"parties": [{"role": "victim", "person_id": 1}]}, "cannot link registry records"),
    ],
)
def test_the_web_form_cannot_do_what_staff_do(overrides, message, make_report):
    with pytest.raises(ValidationError, match=message):
        make_report(**{"actor": None, "channel": Channel.WEB, **overrides})
    assert not Report.objects.exists()


def test_an_anonymous_reporter_leaves_no_name_or_phone(make_report):
    report = make_report(reporter_anonymous=True, reporter_name="x", reporter_phone="081")
    assert (report.reporter_name, report.reporter_phone) == ("", "")


def test_a_retry_with_the_same_key_returns_the_first_report(make_report):
    first = make_report(idempotency_key="key-1")
    again = make_report(idempotency_key="key-1")
    assert again.pk == first.pk and again.reference == first.reference
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="cases.report").count() == 1


def test_a_key_used_by_someone_else_is_refused(make_report, make_user):
    make_report(idempotency_key="key-2")
    other = make_user(Role.HOTLINE_OPERATOR, level="nation", code="")
    with pytest.raises(ValidationError, match="already used"):
        make_report(actor=other, idempotency_key="key-2")


def test_earlier_reports_about_the_same_people_or_address_are_found(
    make_report, make_person, operator, case_worker, outsider
):
    person = make_person()
    about_person = make_report(parties=[{"role": "victim", "person_id": person.pk}])
    at_address = make_report(address="12 หมู่ 1 ถนนพหลโยธิน")
    make_report(address="99 ซอยอื่น")
    found = selectors.earlier_reports(
        operator, person_ids=[person.pk], subdistrict=WIANG, address="12  หมู่ 1 ถนนพหลโยธิน"
    )
    assert set(found) == {about_person, at_address}
    assert selectors.earlier_reports(outsider, person_ids=[person.pk]) == []
    assert selectors.earlier_reports(operator) == []
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_id=operator.pk).exists()
    # The warning shows the case a report became.
    case = triage.accept_report(
        actor=case_worker, report_id=about_person.pk, version=about_person.version
    )
    [earlier] = selectors.earlier_reports(case_worker, person_ids=[person.pk])
    assert earlier.case == case


def test_earlier_sensitive_reports_are_only_shown_to_their_unit(
    make_report, make_person, case_worker, office_worker
):
    person = make_person()
    make_report(
        category="violence",
        subcategory="violence_child",
        parties=[{"role": "victim", "person_id": person.pk}],
    )
    assert selectors.earlier_reports(case_worker, person_ids=[person.pk]) == []
    assert len(selectors.earlier_reports(office_worker, person_ids=[person.pk])) == 1


def test_the_tracking_code_shows_the_reporter_where_the_report_stands_and_nothing_else(
    make_report, case_worker
):
    report = make_report(
        actor=None,
        channel=Channel.WEB,
        parties=[{"role": PartyRole.ALLEGED_OFFENDER, "name": "นายเอ"}],
    )
    shown = selectors.report_status_for_reporter(report.reference.lower())
    assert shown["status"] == "Waiting for triage" and shown["case_status"] == ""
    assert "นายเอ" not in str(shown)
    triage.accept_report(actor=case_worker, report_id=report.pk, version=report.version)
    assert selectors.report_status_for_reporter(report.reference)["case_status"] == "Assessing"
    assert selectors.report_status_for_reporter("RAAAAAAAA") is None
