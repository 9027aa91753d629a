"""Consent records and the referral check (issue 14, point 12): a referral to an
organisation outside the ministry needs a given, unwithdrawn consent of the people the case
is about, or an emergency override under vital interest, recorded; otherwise nothing is
sent. From the outside: the case page's form, the API, the privacy page."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from onehome.access.models import AuditEvent
from onehome.cases.models import Referral
from onehome.privacy.models import ConsentRecord, EmergencyOverride

from .conftest import page_client


def refer(client, case, org, **extra):
    body = {
        "to_org": org.pk,
        "need": "ตรวจสุขภาพที่บ้าน",
        "due_at": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "version": case.version,
        **extra,
    }
    return client.post(f"/cases/{case.pk}/refer/", body, follow=True)


def give(client, person, **extra):
    body = {"purpose": "referral_partner", "lawful_basis": "consent", "given_by": "self", **extra}
    return client.post(f"/privacy/people/{person.pk}/consents/", body, follow=True)


def test_a_hospital_gets_no_referral_until_the_person_consents(
    social_worker, person, case_about, hospital
):
    case = case_about(person)
    client = page_client(social_worker)

    refused = refer(client, case, hospital)
    assert "is outside the ministry: sharing" in refused.content.decode()
    assert "มาลี ทองดี" in refused.content.decode()  # whose consent is missing
    assert not Referral.objects.filter(case=case).exists()

    given = give(client, person)
    assert "Consent recorded." in given.content.decode()
    record = ConsentRecord.objects.get(person=person)
    assert (record.purpose, record.lawful_basis, record.recorded_by) == (
        "referral_partner",
        "consent",
        social_worker,
    )
    assert AuditEvent.objects.filter(
        object_type="privacy.consentrecord", person_id=person.pk, action="create"
    ).exists()

    sent = refer(client, case, hospital)
    assert "Referral sent" in sent.content.decode()
    assert Referral.objects.filter(case=case, to_org=hospital).count() == 1
    assert not EmergencyOverride.objects.exists()


def test_a_withdrawn_consent_no_longer_counts(social_worker, person, case_about, hospital, office):
    case = case_about(person)
    client = page_client(social_worker)
    give(client, person)
    record = ConsentRecord.objects.get(person=person)
    page = client.get(f"/privacy/people/{person.pk}/").content.decode()
    assert "Record withdrawal" in page

    client.post(
        f"/privacy/people/{person.pk}/consents/{record.pk}/withdraw/",
        {"version": record.version, "note": "ไม่ประสงค์ให้ส่งต่อ"},
    )
    record.refresh_from_db()
    assert record.withdrawn_at and record.withdrawn_by == social_worker
    # Withdrawn twice: refused, nothing changes.
    again = client.post(
        f"/privacy/people/{person.pk}/consents/{record.pk}/withdraw/",
        {"version": record.version},
        follow=True,
    )
    assert "already withdrawn" in again.content.decode()

    refused = refer(client, case, hospital)
    assert "is outside the ministry: sharing" in refused.content.decode()
    assert not Referral.objects.filter(case=case).exists()


def test_an_emergency_override_sends_it_and_is_recorded_for_the_dpo(
    social_worker, dpo, person, case_about, hospital
):
    case = case_about(person)
    client = page_client(social_worker)
    sent = refer(client, case, hospital, emergency_reason="ผู้สูงอายุหมดสติ ต้องส่งโรงพยาบาลทันที")
    assert "Referral sent" in sent.content.decode()
    referral = Referral.objects.get(case=case)
    override = EmergencyOverride.objects.get(referral=referral)
    assert (override.actor, override.case) == (social_worker, case)
    assert AuditEvent.objects.filter(
        object_type="privacy.emergencyoverride", object_id=str(override.pk)
    ).exists()
    # The DPO's home lists it.
    home = page_client(dpo).get("/privacy/").content.decode()
    assert case.number in home and "ผู้สูงอายุหมดสติ" in home


def test_an_agency_inside_the_ministry_needs_no_consent(social_worker, person, case_about, centre):
    case = case_about(person)
    sent = refer(page_client(social_worker), case, centre)
    assert Referral.objects.filter(case=case, to_org=centre).exists(), sent.content.decode()[:300]


def test_a_case_about_no_registered_person_needs_the_override(
    social_worker, case_about, hospital, make_person
):
    from onehome.cases.intake import services as intake  # why: this test's own report
    from onehome.cases.intake import triage

    report = intake.create_report(
        actor=social_worker, channel="hotline", call_type="new", subdistrict="570101",
        category="elderly", subcategory="elderly_bedridden",
        parties=[{"role": "victim", "name": "ยายไม่ทราบชื่อ"}],
    )  # fmt: skip
    case = triage.accept_report(actor=social_worker, report_id=report.pk, version=report.version)
    refused = refer(page_client(social_worker), case, hospital)
    assert "no registered person is linked" in refused.content.decode()
    assert not Referral.objects.filter(case=case).exists()


def test_the_api_refuses_in_english_and_takes_the_emergency_reason(
    social_worker, person, case_about, hospital
):
    case = case_about(person)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(social_worker)
    body = {
        "case": case.pk,
        "to_org": hospital.pk,
        "need": "ตรวจ",
        "due_at": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    }
    refused = api.post("/api/referrals/", body, format="json")
    assert refused.status_code == 400 and "outside the ministry" in refused.json()["detail"]
    assert not Referral.objects.exists()
    sent = api.post("/api/referrals/", {**body, "emergency_reason": "เสี่ยงต่อชีวิต"}, format="json")
    assert sent.status_code == 201, sent.content
    assert EmergencyOverride.objects.filter(referral_id=sent.json()["id"]).exists()


def test_a_guardian_must_be_named_and_a_mistake_changes_nothing(social_worker, person):
    client = page_client(social_worker)
    refused = give(client, person, given_by="guardian")
    assert "name of the guardian" in refused.content.decode()
    refused = give(client, person, purpose="fly")
    assert "every choice is required" in refused.content.decode()
    assert not ConsentRecord.objects.exists()
    given = give(client, person, given_by="guardian", given_by_name="นางแม่ ทองดี")
    assert "Consent recorded." in given.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_out_of_area_people_answer_404(outsider, bangkok_dpo, person, method):
    for user in (outsider, bangkok_dpo):
        client = page_client(user)
        url = (
            f"/privacy/people/{person.pk}/"
            if method == "get"
            else (f"/privacy/people/{person.pk}/consents/")
        )
        body = {"purpose": "referral_partner", "lawful_basis": "consent", "given_by": "self"}
        response = getattr(client, method)(url, body if method == "post" else None)
        assert response.status_code == 404
    assert not ConsentRecord.objects.exists()


def test_someone_without_the_role_sees_no_privacy_page(make_user, person):
    from onehome.access.models import Role  # why: only this test names a role

    analyst = make_user(Role.ANALYST)
    assert page_client(analyst).get(f"/privacy/people/{person.pk}/").status_code == 404
    assert page_client(analyst).get("/privacy/").status_code == 404


def test_a_consent_out_of_area_cannot_be_withdrawn(social_worker, outsider, person):
    give(page_client(social_worker), person)
    record = ConsentRecord.objects.get()
    response = page_client(outsider).post(
        f"/privacy/people/{person.pk}/consents/{record.pk}/withdraw/", {"version": 1}
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.withdrawn_at is None
