"""The retention schedule (settings per record type): closed cases and reports past their
retention are anonymised by the background task or the command; counts stay the same."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from onehome.access.models import AuditEvent
from onehome.cases.deadlines.figures import deadlines_by_unit
from onehome.cases.intake import services as intake
from onehome.cases.models import Case, CaseStatus, Party, Referral, Report
from onehome.privacy.models import AnonymisedRecord
from onehome.privacy.retention.tasks import anonymise_expired
from onehome.privacy.tests.helpers import give_referral_consent

from .conftest import page_client

YEARS = dt.timedelta(days=366)


def figures(user) -> dict:
    """What the area reports count: cases and reports per area, issue, year and status,
    the people of reports by role and sex, referrals per organisation, the deadline board."""
    case_rows = (
        Case.objects.annotate(year=ExtractYear("opened_at"))
        .values("subdistrict", "village", "category", "subcategory", "year", "status", "urgency")
        .annotate(n=Count("pk"))
        .order_by("subdistrict", "category", "year", "status")
    )
    report_rows = (
        Report.objects.annotate(year=ExtractYear("received_at"))
        .values("subdistrict", "channel", "call_type", "category", "year", "status", "sensitive")
        .annotate(n=Count("pk"))
        .order_by("subdistrict", "channel", "year")
    )
    parties = Party.objects.values("role", "sex", "age").annotate(n=Count("pk")).order_by("role")
    referrals = Referral.objects.values("to_org", "status").annotate(n=Count("pk")).order_by()
    return {
        "cases": list(case_rows),
        "reports": list(report_rows),
        "parties": list(parties),
        "referrals": list(referrals),
        "board": [(u.unit_name, u.open, u.overdue, u.breached) for u in deadlines_by_unit(user)],
    }


@pytest.fixture
def history(social_worker, person, case_about, hospital, settings):
    """An old closed case (referred to a hospital), a recent closed one, an open one, an
    old prank call and a recent one."""
    settings.ONEHOME_RETENTION_YEARS_CASES = 10
    settings.ONEHOME_RETENTION_YEARS_REPORTS = 5
    now = timezone.now()
    old = case_about(person)
    give_referral_consent(old, by=social_worker)
    from onehome.cases.referrals import services as referrals  # why: the old case's referral

    referrals.send_referral(
        actor=social_worker, case_id=old.pk, to_org_id=hospital.pk,
        need="มาลี ทองดี ต้องการกายภาพ", due_at=now + dt.timedelta(days=3),
    )  # fmt: skip
    recent, still_open = case_about(person), case_about(person)
    Case.objects.filter(pk=old.pk).update(status=CaseStatus.CLOSED, closed_at=now - 11 * YEARS)
    Case.objects.filter(pk=recent.pk).update(status=CaseStatus.CLOSED, closed_at=now - 2 * YEARS)

    def prank(ago):
        report = intake.create_report(
            actor=social_worker, channel="hotline", call_type="prank", subdistrict="570101",
            reporter_name="เด็กแกล้งโทร", reporter_phone="0811111111",
        )  # fmt: skip
        Report.objects.filter(pk=report.pk).update(closed_at=now - ago)
        return report

    return {
        "old": old,
        "recent": recent,
        "open": still_open,
        "old_prank": prank(6 * YEARS),
        "new_prank": prank(dt.timedelta(days=30)),
    }


def test_old_closed_records_are_anonymised_and_the_figures_stay(history, social_worker, dpo):
    before = figures(social_worker)
    audit_rows = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("privacy_retention", "--now", "--no-progress", stdout=out)
    assert "anonymised 1 cases, 1 reports" in out.getvalue()
    assert figures(social_worker) == before

    old = Case.objects.get(pk=history["old"].pk)
    assert "ลบข้อมูล" in old.title and old.household_id is None
    report = Report.objects.get(case=old)
    assert (report.reporter_name, report.reporter_phone, report.address) == ("", "", "")
    assert report.summary.startswith("[")
    assert not Party.objects.filter(report=report, person__isnull=False).exists()
    assert not Party.objects.filter(report=report).exclude(name="").exists()
    assert "มาลี" not in Referral.objects.get(case=old).need
    prank = Report.objects.get(pk=history["old_prank"].pk)
    assert prank.reporter_name == "" and prank.reporter_phone == ""
    # The recent and the open ones are untouched.
    for key in ("recent", "open"):
        kept = Report.objects.get(case_id=history[key].pk)
        assert kept.reporter_name == "นายผู้แจ้ง ลับมาก"
    assert Report.objects.get(pk=history["new_prank"].pk).reporter_name == "เด็กแกล้งโทร"
    # One summary row in the audit log.
    new_rows = AuditEvent.objects.order_by("pk")[audit_rows:]
    assert [(e.object_type, e.after["cases"], e.after["reports"]) for e in new_rows] == [
        ("privacy.retention", 1, 1)
    ]
    # The DPO sees the schedule and what was done.
    page = page_client(dpo).get("/privacy/").content.decode()
    assert "ONEHOME_RETENTION_YEARS_CASES" in page


def test_a_second_run_does_nothing_and_writes_no_audit_row(history):
    assert anonymise_expired.call() == {"cases": 1, "reports": 1}
    rows = AuditEvent.objects.count()
    assert anonymise_expired.call() == {"cases": 0, "reports": 0}
    assert AuditEvent.objects.count() == rows
    assert AnonymisedRecord.objects.count() == 3  # the case, its report, the prank


def test_the_retention_years_are_settings(history, settings):
    settings.ONEHOME_RETENTION_YEARS_CASES = 1
    settings.ONEHOME_RETENTION_YEARS_REPORTS = 10
    assert anonymise_expired.call() == {"cases": 2, "reports": 0}


def test_the_audit_log_shows_anonymised_records_under_pseudonyms(history, make_user):
    """The audit rows stay as written (append-only); the auditor's API shows those about an
    anonymised case without their snapshots, under a pseudonym that is stable per record."""
    from rest_framework.test import APIClient  # why: this test alone reads the API

    from onehome.access.models import Role  # why: as above

    old = history["old"]
    written = AuditEvent.objects.filter(object_type="cases.case", object_id=str(old.pk)).count()
    assert written
    anonymise_expired.call()
    assert (
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(old.pk)).count()
        == written
    )
    api = APIClient()
    api.force_authenticate(make_user(Role.AUDITOR))
    rows = api.get("/api/audit-events/", {"page_size": 500}).json()["results"]
    about_old = [r for r in rows if r.get("anonymised")]
    assert about_old, "rows about the anonymised case are marked"
    assert all(r["before"] is None and r["after"] is None for r in about_old)
    assert all(str(r["object_id"]).startswith("anon-") for r in about_old)
    case_rows = {r["object_id"] for r in about_old if r["object_type"] == "cases.case"}
    assert len(case_rows) == 1  # one pseudonym for the one case
    assert "มาลี ทองดี ต้องการ" not in str(rows)  # the referral's need, in its snapshot
    recent = [r for r in rows if r["object_type"] == "cases.case"]
    assert any(r["object_id"] == str(history["recent"].pk) for r in recent)
