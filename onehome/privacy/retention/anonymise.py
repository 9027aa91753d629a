"""The retention schedule: closed cases and reports past their retention are anonymised.

What goes (replaced by a fixed text or emptied): names, phone numbers, addresses and every
free text — the case's title; its reports' reporter, address and summary; the people of its
reports (names, descriptions and the link to the registry); the text of its timeline,
assessments, plan goals, referrals, services and glass breaks; the case's household link.
What stays: the codes and dates that every count is made of — sub-district and village,
issue and sub-problem, status, urgency, channel, call type, risks, sex and age of the
people, organisations, amounts and the dates — so counts per area, issue and year are the
same before and after (a test checks it). Registry people and households are not touched:
they are the registry's, kept while they are on it; the case simply no longer points at
them. Audit rows are never changed (append-only, hash-chained): see docs/decisions/0014.

One case per transaction, marked in `AnonymisedRecord`: a run that stops part way leaves
whole cases done, and the next run carries on without doing any twice (idempotent).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import AuditAction
from onehome.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseStatus,
    GlassBreak,
    Party,
    PlanGoal,
    Referral,
    Report,
    ReportStatus,
    Service,
    StockMove,
)
from onehome.privacy.models import AnonymisedRecord

ANON = "[ลบข้อมูลตามระยะเวลาเก็บรักษา]"
CASE = "cases.case"
REPORT = "cases.report"
YEAR_DAYS = 365.25


@dataclass
class Outcome:
    cases: int = 0
    reports: int = 0


def cutoff(years: int, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=round(years * YEAR_DAYS))


def _done(object_type: str) -> Iterable[str]:
    return AnonymisedRecord.objects.filter(object_type=object_type).values("object_id")


def _pk_as_text() -> Cast:
    """The record's id as text, to compare with `AnonymisedRecord.object_id` (a varchar):
    PostgreSQL has no bigint = varchar operator (SQLite compares them anyway)."""
    return Cast("pk", CharField())


def due_cases(now: dt.datetime | None = None):
    """Closed cases past their retention, not yet anonymised."""
    limit = cutoff(settings.ONEHOME_RETENTION_YEARS_CASES, now)
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=limit)
        .alias(pk_text=_pk_as_text())
        .exclude(pk_text__in=_done(CASE))
        .order_by("pk")
    )


def due_reports(now: dt.datetime | None = None):
    """Reports closed without a case (a prank, an enquiry answered…) past their retention,
    not yet anonymised. Reports of a case go with their case."""
    limit = cutoff(settings.ONEHOME_RETENTION_YEARS_REPORTS, now)
    return (
        Report.objects.filter(status=ReportStatus.CLOSED, case__isnull=True, closed_at__lt=limit)
        .alias(pk_text=_pk_as_text())
        .exclude(pk_text__in=_done(REPORT))
        .order_by("pk")
    )


def _blank_report(report_ids: list[int]) -> None:
    Report.objects.filter(pk__in=report_ids).update(
        reporter_anonymous=True,
        reporter_name="",
        reporter_phone="",
        reporter_relation="",
        address="",
        summary=ANON,
        closed_reason="",
    )
    Party.objects.filter(report_id__in=report_ids).update(name="", description="", person=None)


def _mark(object_type: str, pk: int, subdistrict: str, reason: str = "retention") -> bool:
    """Claim the record for this run; False when another run has done it already."""
    _row, created = AnonymisedRecord.objects.get_or_create(
        object_type=object_type,
        object_id=str(pk),
        defaults={"subdistrict_code": subdistrict, "reason": reason},
    )
    return created


@transaction.atomic
def anonymise_case(case_id: int, reason: str = "retention") -> bool:
    """Anonymise one case and everything on it; False when it was done already."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not _mark(CASE, case.pk, case.subdistrict_id, reason):
        return False
    Case.objects.filter(pk=case.pk).update(title=ANON, household=None)
    report_ids = list(Report.objects.filter(case=case).values_list("pk", flat=True))
    _blank_report(report_ids)
    AnonymisedRecord.objects.bulk_create(
        [
            AnonymisedRecord(
                object_type=REPORT, object_id=str(pk), subdistrict_code=case.subdistrict_id,
                reason="retention (its case)",
            )
            for pk in report_ids
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    CaseEvent.objects.filter(case=case).update(text="")
    Assessment.objects.filter(case=case).update(summary="")
    PlanGoal.objects.filter(case=case).update(goal=ANON, action=ANON)
    Referral.objects.filter(case=case).update(need=ANON, outcome="", response_reason="")
    Referral.objects.filter(case=case, outcome_at__isnull=False).update(outcome=ANON)
    Service.objects.filter(case=case).update(description="", decision_reason="", recipient=None)
    StockMove.objects.filter(service__case=case).update(note="")
    GlassBreak.objects.filter(case=case).update(reason=ANON)
    return True


@transaction.atomic
def anonymise_report(report_id: int) -> bool:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or not _mark(REPORT, report.pk, report.subdistrict_id):
        return False
    _blank_report([report.pk])
    return True


def run(*, now: dt.datetime | None = None, tick: Callable[[int], None] | None = None) -> Outcome:
    """One run of the schedule over every due record; one audit row sums it up."""
    outcome = Outcome()
    case_ids = list(due_cases(now).values_list("pk", flat=True))
    report_ids = list(due_reports(now).values_list("pk", flat=True))
    for pk in case_ids:
        outcome.cases += anonymise_case(pk)
        if tick:
            tick(1)
    for pk in report_ids:
        outcome.reports += anonymise_report(pk)
        if tick:
            tick(1)
    if outcome.cases or outcome.reports:
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="privacy.retention",
            object_id=(now or timezone.now()).strftime("%Y-%m-%dT%H:%M"),
            after={
                "cases": outcome.cases,
                "reports": outcome.reports,
                "years_cases": settings.ONEHOME_RETENTION_YEARS_CASES,
                "years_reports": settings.ONEHOME_RETENTION_YEARS_REPORTS,
            },
            purpose="retention: closed records past retention anonymised",
        )
    return outcome


def pending() -> int:
    """How many records the next run would anonymise (for the progress bar)."""
    return due_cases().count() + due_reports().count()
