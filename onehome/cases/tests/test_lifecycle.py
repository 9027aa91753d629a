"""The case state machine (issue 4, acceptance 3): every allowed transition works and is
recorded; every other pair of statuses is refused with a message naming both; roles,
reasons, versions and scope are checked by the one transition service."""

import itertools

import pytest

from onehome.access.models import AuditEvent, Role
from onehome.access.roles import roles_for
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.transitions import TRANSITIONS, allowed_next, transition
from onehome.cases.models import Case, CaseEvent, CaseStatus, CaseWorker, EventKind
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError

pytestmark = pytest.mark.usefixtures("english")
S = CaseStatus

# A path to each (from, to) of the table: refusing a closure must find the case where it was.
SETUP_PATH = {
    (S.CLOSURE_REQUESTED, S.ASSESSING): [S.ASSESSING, S.CLOSURE_REQUESTED],
}
REFUSED = [
    pair for pair in itertools.product(CaseStatus.values, repeat=2) if pair not in TRANSITIONS
]


def at(make_case, from_status, to_status=None):
    path = SETUP_PATH.get((from_status, to_status))
    return make_case(from_status, path=path)


def test_the_table_covers_the_issues_minimum():
    required = {
        (S.WAITING, S.ASSESSING),
        (S.ASSESSING, S.REFERRED),
        (S.ASSESSING, S.ASSISTANCE_REPORTED),
        (S.REFERRED, S.ASSISTANCE_REPORTED),
        (S.REFERRED, S.ASSESSING),
        (S.ASSISTANCE_REPORTED, S.ASSISTANCE_DONE),
        (S.ASSISTANCE_REPORTED, S.REFERRED),
        (S.ASSISTANCE_DONE, S.CLOSURE_REQUESTED),
        (S.ASSESSING, S.CLOSURE_REQUESTED),
        (S.CLOSURE_REQUESTED, S.CLOSED),
        (S.CLOSED, S.ASSESSING),
    }
    assert required <= set(TRANSITIONS)
    assert roles_for(TRANSITIONS[(S.CLOSURE_REQUESTED, S.CLOSED)].permission) == {
        Role.SUPERVISOR,
        Role.PROVINCIAL_HEAD,
    }
    assert TRANSITIONS[(S.CLOSED, S.ASSESSING)].reason_required


@pytest.mark.parametrize(("from_status", "to_status"), list(TRANSITIONS))
def test_every_allowed_transition_is_made_and_recorded(
    from_status, to_status, make_case, case_supervisor
):
    case = at(make_case, from_status, to_status)
    assert case.status == from_status
    moved = transition(
        actor=case_supervisor,
        case_id=case.pk,
        to_status=to_status,
        reason="เหตุผลทดสอบ",
        version=case.version,
    )
    assert moved.status == to_status
    assert moved.version == case.version + 1
    assert Case.objects.get(pk=case.pk).status == to_status
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.TRANSITION,
        from_status,
        to_status,
    )
    assert (event.actor, event.organisation, event.text) == (
        case_supervisor,
        case_supervisor.organisation,
        "เหตุผลทดสอบ",
    )
    audit = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).first()
    assert audit.before["status"] == from_status and audit.after["status"] == to_status


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_transition_is_refused_naming_both_statuses(
    from_status, to_status, make_case, case_supervisor
):
    case = make_case(S.WAITING)
    # Set the state directly: the point is the refusal, not how the case got there.
    Case.objects.filter(pk=case.pk).update(
        status=from_status,
        status_before_closure=S.ASSESSING if from_status == S.CLOSURE_REQUESTED else "",
    )
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(ValidationError) as refused:
        transition(
            actor=case_supervisor,
            case_id=case.pk,
            to_status=to_status,
            reason="เหตุผล",
            version=case.version,
        )
    message = refused.value.messages[0]
    assert str(CaseStatus(from_status).label) in message
    assert str(CaseStatus(to_status).label) in message
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version) == (from_status, case.version)
    assert CaseEvent.objects.filter(case=case).count() == events


def test_an_unknown_status_is_refused(make_case, case_supervisor):
    case = make_case()
    with pytest.raises(ValidationError, match="cannot be changed"):
        transition(actor=case_supervisor, case_id=case.pk, to_status="lost", version=case.version)


REASON_REQUIRED = [pair for pair, rule in TRANSITIONS.items() if rule.reason_required]


@pytest.mark.parametrize(("from_status", "to_status"), REASON_REQUIRED)
def test_a_reason_is_required_where_the_table_says_so(
    from_status, to_status, make_case, case_supervisor
):
    case = at(make_case, from_status, to_status)
    with pytest.raises(ValidationError, match="Give a reason"):
        transition(
            actor=case_supervisor,
            case_id=case.pk,
            to_status=to_status,
            reason="   ",
            version=case.version,
        )
    assert Case.objects.get(pk=case.pk).status == from_status


def test_closure_needs_a_supervisors_approval(make_case, case_supervisor, case_worker):
    case = make_case(S.CLOSURE_REQUESTED)
    CaseWorker.objects.create(case=case, user=case_worker)
    with pytest.raises(ValidationError, match="Closure needs a supervisor's approval"):
        transition(actor=case_worker, case_id=case.pk, to_status=S.CLOSED, version=case.version)
    with pytest.raises(ValidationError, match="Closure needs a supervisor's approval"):
        transition(
            actor=case_worker,
            case_id=case.pk,
            to_status=S.ASSISTANCE_DONE,
            reason="ยังไม่เสร็จ",
            version=case.version,
        )
    closed = transition(
        actor=case_supervisor, case_id=case.pk, to_status=S.CLOSED, version=case.version
    )
    assert closed.closed_at is not None


def test_a_provincial_head_may_approve_closure(make_case, provincial_head):
    case = make_case(S.CLOSURE_REQUESTED)
    closed = transition(
        actor=provincial_head, case_id=case.pk, to_status=S.CLOSED, version=case.version
    )
    assert closed.status == S.CLOSED


@pytest.mark.parametrize("role", [Role.HOTLINE_OPERATOR, Role.INSPECTOR])
def test_roles_that_do_not_run_cases_cannot_move_them(role, make_case, make_user, centre):
    case = make_case()
    user = make_user(role, organisation=centre)
    with pytest.raises(ValidationError, match="You may not do this"):
        transition(actor=user, case_id=case.pk, to_status=S.REFERRED, version=case.version)
    assert Case.objects.get(pk=case.pk).status == S.ASSESSING


def test_a_worker_of_an_agency_not_on_the_case_cannot_move_it(make_case, office_worker):
    case = make_case()  # the centre's case; the provincial office has no part in it
    with pytest.raises(ValidationError, match="You may not do this"):
        transition(actor=office_worker, case_id=case.pk, to_status=S.REFERRED, version=case.version)


def test_a_refused_closure_goes_back_only_to_where_the_case_was(make_case, case_supervisor):
    case = make_case(S.CLOSURE_REQUESTED)  # requested from "assistance done"
    with pytest.raises(ValidationError, match="goes back to"):
        transition(
            actor=case_supervisor,
            case_id=case.pk,
            to_status=S.ASSESSING,
            reason="ยังไม่เสร็จ",
            version=case.version,
        )
    back = transition(
        actor=case_supervisor,
        case_id=case.pk,
        to_status=S.ASSISTANCE_DONE,
        reason="ยังไม่เสร็จ",
        version=case.version,
    )
    assert (back.status, back.status_before_closure) == (S.ASSISTANCE_DONE, "")


def test_reopening_a_closed_case_clears_its_closing_time(make_case, case_supervisor):
    case = make_case(S.CLOSED)
    assert case.closed_at is not None
    reopened = transition(
        actor=case_supervisor,
        case_id=case.pk,
        to_status=S.ASSESSING,
        reason="ครอบครัวขอความช่วยเหลืออีกครั้ง",
        version=case.version,
    )
    assert reopened.closed_at is None
    assert reopened.events.last().text == "ครอบครัวขอความช่วยเหลืออีกครั้ง"


def test_a_stale_version_is_refused_before_anything_changes(make_case, case_supervisor):
    case = make_case()
    for stale in (case.version - 1, None, "x"):
        with pytest.raises(StaleVersionError):
            transition(actor=case_supervisor, case_id=case.pk, to_status=S.REFERRED, version=stale)
    assert Case.objects.get(pk=case.pk).status == S.ASSESSING


def test_an_out_of_scope_or_missing_case_does_not_exist(make_case, outsider, case_supervisor):
    case = make_case()
    with pytest.raises(NotInScopeError):
        transition(actor=outsider, case_id=case.pk, to_status=S.REFERRED, version=case.version)
    with pytest.raises(NotInScopeError):
        transition(actor=case_supervisor, case_id=0, to_status=S.REFERRED, version=1)


def test_a_sensitive_case_is_invisible_to_an_in_scope_worker_not_assigned(
    make_case, make_user, org_57, office_supervisor
):
    case = make_case(category="violence", subcategory="violence_child")
    colleague = make_user(Role.SOCIAL_WORKER, organisation=org_57)
    with pytest.raises(NotInScopeError):
        transition(actor=colleague, case_id=case.pk, to_status=S.REFERRED, version=case.version)
    CaseWorker.objects.create(case=case, user=colleague)
    moved = transition(actor=colleague, case_id=case.pk, to_status=S.REFERRED, version=case.version)
    assert moved.status == S.REFERRED


def test_allowed_next_offers_the_moves_the_user_may_make(
    make_case, case_worker, case_supervisor, outsider
):
    case = make_case()
    assert {to for to, _rule in allowed_next(case, case_worker)} == {
        S.REFERRED,
        S.ASSISTANCE_REPORTED,
        S.CLOSURE_REQUESTED,
    }
    assert allowed_next(case, outsider) == []
    closing = make_case(S.CLOSURE_REQUESTED)
    assert allowed_next(closing, case_worker) == []
    assert {to for to, _rule in allowed_next(closing, case_supervisor)} == {
        S.CLOSED,
        S.ASSISTANCE_DONE,
    }


def test_each_transition_is_announced_in_the_same_transaction(make_case, case_supervisor):
    seen = []

    def listener(sender, case, from_status, to_status, actor, reason, rule, **kw):
        seen.append((case.pk, from_status, to_status, actor, rule.action))

    transitions.case_transitioned.connect(listener)
    try:
        case = make_case()
        transition(
            actor=case_supervisor, case_id=case.pk, to_status=S.REFERRED, version=case.version
        )
    finally:
        transitions.case_transitioned.disconnect(listener)
    assert seen[-1] == (case.pk, S.ASSESSING, S.REFERRED, case_supervisor, "refer")


def test_entering_a_step_restarts_its_deadline_and_the_escalation_ladder(
    make_case, case_supervisor
):
    """Accepting starts the assessment clock; a closure request starts the approval clock."""
    from onehome.cases.deadlines import sla

    case = at(make_case, S.WAITING, S.ASSESSING)
    Case.objects.filter(pk=case.pk).update(escalation_level=2)
    moved = transition(
        actor=case_supervisor, case_id=case.pk, to_status=S.ASSESSING, version=case.version
    )
    stored = Case.objects.get(pk=case.pk)
    event = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).last()
    expected = sla.step_due(sla.ASSESSMENT, event.at, stored.urgency)
    assert abs((stored.due_at - expected).total_seconds()) < 5  # stamped within the same call
    assert stored.escalation_level == 0
    assert moved.due_at == stored.due_at
