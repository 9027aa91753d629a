"""The register of data-subject requests (PDPA s.30-36): the 30-day deadline on the
working calendar, the steps on the state machine, overdue requests on the DPO's pages, and
the Thai export of what is held about a person without third parties."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.privacy.models import DataRequest
from onehome.privacy.requests.deadline import answer_due
from onehome.registry import services as registry

from .conftest import page_client


def ask(client, person, **extra):
    body = {"kind": "access", "received_on": timezone.localdate().isoformat(), **extra}
    return client.post(f"/privacy/people/{person.pk}/requests/", body, follow=True)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-05", "2026-02-04"),  # the 30th day is a working day: itself
        ("2025-12-01", "2025-12-30"),  # the 30th is New Year's Eve: the day before
        ("2026-03-14", "2026-04-10"),  # the 30th is Songkran: the Friday before it
        ("2026-01-03", "2026-02-02"),  # a Saturday's request: 30 days still
    ],
)
def test_the_answer_is_due_30_days_on_and_never_later(received, due):
    assert answer_due(dt.date.fromisoformat(received)) == dt.date.fromisoformat(due)


def test_the_dpo_records_a_request_with_its_deadline_and_moves_it(dpo, person):
    client = page_client(dpo)
    found = client.get("/privacy/", {"q": "มาลี"}).content.decode()
    assert f"/privacy/people/{person.pk}/" in found
    page = ask(client, person, received_on="2025-12-01", details="ขอสำเนาข้อมูล")
    assert "Request recorded" in page.content.decode()
    request = DataRequest.objects.get(person=person)
    assert request.due_on == dt.date(2025, 12, 30) and request.status == "received"
    assert AuditEvent.objects.filter(
        object_type="privacy.datarequest", person_id=person.pk, action="create"
    ).exists()

    # Long past its deadline and open: overdue on the list and the home page.
    listing = client.get("/privacy/requests/").content.decode()
    assert "Overdue" in listing and "มาลี ทองดี" in listing
    home = client.get("/privacy/").content.decode()
    assert 'id="count-overdue">1<' in home

    client.post(f"/privacy/requests/{request.pk}/in_progress/", {"version": 1})
    request.refresh_from_db()
    assert request.status == "in_progress"

    # Refusing needs a reason: without one, nothing changes.
    refused = client.post(
        f"/privacy/requests/{request.pk}/refused/", {"version": 2, "text": ""}, follow=True
    )
    assert "Give the reason for refusing" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == "in_progress"

    client.post(
        f"/privacy/requests/{request.pk}/answered/",
        {"version": 2, "text": "ส่งสำเนาให้ทางไปรษณีย์แล้ว"},
    )
    request.refresh_from_db()
    assert (request.status, request.answer) == ("answered", "ส่งสำเนาให้ทางไปรษณีย์แล้ว")
    assert request.answered_at is not None
    # Answered: no longer overdue, no more steps.
    assert 'id="count-overdue">0<' in client.get("/privacy/").content.decode()
    again = client.post(
        f"/privacy/requests/{request.pk}/refused/", {"version": 3, "text": "x"}, follow=True
    )
    assert "cannot be changed" in again.content.decode()


def test_a_request_received_in_the_future_is_refused(dpo, person):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = ask(page_client(dpo), person, received_on=tomorrow)
    assert "cannot be in the future" in page.content.decode()
    assert not DataRequest.objects.exists()


def test_the_export_shows_what_is_held_in_thai_without_third_parties(
    dpo, social_worker, person, case_about, make_person, make_household, hospital
):
    household = make_household(house_no="12/3")
    registry.add_member(
        actor=social_worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    brother = make_person("สมศักดิ์", "ทองดี", phone="0812345678")
    registry.add_member(
        actor=social_worker, household_id=household.pk, person_id=brother.pk,
        relationship="sibling",
    )  # fmt: skip
    case = case_about(person)
    # A case where she is only the alleged offender is withheld from the export.
    from onehome.cases.intake import services as intake  # why: this test's own report
    from onehome.cases.intake import triage

    other = intake.create_report(
        actor=social_worker, channel="hotline", call_type="new", subdistrict="570101",
        category="elderly", subcategory="elderly_bedridden", reporter_name="นางพยาน ลับ",
        parties=[{"role": "alleged_offender", "person_id": person.pk},
                 {"role": "victim", "name": "นายเหยื่อ ไม่ระบุ"}],
    )  # fmt: skip
    hidden = triage.accept_report(actor=social_worker, report_id=other.pk, version=other.version)
    page_client(social_worker).get(f"/people/{person.pk}/")  # a read, audited
    client = page_client(dpo)  # an English-speaking DPO: the export is Thai all the same
    client.post(
        f"/privacy/people/{person.pk}/consents/",
        {"purpose": "contact", "lawful_basis": "consent", "given_by": "self"},
    )

    response = client.get(f"/privacy/people/{person.pk}/export/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="th"' in body and "ข้อมูลส่วนบุคคลที่กระทรวง" in body
    assert "มาลี ทองดี" in body and case.number in body and "12/3" in body
    assert "พมจ.เชียงราย" in body  # who read her record: the organisation, not the name
    assert social_worker.username not in body
    # Third parties are left out: the reporter, the alleged offender, her brother.
    for third in ("นายผู้แจ้ง", "0899999999", "นายโหด", "สมศักดิ์", "0812345678", "นางพยาน"):
        assert third not in body, third
    assert hidden.number not in body
    assert AuditEvent.objects.filter(
        action="export", object_type="registry.person", object_id=str(person.pk)
    ).exists()


def test_out_of_area_requests_and_exports_answer_404(bangkok_dpo, dpo, person):
    ask(page_client(dpo), person)
    request = DataRequest.objects.get()
    client = page_client(bangkok_dpo)
    assert client.get(f"/privacy/people/{person.pk}/export/").status_code == 404
    assert ask(client, person).status_code == 404
    moved = client.post(f"/privacy/requests/{request.pk}/answered/", {"version": 1, "text": "x"})
    assert moved.status_code == 404
    assert "มาลี" not in client.get("/privacy/requests/?status=all").content.decode()
    assert "ทองดี" not in client.get("/privacy/?q=มาลี").content.decode()
    request.refresh_from_db()
    assert request.status == "received" and DataRequest.objects.count() == 1


def test_only_the_dpo_keeps_the_register(social_worker, person):
    client = page_client(social_worker)
    assert client.get("/privacy/requests/").status_code == 404
    assert client.get(f"/privacy/people/{person.pk}/export/").status_code == 404
    assert ask(client, person).status_code == 404
    assert not DataRequest.objects.exists()


def test_an_erasure_request_anonymises_the_person_once_their_cases_are_closed(
    dpo, social_worker, person, case_about, make_user
):
    from rest_framework.test import APIClient  # why: this test alone reads the API

    from onehome.access.models import Role  # why: as above
    from onehome.cases.models import Case, Report  # why: as above
    from onehome.registry.models import Person  # why: as above

    case = case_about(person)
    page_client(social_worker).get(f"/people/{person.pk}/")  # a read of her, audited
    client = page_client(dpo)
    ask(client, person, kind="erasure")
    request = DataRequest.objects.get()
    url = f"/privacy/requests/{request.pk}/erase/"

    refused = client.post(url, {"version": 1, "text": "ลบข้อมูลแล้ว"}, follow=True)
    assert "still open" in refused.content.decode()
    person.refresh_from_db()
    assert person.first_name_th == "มาลี" and person.id_number
    request.refresh_from_db()
    assert request.status == "received"

    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    done = client.post(url, {"version": 1, "text": "ลบข้อมูลแล้ว แจ้งผู้ขอทางโทรศัพท์"}, follow=True)
    assert "anonymised and the request answered" in done.content.decode()
    erased = Person.objects.get(pk=person.pk)
    assert (erased.first_name_th, erased.last_name_th, erased.id_number, erased.phone) == (
        "ผู้ขอลบข้อมูล",
        "",
        None,
        "",
    )
    assert erased.birth_date == dt.date(1970, 1, 1) and erased.birth_date_approximate
    # No search key keeps her name (folded or romanised) either.
    assert person.first_fold and person.first_rom
    assert (erased.first_fold, erased.last_fold, erased.first_rom, erased.last_rom) == ("",) * 4
    assert Report.objects.get(case=case).reporter_name == ""
    request.refresh_from_db()
    assert request.status == "answered"
    # The audit rows about her stay; the auditor's API shows them under a pseudonym.
    api = APIClient()
    api.force_authenticate(make_user(Role.AUDITOR))
    rows = api.get("/api/audit-events/", {"page_size": 500}).json()["results"]
    assert not [r for r in rows if r["person_id"] == person.pk]
    assert [r for r in rows if str(r["person_id"]).startswith("anon-")]
    assert "ทองดี" not in str(rows)
    assert AuditEvent.objects.filter(person_id=person.pk).exists()


def test_only_an_erasure_request_erases(dpo, person):
    client = page_client(dpo)
    ask(client, person, kind="access")
    request = DataRequest.objects.get()
    page = client.post(
        f"/privacy/requests/{request.pk}/erase/", {"version": 1, "text": "x"}, follow=True
    )
    assert "Only an erasure request" in page.content.decode()
    person.refresh_from_db()
    assert person.first_name_th == "มาลี"
