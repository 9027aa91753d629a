"""Triage and dispatch (issue 4, acceptance 2): a routed report is accepted into a case,
merged into an existing case or closed with a reason, by its unit only."""

import re

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.intake import selectors as intake_selectors
from onehome.cases.intake import triage
from onehome.cases.lifecycle import selectors, services, transitions
from onehome.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CaseWorker,
    EventKind,
    PartyRole,
    ReportStatus,
    Risk,
    Urgency,
)
from onehome.cases.visibility.selectors import visible_cases
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.usefixtures("english")


def accept(actor, report):
    return triage.accept_report(actor=actor, report_id=report.pk, version=report.version)


def test_a_worker_of_the_routed_unit_accepts_a_report_into_a_case_and_takes_it_up(
    make_report, case_worker, centre
):
    report = make_report()
    case = accept(case_worker, report)

    assert re.fullmatch(rf"C{timezone.localdate().year + 543}-\d{{6}}", case.number)
    assert case.owner == centre
    assert case.status == CaseStatus.ASSESSING
    assert not case.sensitive
    assert (case.category, case.subcategory) == ("elderly", "elderly_bedridden")
    # Taking the case up met first contact; the assessment clock has started.
    assert case.due_at > report.due_at
    assert CaseWorker.objects.get(case=case).user == case_worker
    assert CaseWorker.objects.get(case=case).lead
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [EventKind.REPORT, EventKind.ASSIGNMENT, EventKind.TRANSITION]
    assert case.events.first().data["report"] == report.reference
    report.refresh_from_db()
    assert (report.status, report.case_id, report.version) == (ReportStatus.ACCEPTED, case.pk, 2)
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).exists()


def test_a_supervisor_accepting_for_the_unit_leaves_the_case_waiting_for_a_worker(
    make_report, case_supervisor
):
    case = accept(case_supervisor, make_report())
    assert case.status == CaseStatus.WAITING
    assert not CaseWorker.objects.filter(case=case).exists()


def test_case_numbers_run_on_within_the_year(make_report, case_supervisor):
    first = accept(case_supervisor, make_report())
    second = accept(case_supervisor, make_report())
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_an_accepted_sensitive_report_makes_a_sensitive_case_hidden_from_other_workers(
    make_report, office_worker, case_worker, org_57
):
    report = make_report(category="violence", subcategory="violence_child", risks=[Risk.VIOLENCE])
    assert report.routed_to == org_57
    case = accept(office_worker, report)
    assert case.sensitive
    assert visible_cases(office_worker).filter(pk=case.pk).exists()
    # In the area, a case role, but neither assigned nor a supervisor: the case does not exist.
    assert not visible_cases(case_worker).filter(pk=case.pk).exists()
    with pytest.raises(NotInScopeError):
        transitions.transition(
            actor=case_worker,
            case_id=case.pk,
            to_status=CaseStatus.REFERRED,
            version=case.version,
        )


def test_the_case_is_linked_to_the_victims_household(
    make_report, make_household, make_person, worker, case_worker
):
    from onehome.registry import services as registry

    household = make_household()
    person = make_person()
    registry.add_member(
        actor=worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    report = make_report(parties=[{"role": PartyRole.VICTIM, "person_id": person.pk}])
    case = accept(case_worker, report)
    assert case.household_id == household.pk


@pytest.mark.parametrize("step", ["accept", "merge", "close"])
def test_a_report_already_triaged_is_refused_with_a_clear_message(
    step, make_report, make_case, case_supervisor
):
    target = make_case()
    report = make_report()
    triage.close_report(
        actor=case_supervisor, report_id=report.pk, reason="ซ้ำ", version=report.version
    )
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="already triaged"):
        if step == "accept":
            accept(case_supervisor, report)
        elif step == "merge":
            triage.merge_report(
                actor=case_supervisor, report_id=report.pk, case_id=target.pk, version=2
            )
        else:
            triage.close_report(actor=case_supervisor, report_id=report.pk, reason="x", version=2)
    assert not Case.objects.exclude(pk=target.pk).exists()


def test_a_stale_report_version_is_refused(make_report, case_worker):
    report = make_report()
    with pytest.raises(StaleVersionError):
        triage.accept_report(actor=case_worker, report_id=report.pk, version=report.version + 1)
    assert not Case.objects.exists()


def test_only_the_routed_unit_or_a_supervisor_of_the_area_triages(
    make_report, make_user, office_worker, provincial_head, outsider
):
    report = make_report()  # routed to the centre
    with pytest.raises(ValidationError, match="may triage"):
        accept(office_worker, report)
    operator = make_user(Role.HOTLINE_OPERATOR)
    with pytest.raises(ValidationError, match="may triage"):
        accept(operator, report)
    with pytest.raises(NotInScopeError):
        accept(outsider, report)
    assert not Case.objects.exists()
    case = accept(provincial_head, report)
    assert case.status == CaseStatus.WAITING


def test_a_report_is_merged_into_an_open_case(make_report, make_case, case_supervisor):
    case = make_case()
    report = make_report(urgency=Urgency.URGENT, summary="โทรมาอีกครั้ง")
    merged = triage.merge_report(
        actor=case_supervisor, report_id=report.pk, case_id=case.pk, version=report.version
    )
    assert merged.urgency == Urgency.URGENT
    assert merged.version == case.version + 1
    event = merged.events.get(kind=EventKind.MERGE)
    assert (event.text, event.data["report"]) == ("โทรมาอีกครั้ง", report.reference)
    report.refresh_from_db()
    assert (report.status, report.case_id) == (ReportStatus.MERGED, case.pk)


def test_a_sensitive_report_merged_makes_the_case_sensitive(
    make_report, make_case, provincial_head, case_supervisor
):
    case = make_case()
    report = make_report(category="violence", subcategory="violence_elderly")
    # Routed to the provincial office: the centre does not even see it on its board.
    with pytest.raises(NotInScopeError):
        triage.merge_report(
            actor=case_supervisor, report_id=report.pk, case_id=case.pk, version=report.version
        )
    merged = triage.merge_report(
        actor=provincial_head, report_id=report.pk, case_id=case.pk, version=report.version
    )
    assert merged.sensitive


def test_a_report_cannot_be_merged_into_a_closed_case(make_report, make_case, case_supervisor):
    case = make_case(CaseStatus.CLOSED)
    report = make_report()
    with pytest.raises(ValidationError, match="reopen it"):
        triage.merge_report(
            actor=case_supervisor, report_id=report.pk, case_id=case.pk, version=report.version
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.WAITING


def test_closing_a_report_needs_a_reason(make_report, case_worker):
    report = make_report()
    with pytest.raises(ValidationError, match="reason"):
        triage.close_report(actor=case_worker, report_id=report.pk, reason=" ", version=1)
    closed = triage.close_report(
        actor=case_worker, report_id=report.pk, reason="ติดต่อไม่ได้ 3 ครั้ง", version=1
    )
    assert (closed.status, closed.closed_reason) == (ReportStatus.CLOSED, "ติดต่อไม่ได้ 3 ครั้ง")
    assert closed.closed_at is not None


def test_the_dispatch_board_shows_the_units_waiting_reports_most_urgent_first(
    make_report, case_worker, office_worker
):
    normal = make_report()
    urgent = make_report(urgency=Urgency.URGENT)
    make_report(category="violence", subcategory="violence_women")  # provincial office's
    done = make_report()
    triage.close_report(actor=case_worker, report_id=done.pk, reason="ซ้ำ", version=1)
    board = list(intake_selectors.dispatch_board(case_worker))
    assert board == [urgent, normal]
    assert [r.category for r in intake_selectors.dispatch_board(office_worker)] == ["violence"]


def test_workers_are_assigned_and_removed_by_a_supervisor(
    make_case, case_supervisor, case_worker, other_worker
):
    case = make_case()
    case = services.assign_worker(
        actor=case_supervisor,
        case_id=case.pk,
        user_id=case_worker.pk,
        version=case.version,
        lead=True,
    )
    case = services.assign_worker(
        actor=case_supervisor,
        case_id=case.pk,
        user_id=other_worker.pk,
        version=case.version,
        lead=True,
    )
    leads = list(CaseWorker.objects.filter(case=case, lead=True).values_list("user", flat=True))
    assert leads == [other_worker.pk]
    with pytest.raises(ValidationError, match="already works"):
        services.assign_worker(
            actor=case_supervisor, case_id=case.pk, user_id=case_worker.pk, version=case.version
        )
    with pytest.raises(ValidationError, match="Only a supervisor"):
        services.assign_worker(
            actor=case_worker, case_id=case.pk, user_id=other_worker.pk, version=case.version
        )
    case = services.unassign_worker(
        actor=case_supervisor, case_id=case.pk, user_id=case_worker.pk, version=case.version
    )
    assert list(case.workers.all()) == [other_worker]
    assert case.events.filter(kind=EventKind.ASSIGNMENT).count() == 3


def test_a_worker_outside_the_cases_area_cannot_be_assigned(make_case, case_supervisor, make_user):
    case = make_case()
    far = make_user(Role.SOCIAL_WORKER, code="10")
    with pytest.raises(ValidationError, match="cannot work on cases in this area"):
        services.assign_worker(
            actor=case_supervisor, case_id=case.pk, user_id=far.pk, version=case.version
        )


def test_a_case_is_transferred_to_another_agency_with_its_timeline(
    make_case, case_supervisor, org_57
):
    case = make_case()
    events = case.events.count()
    with pytest.raises(ValidationError, match="reason"):
        services.transfer_case(
            actor=case_supervisor,
            case_id=case.pk,
            to_org_id=org_57.pk,
            reason="",
            version=case.version,
        )
    moved = services.transfer_case(
        actor=case_supervisor,
        case_id=case.pk,
        to_org_id=org_57.pk,
        reason="ต้องใช้อำนาจตาม พ.ร.บ.",
        version=case.version,
    )
    assert moved.owner == org_57
    assert moved.events.count() == events + 1
    assert moved.events.last().data == {"from_org": case.owner_id, "to_org": org_57.pk}


def test_a_case_is_not_transferred_to_a_partner_or_another_province(make_case, case_supervisor):
    case = make_case()
    hospital = Organisation.objects.create(
        code="t-hosp", kind=OrgKind.HOSPITAL, name_th="โรงพยาบาล", province_id="57"
    )
    bangkok = Organisation.objects.create(
        code="t-psdhs-10", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.กทม.", province_id="10"
    )
    for org in (hospital, bangkok):
        with pytest.raises(ValidationError, match="another agency"):
            services.transfer_case(
                actor=case_supervisor,
                case_id=case.pk,
                to_org_id=org.pk,
                reason="x",
                version=case.version,
            )


def test_notes_are_added_to_the_timeline_without_a_version(make_case, case_supervisor, outsider):
    case = make_case()
    services.add_note(actor=case_supervisor, case_id=case.pk, text="โทรหาญาติแล้ว")
    note = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert (note.text, note.actor, note.organisation) == (
        "โทรหาญาติแล้ว",
        case_supervisor,
        case_supervisor.organisation,
    )
    with pytest.raises(ValidationError):
        services.add_note(actor=case_supervisor, case_id=case.pk, text="  ")
    with pytest.raises(NotInScopeError):
        services.add_note(actor=outsider, case_id=case.pk, text="x")


def test_closure_is_requested_approved_refused_and_a_case_reopened(
    make_case, case_worker, case_supervisor
):
    case = make_case(CaseStatus.ASSISTANCE_DONE)
    case = services.assign_worker(
        actor=case_supervisor, case_id=case.pk, user_id=case_worker.pk, version=case.version
    )
    case = services.request_closure(actor=case_worker, case_id=case.pk, version=case.version)
    assert case.status_before_closure == CaseStatus.ASSISTANCE_DONE
    with pytest.raises(ValidationError, match="supervisor's approval"):
        services.approve_closure(actor=case_worker, case_id=case.pk, version=case.version)
    case = services.refuse_closure(
        actor=case_supervisor, case_id=case.pk, reason="ยังไม่ได้ติดตามผล", version=case.version
    )
    assert (case.status, case.status_before_closure) == (CaseStatus.ASSISTANCE_DONE, "")
    case = services.request_closure(actor=case_worker, case_id=case.pk, version=case.version)
    case = services.approve_closure(actor=case_supervisor, case_id=case.pk, version=case.version)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    with pytest.raises(ValidationError, match="not waiting for closure"):
        services.refuse_closure(
            actor=case_supervisor, case_id=case.pk, reason="x", version=case.version
        )
    case = services.reopen_case(
        actor=case_worker, case_id=case.pk, reason="ครอบครัวโทรกลับมา", version=case.version
    )
    assert case.status == CaseStatus.ASSESSING and case.closed_at is None


def test_my_work_lists_my_cases_and_the_closures_to_approve(
    make_case, case_worker, case_supervisor, office_supervisor
):
    mine = make_case()
    mine = services.assign_worker(
        actor=case_supervisor, case_id=mine.pk, user_id=case_worker.pk, version=mine.version
    )
    closing = make_case(CaseStatus.CLOSURE_REQUESTED)
    assert list(selectors.my_cases(case_worker)) == [mine]
    assert list(selectors.closures_to_approve(case_supervisor)) == [closing]
    assert list(selectors.closures_to_approve(case_worker)) == []
    assert list(selectors.closures_to_approve(office_supervisor)) == []
    assert set(selectors.unit_cases(case_supervisor)) == {mine, closing}
