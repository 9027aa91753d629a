"""Concurrency and no loss (issue 4, acceptance 9): a write based on a stale copy of a case
or report is refused and overwrites nothing; a retried report submission creates one report.

The threaded tests run on PostgreSQL only (SQLite serialises writers, so there is no race
to lose); the sequential ones run everywhere.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from onehome.cases.intake import services as intake
from onehome.cases.intake import triage
from onehome.cases.lifecycle import services, transitions
from onehome.cases.models import Case, CaseEvent, CaseStatus, EventKind, Report, ReportStatus
from onehome.errors import StaleVersionError

S = CaseStatus


def test_the_second_of_two_workers_editing_one_case_is_refused(
    make_case, case_supervisor, other_worker, case_worker
):
    case = make_case()
    for worker in (case_worker, other_worker):
        services.assign_worker(
            actor=case_supervisor,
            case_id=case.pk,
            user_id=worker.pk,
            version=Case.objects.get(pk=case.pk).version,
        )
    loaded = Case.objects.get(pk=case.pk)  # both open the case page: the same version
    transitions.transition(
        actor=case_worker, case_id=case.pk, to_status=S.REFERRED, version=loaded.version
    )
    with pytest.raises(StaleVersionError) as stale:
        transitions.transition(
            actor=other_worker,
            case_id=case.pk,
            to_status=S.CLOSURE_REQUESTED,
            reason="ไม่ต้องการความช่วยเหลือ",
            version=loaded.version,
        )
    assert "changed by someone else" in str(stale.value) or stale.value.current_version
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version) == (S.REFERRED, loaded.version + 1)
    assert (
        CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).last().actor == case_worker
    )


@pytest.mark.parametrize("write", ["assign", "transfer", "request_closure"])
def test_every_case_write_checks_the_version(
    write, make_case, case_supervisor, case_worker, org_57
):
    case = make_case()
    stale = case.version - 1
    with pytest.raises(StaleVersionError):
        if write == "assign":
            services.assign_worker(
                actor=case_supervisor, case_id=case.pk, user_id=case_worker.pk, version=stale
            )
        elif write == "transfer":
            services.transfer_case(
                actor=case_supervisor,
                case_id=case.pk,
                to_org_id=org_57.pk,
                reason="x",
                version=stale,
            )
        else:
            services.request_closure(
                actor=case_supervisor, case_id=case.pk, reason="x", version=stale
            )
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.owner_id, after.status) == (
        case.version,
        case.owner_id,
        case.status,
    )


def test_two_triagers_accepting_one_report_make_one_case(make_report, case_worker, case_supervisor):
    report = make_report()
    triage.accept_report(actor=case_worker, report_id=report.pk, version=report.version)
    with pytest.raises(StaleVersionError):
        triage.accept_report(actor=case_supervisor, report_id=report.pk, version=report.version)
    assert Case.objects.count() == 1


def test_a_double_submitted_report_is_created_once(make_report):
    first = make_report(idempotency_key="double-click")
    second = make_report(idempotency_key="double-click")
    assert first.pk == second.pk
    assert Report.objects.count() == 1


# --- real races on PostgreSQL ---------------------------------------------------------------


def _race(n: int, work) -> list:
    """Run `work(i)` in n threads started together; each result or raised exception."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (SQLite serialises writers)")


@pytest.mark.usefixtures("postgres_only", "live_data")
def test_concurrent_submissions_with_one_key_create_one_report(operator, org_57, centre):
    def submit(i: int) -> tuple[int, bool]:
        taken = intake.take_report(
            actor=operator,
            channel="hotline",
            call_type="new",
            subdistrict="570101",
            category="elderly",
            urgency="normal",
            summary="the same request, sent four times",
            idempotency_key="same-request",
        )
        return taken.report.pk, taken.created

    results = _race(4, submit)
    assert all(isinstance(r, tuple) for r in results), results
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, False, False, True]
    assert Report.objects.filter(idempotency_key="same-request").count() == 1


@pytest.mark.usefixtures("postgres_only", "live_data")
def test_concurrent_accepts_of_one_report_make_one_case(make_report, case_worker, case_supervisor):
    report = make_report()
    actors = [case_worker, case_supervisor]

    def accept(i: int) -> int:
        return triage.accept_report(actor=actors[i], report_id=report.pk, version=report.version).pk

    results = _race(2, accept)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, StaleVersionError) for r in results) == 1, results
    assert Case.objects.count() == 1
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


@pytest.mark.usefixtures("postgres_only", "live_data")
def test_concurrent_accepts_of_different_reports_get_different_numbers(
    make_report, case_supervisor
):
    reports = [make_report() for _i in range(4)]

    def accept(i: int) -> str:
        r = reports[i]
        return triage.accept_report(actor=case_supervisor, report_id=r.pk, version=r.version).number

    results = _race(4, accept)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 4
