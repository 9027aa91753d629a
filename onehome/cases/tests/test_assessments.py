"""Assessment in the five dimensions and the case plan (issue 4, acceptance 4)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseStatus,
    Dimension,
    EventKind,
    GoalStatus,
    PlanGoal,
    Risk,
    Urgency,
)
from onehome.cases.plans import selectors as plan_selectors
from onehome.cases.plans import services as assessments
from onehome.conftest import WIANG
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.orgs.models import Organisation, OrgKind

pytestmark = pytest.mark.usefixtures("english")  # messages are asserted in English

_numbers = itertools.count(1)


@pytest.fixture
def agency(db):
    return Organisation.objects.create(
        code="a-office-57", kind=OrgKind.PROVINCIAL_OFFICE, name_th="พมจ.เชียงราย", province_id="57"
    )


@pytest.fixture
def case_worker(make_user, agency):
    return make_user(Role.SOCIAL_WORKER, organisation=agency)


def make_case(owner, *, status=CaseStatus.ASSESSING, sensitive=False, subdistrict=WIANG):
    return Case.objects.create(
        number=f"A-{next(_numbers):05d}",
        status=status,
        urgency=Urgency.NORMAL,
        category="violence" if sensitive else "homeless",
        sensitive=sensitive,
        title="test case",
        subdistrict_id=subdistrict,
        owner=owner,
    )


def five(level=2, **overrides):
    dims = {d.value: {"level": level, "note": f"note {d.value}"} for d in Dimension}
    dims.update(overrides)
    return dims


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def test_an_assessment_records_five_dimensions_risks_an_event_and_an_audit_record(
    case_worker, agency
):
    case = make_case(agency)
    result = assessments.record_assessment(
        actor=case_worker,
        case_id=case.pk,
        dimensions=five(1, income={"level": 3, "note": " no income "}),
        protection_risks=[Risk.BEDRIDDEN, Risk.NO_FOOD, Risk.BEDRIDDEN],
        summary="Grandmother caring for a bedridden husband",
    )
    assert result.dimensions["income"] == {"level": 3, "note": "no income"}
    assert result.dimensions["health"]["level"] == 1
    assert set(result.dimensions) == set(Dimension.values)
    assert result.protection_risks == ["bedridden", "no_food"]
    event = CaseEvent.objects.get(case=case, kind=EventKind.ASSESSMENT)
    assert event.data["levels"]["income"] == 3 and event.organisation_id == agency.pk
    audit = AuditEvent.objects.get(object_type="cases.assessment", object_id=str(result.pk))
    assert audit.actor_id == case_worker.pk and audit.subdistrict_code == WIANG


@pytest.mark.parametrize(
    "dimensions, message",
    [
        (five(income={"level": 4, "note": ""}), "must be 0"),
        (five(income={"level": True, "note": ""}), "must be 0"),
        (five(income={"level": None}), "must be 0"),
        ({d: v for d, v in five().items() if d != "education"}, "missing"),
        (five(wealth={"level": 1}), "Unknown dimensions"),
        (five(health={"level": 1, "note": "x" * 1001}), "longer than"),
    ],
)
def test_a_bad_assessment_is_refused_and_writes_nothing(case_worker, agency, dimensions, message):
    case = make_case(agency)
    with pytest.raises(ValidationError, match=message):
        assessments.record_assessment(actor=case_worker, case_id=case.pk, dimensions=dimensions)
    assert not Assessment.objects.exists()
    assert not CaseEvent.objects.filter(case=case).exists()


def test_an_unknown_protection_risk_is_refused(case_worker, agency):
    case = make_case(agency)
    with pytest.raises(ValidationError, match="Unknown protection risks"):
        assessments.record_assessment(
            actor=case_worker, case_id=case.pk, dimensions=five(), protection_risks=["ghosts"]
        )


def test_levels_given_as_digits_from_a_form_are_accepted(case_worker, agency):
    case = make_case(agency)
    dims = {d.value: {"level": "2", "note": ""} for d in Dimension}
    result = assessments.record_assessment(actor=case_worker, case_id=case.pk, dimensions=dims)
    assert result.dimensions["access"]["level"] == 2


def test_people_who_may_not_work_on_the_case_get_404(make_user, outsider, agency):
    case = make_case(agency)
    inspector = make_user(Role.INSPECTOR)  # sees cases, does not work on them
    analyst = make_user(Role.ANALYST)
    for user in (outsider, inspector, analyst):
        with pytest.raises(NotInScopeError):
            assessments.record_assessment(actor=user, case_id=case.pk, dimensions=five())
    assert not Assessment.objects.exists()


def test_a_sensitive_case_is_refused_to_an_unassigned_worker(case_worker, agency):
    case = make_case(agency, sensitive=True)
    with pytest.raises(NotInScopeError):
        assessments.record_assessment(actor=case_worker, case_id=case.pk, dimensions=five())


def test_a_closed_case_takes_no_assessment(case_worker, agency):
    case = make_case(agency, status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        assessments.record_assessment(actor=case_worker, case_id=case.pk, dimensions=five())


def test_a_plan_goal_names_dimension_action_agency_and_due_date(case_worker, agency, hospital):
    case = make_case(agency)
    goal = assessments.add_plan_goal(
        actor=case_worker,
        case_id=case.pk,
        dimension=Dimension.HEALTH,
        goal="Husband gets home care",
        action="Home visit by the hospital's nurse",
        agency_id=hospital.pk,
        due_date=tomorrow(),
    )
    assert (goal.dimension, goal.agency, goal.status) == ("health", hospital, GoalStatus.OPEN)
    event = CaseEvent.objects.get(case=case, kind=EventKind.PLAN)
    assert event.data["agency"] == hospital.pk and event.data["dimension"] == "health"
    assert AuditEvent.objects.filter(object_type="cases.plangoal", action="create").exists()
    assert list(plan_selectors.plan_of(user=case_worker, case_id=case.pk)) == [goal]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"due_date": dt.date(2020, 1, 1)}, "in the past"),
        ({"agency_id": 999999}, "known responsible agency"),
        ({"agency_id": None}, "known responsible agency"),
        ({"dimension": "happiness"}, "five dimensions"),
        ({"goal": "  "}, "Enter the goal"),
        ({"action": ""}, "Enter the action"),
    ],
)
def test_a_bad_plan_goal_is_refused(case_worker, agency, change, message):
    case = make_case(agency)
    values = {
        "dimension": Dimension.INCOME,
        "goal": "Regular income",
        "action": "Job training",
        "agency_id": agency.pk,
        "due_date": tomorrow(),
    }
    values.update(change)
    with pytest.raises(ValidationError, match=message):
        assessments.add_plan_goal(actor=case_worker, case_id=case.pk, **values)
    assert not PlanGoal.objects.exists()


def test_a_goal_due_today_is_accepted(case_worker, agency):
    case = make_case(agency)
    goal = assessments.add_plan_goal(
        actor=case_worker,
        case_id=case.pk,
        dimension=Dimension.LIVING,
        goal="Clean water",
        action="Install a water tank",
        agency_id=agency.pk,
        due_date=timezone.localdate(),
    )
    assert goal.due_date == timezone.localdate()


@pytest.fixture
def goal(case_worker, agency):
    case = make_case(agency)
    return assessments.add_plan_goal(
        actor=case_worker,
        case_id=case.pk,
        dimension=Dimension.EDUCATION,
        goal="Child back at school",
        action="Talk to the school",
        agency_id=agency.pk,
        due_date=tomorrow(),
    )


def test_updating_a_goal_needs_the_current_version(case_worker, hospital, goal):
    updated = assessments.update_plan_goal(
        actor=case_worker, goal_id=goal.pk, version=1, agency_id=hospital.pk, action="Call school"
    )
    assert (updated.version, updated.agency_id, updated.action) == (2, hospital.pk, "Call school")
    with pytest.raises(StaleVersionError):
        assessments.update_plan_goal(actor=case_worker, goal_id=goal.pk, version=1, goal="x")
    goal.refresh_from_db()
    assert goal.goal == "Child back at school"
    audit = AuditEvent.objects.get(object_type="cases.plangoal", action="update")
    assert audit.before["action"] == "Talk to the school" and audit.after["action"] == "Call school"


def test_a_goal_whose_due_date_has_passed_can_still_be_edited_without_moving_it(case_worker, goal):
    PlanGoal.objects.filter(pk=goal.pk).update(due_date=dt.date(2020, 1, 1))
    updated = assessments.update_plan_goal(
        actor=case_worker, goal_id=goal.pk, version=1, action="Visit the school"
    )
    assert updated.due_date == dt.date(2020, 1, 1)


def test_unknown_fields_are_refused(case_worker, goal):
    with pytest.raises(ValidationError, match="Unknown fields"):
        assessments.update_plan_goal(actor=case_worker, goal_id=goal.pk, version=1, status="done")


def test_a_done_goal_cannot_be_changed_or_done_again(case_worker, goal):
    done = assessments.complete_plan_goal(
        actor=case_worker, goal_id=goal.pk, version=1, note="enrolled"
    )
    assert (done.status, done.version) == (GoalStatus.DONE, 2)
    with pytest.raises(ValidationError, match="already Done"):
        assessments.complete_plan_goal(actor=case_worker, goal_id=goal.pk, version=2)
    with pytest.raises(ValidationError, match="already Done"):
        assessments.update_plan_goal(actor=case_worker, goal_id=goal.pk, version=2, goal="y")
    texts = list(CaseEvent.objects.filter(kind=EventKind.PLAN).values_list("text", flat=True))
    assert texts[-1] == "Plan goal done: Child back at school — enrolled"


def test_dropping_a_goal_needs_a_reason(case_worker, goal):
    with pytest.raises(ValidationError, match="reason"):
        assessments.drop_plan_goal(actor=case_worker, goal_id=goal.pk, version=1, reason=" ")
    dropped = assessments.drop_plan_goal(
        actor=case_worker, goal_id=goal.pk, version=1, reason="family moved away"
    )
    assert dropped.status == GoalStatus.DROPPED


def test_goals_of_an_unseen_case_are_404_and_not_listed(outsider, goal):
    with pytest.raises(NotInScopeError):
        assessments.complete_plan_goal(actor=outsider, goal_id=goal.pk, version=1)
    with pytest.raises(NotInScopeError):
        assessments.complete_plan_goal(actor=outsider, goal_id=987654, version=1)
    assert not plan_selectors.plan_of(user=outsider, case_id=goal.case_id).exists()
    assert not plan_selectors.assessments_of(user=outsider, case_id=goal.case_id).exists()
