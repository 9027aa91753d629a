"""The demo's reports and cases: every issue, every step of the lifecycle, referrals in
every state, real deadlines in the past, and a second load that adds nothing."""

import io
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from django.test import override_settings
from django.utils import timezone

from onehome.access.models import AuditEvent, User
from onehome.cases.deadlines import sla
from onehome.cases.intake import catalogue
from onehome.cases.models import (
    Case,
    CaseStatus,
    CaseWorker,
    Payment,
    Referral,
    ReferralStatus,
    Report,
    ReportStatus,
    Service,
    ServiceKind,
    ServiceStatus,
)
from onehome.cases.visibility.selectors import cases_needing_glass, visible_cases
from onehome.demo import survey
from onehome.demo import volunteers as demo_volunteers
from onehome.demo.build import build_demo
from onehome.geo.models import Province
from onehome.geo.services import load_geography

CHIANG_RAI = "57"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def _build(**kw):
    return build_demo(households=200, progress=False, stdout=io.StringIO(), **kw)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One load for the module (it takes a while), rolled back at the end."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        # The survey phase has its own tests; it writes files and runs the targeting engine.
        mp.setattr(survey, "build_survey", lambda **kw: None)
        # The volunteers' help requests add reports of their own (test_demo_volunteers.py).
        mp.setattr(demo_volunteers, "province_has_volunteers", lambda province: True)
        with override_settings(PASSWORD_HASHERS=[MD5]), transaction.atomic():
            if not Province.objects.filter(code=CHIANG_RAI).exists():
                load_geography()
            yield _build()
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db, monkeypatch):
    monkeypatch.setattr(survey, "build_survey", lambda **kw: None)
    monkeypatch.setattr(demo_volunteers, "province_has_volunteers", lambda province: True)
    with override_settings(PASSWORD_HASHERS=[MD5]):
        yield built


def _cases():
    return Case.objects.filter(subdistrict__province_id=CHIANG_RAI)


def test_every_issue_has_open_and_closed_cases(demo):
    assert demo.cases is not None and demo.cases.cases == _cases().count() >= 140
    rows = Counter(_cases().values_list("category", "status"))
    for issue in catalogue.issues():
        statuses = {status for (category, status) in rows if category == issue.code}
        assert CaseStatus.CLOSED in statuses, issue.code
        assert statuses - {CaseStatus.CLOSED}, issue.code


def test_cases_stand_at_every_step_and_one_was_reopened(demo):
    by_status = Counter(_cases().values_list("status", flat=True))
    assert set(by_status) == set(CaseStatus.values)
    reopened = _cases().filter(events__from_status=CaseStatus.CLOSED).distinct()
    assert reopened.exists()
    assert not reopened.filter(status=CaseStatus.CLOSED).exists()


def test_reports_come_from_every_channel_and_call_type(demo):
    reports = Report.objects.filter(subdistrict__province_id=CHIANG_RAI)
    assert 150 <= reports.count() <= 250
    assert {r for r in reports.values_list("channel", flat=True)} >= {
        "hotline", "line", "web", "walk_in", "volunteer", "partner"
    }  # fmt: skip
    assert set(reports.values_list("call_type", flat=True)) >= {
        "new", "follow_up", "enquiry", "feedback", "wrong_number", "prank"
    }  # fmt: skip
    for call_type in ("prank", "wrong_number"):
        assert set(reports.filter(call_type=call_type).values_list("status", flat=True)) == {
            ReportStatus.CLOSED
        }
    statuses = Counter(reports.values_list("status", flat=True))
    assert statuses[ReportStatus.MERGED] >= 5 and statuses[ReportStatus.WAITING] >= 5
    closed_by_triage = reports.filter(status=ReportStatus.CLOSED, call_type="new")
    assert closed_by_triage.exists() and all(r.closed_reason for r in closed_by_triage)
    # Victims come from the registry.
    assert reports.filter(parties__role="victim", parties__person__isnull=False).count() > 100


def test_referrals_in_every_state_with_past_turnaround(demo):
    referrals = Referral.objects.filter(case__subdistrict__province_id=CHIANG_RAI)
    assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert all(r.response_reason for r in referrals.filter(status=ReferralStatus.DECLINED))
    now = timezone.now()
    for r in referrals.filter(status=ReferralStatus.OUTCOME_REPORTED):
        assert r.sent_at < r.responded_at < r.outcome_at < now
        assert r.outcome
    assert referrals.filter(sent_at__lt=now - timezone.timedelta(days=7)).exists()
    assert len(set(referrals.values_list("to_org_id", flat=True))) >= 4


def test_some_cases_are_overdue_and_escalated_some_are_not(demo):
    now = timezone.now()
    open_cases = _cases().exclude(status=CaseStatus.CLOSED)
    overdue = open_cases.filter(sla.overdue_q(now)).count()
    assert 0 < overdue < open_cases.count() // 2
    assert _cases().filter(escalation_level__gte=1).exists()
    assert _cases().filter(paused_at__isnull=False).exists()
    assert _cases().filter(opened_at__lt=now - timezone.timedelta(days=30)).exists()


def test_cash_aid_below_and_above_the_ceiling_and_stock(demo):
    services = Service.objects.filter(case__subdistrict__province_id=CHIANG_RAI)
    cash = services.filter(kind=ServiceKind.CASH_AID)
    assert cash.filter(amount__lte=3000, status=ServiceStatus.DELIVERED).exists()
    paid_above = Payment.objects.filter(service__in=cash, amount__gt=3000)
    assert paid_above.exists()
    assert all(p.approved_by_id != p.service.requested_by_id for p in paid_above)
    assert cash.filter(status=ServiceStatus.AWAITING_APPROVAL).count() == 1
    items = set(services.filter(kind=ServiceKind.IN_KIND).values_list("item__code", flat=True))
    assert items == {"ADULT-DIAPERS", "RELIEF-BAG"}


def test_sensitive_cases_are_the_workers_and_the_head_must_break_the_glass(demo):
    worker, supervisor, head = (
        User.objects.get(username=u) for u in ("social_worker", "supervisor", "provincial_head")
    )
    sensitive = _cases().filter(sensitive=True)
    assert sensitive.count() >= 20
    assert CaseWorker.objects.filter(case__in=sensitive, user=worker).exists()
    assert visible_cases(supervisor).filter(sensitive=True).count() == sensitive.count()
    assert cases_needing_glass(head).count() == sensitive.count()


def test_a_second_load_adds_nothing_and_reset_rebuilds(demo):
    before = (_cases().count(), Referral.objects.count(), Report.objects.count())
    again = _build()
    assert again.cases is None
    assert (_cases().count(), Referral.objects.count(), Report.objects.count()) == before
    audit_rows = AuditEvent.objects.count()
    rebuilt = _build(reset=True)
    assert rebuilt.cases is not None and rebuilt.cases.cases == before[0]
    assert AuditEvent.objects.count() > audit_rows  # the audit log is never deleted


def test_the_demo_shows_each_part_of_the_pdpa_lifecycle(demo):
    """Consents (one withdrawn) and emergency overrides from the referrals, a request of
    each kind (one past its 30 days), breaches (one past 72 hours), anonymised old cases."""
    from onehome.privacy.models import (  # why: this test alone reads the privacy app
        AnonymisedRecord,
        Breach,
        ConsentRecord,
        DataRequest,
        EmergencyOverride,
    )

    consents = ConsentRecord.objects.filter(person__subdistrict__province_id=CHIANG_RAI)
    assert consents.filter(purpose="referral_partner", withdrawn_at__isnull=True).exists()
    assert consents.filter(withdrawn_at__isnull=False).exists()
    assert consents.filter(given_by="guardian").exists() or consents.count() >= 5
    assert EmergencyOverride.objects.filter(case__subdistrict__province_id=CHIANG_RAI).exists()
    kinds = set(DataRequest.objects.values_list("kind", flat=True))
    assert kinds == {"access", "rectification", "objection", "erasure"}
    assert any(r.is_overdue for r in DataRequest.objects.all())
    assert any(b.notice_overdue and not b.notified_pdpc_at for b in Breach.objects.all())
    assert Breach.objects.filter(status="closed").count() == 2
    archived = AnonymisedRecord.objects.filter(object_type="cases.case")
    assert archived.count() == 3
    # object_id is text: PostgreSQL compares it with a case's id only once cast.
    archived_ids = archived.values(case_id=Cast("object_id", BigIntegerField()))
    assert not Report.objects.filter(case_id__in=archived_ids).exclude(reporter_name="").exists()
    # Every referral outside the ministry had the people's consent or an override.
    from onehome.orgs.models import PARTNER_KINDS  # why: as above

    outside = Referral.objects.filter(to_org__kind__in=PARTNER_KINDS)
    assert outside.exists()
