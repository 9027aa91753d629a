"""One goal model and one set of goal services for case plans and household development
plans: the same functions add, edit, move and record the goals of both holders."""

import pytest

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.cases.models import CaseEvent, EventKind, GoalStatus, PlanGoal
from onehome.cases.plans import goals
from onehome.cases.plans import services as case_plans
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.volunteers.development import services as development
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, make_case, start
from onehome.volunteers.tests.factories import make_volunteer

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def case_worker(make_user, agency):
    return make_user(Role.SOCIAL_WORKER, organisation=agency)


def household_goal(plan, actor, **kw):
    values = {
        "dimension": "income",
        "goal": "A steady income",
        "action": "Join the weaving group",
        "due_date": in_days(60),
        "volunteer_id": None,
        "agency_id": None,
    }
    values.update(kw)
    return development.add_household_goal(actor=actor, plan_id=plan.pk, **values)


def test_a_household_goal_and_a_case_goal_are_rows_of_the_one_goal_model(
    home, agency, case_worker, staff
):
    plan = start(home)
    mine = household_goal(plan, home.volunteer.user, volunteer_id=home.volunteer.pk)
    case = make_case(agency, home)
    theirs = case_plans.add_plan_goal(
        actor=case_worker,
        case_id=case.pk,
        dimension="health",
        goal="Home care",
        action="Nurse visits",
        agency_id=agency.pk,
        due_date=in_days(10),
    )
    assert {type(mine), type(theirs)} == {PlanGoal}
    assert (mine.household_plan, mine.case, mine.volunteer) == (plan, None, home.volunteer)
    assert (theirs.case, theirs.household_plan) == (case, None)
    # The case's timeline records its goal; the household plan's goal is in the audit log.
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PLAN).count() == 1
    assert AuditEvent.objects.filter(
        object_type="cases.plangoal", object_id=str(mine.pk), household_id=home.pk
    ).exists()


def test_the_same_edit_progress_and_steps_work_on_both_holders(home, agency, case_worker):
    plan = start(home)
    mine = household_goal(plan, home.volunteer.user, volunteer_id=home.volunteer.pk)
    case = make_case(agency, home)
    theirs = case_plans.add_plan_goal(
        actor=case_worker,
        case_id=case.pk,
        dimension="health",
        goal="Home care",
        action="Nurse visits",
        agency_id=agency.pk,
        due_date=in_days(10),
    )
    for actor, goal in ((home.volunteer.user, mine), (case_worker, theirs)):
        goal = goals.set_goal_progress(actor=actor, goal_id=goal.pk, version=1, progress=40)
        assert (goal.progress, goal.version) == (40, 2)
        with pytest.raises(StaleVersionError):
            goals.update_goal(actor=actor, goal_id=goal.pk, version=1, action="x")
        done = goals.complete_goal(actor=actor, goal_id=goal.pk, version=2, note="ok")
        assert (done.status, done.progress) == (GoalStatus.DONE, 100)
        with pytest.raises(ValidationError, match="already Done"):
            goals.update_goal(actor=actor, goal_id=goal.pk, version=3, action="x")


def test_a_household_goal_needs_someone_who_helps_and_a_percentage(home, agency, worker):
    plan = start(home)
    user = home.volunteer.user
    with pytest.raises(ValidationError, match="Choose who helps"):
        household_goal(plan, user)
    with pytest.raises(ValidationError, match="0 to 100"):
        household_goal(plan, user, agency_id=agency.pk, progress=120)
    with pytest.raises(ValidationError, match="known responsible agency"):
        household_goal(plan, user, agency_id=999999)
    other = make_volunteer(worker, subdistrict="570102")
    with pytest.raises(ValidationError, match="working volunteer"):
        household_goal(plan, user, volunteer_id=other.pk)
    assert not PlanGoal.objects.exists()
    assert household_goal(plan, user, agency_id=agency.pk).agency == agency


def test_a_case_plan_still_needs_a_responsible_agency(agency, case_worker, home):
    case = make_case(agency, home)
    with pytest.raises(ValidationError, match="known responsible agency"):
        goals.add_goal(
            actor=case_worker,
            holder=goals.case_plan(case_worker, case.pk),
            dimension="health",
            goal="g",
            action="a",
            due_date=in_days(1),
            volunteer_id=home.volunteer.pk,
        )


def test_a_dropped_household_goal_needs_a_reason_and_takes_the_plan_role(home, agency, make_user):
    plan = start(home)
    goal = household_goal(plan, home.volunteer.user, agency_id=agency.pk)
    with pytest.raises(ValidationError, match="reason"):
        goals.drop_goal(actor=home.volunteer.user, goal_id=goal.pk, version=1, reason=" ")
    # The steps offered on a household goal are the plan role's, not the case role's.
    moves = {m.action for m in goals.GOALS.allowed_next(goal, home.volunteer.user)}
    assert moves == {"done", "drop"}
    inspector = make_user(Role.INSPECTOR)
    assert goals.GOALS.allowed_next(goal, inspector) == []
    dropped = goals.drop_goal(actor=home.volunteer.user, goal_id=goal.pk, version=1, reason="moved")
    assert dropped.status == GoalStatus.DROPPED


def test_a_household_goal_is_404_to_outsiders_and_other_volunteers(
    home, agency, outsider, make_user, worker
):
    plan = start(home)
    goal = household_goal(plan, home.volunteer.user, agency_id=agency.pk)
    stranger = make_volunteer(worker)  # same sub-district, not assigned this household
    reader = make_user(Role.INSPECTOR, level=ScopeLevel.PROVINCE, code="57")
    for who in (outsider, stranger.user, reader):
        with pytest.raises(NotInScopeError):
            goals.update_goal(actor=who, goal_id=goal.pk, version=1, action="x")
        with pytest.raises(NotInScopeError):
            household_goal(plan, who, agency_id=agency.pk)
    # The case plan's service does not reach a household goal, nor the reverse.
    with pytest.raises(NotInScopeError):
        case_plans.update_plan_goal(actor=outsider, goal_id=goal.pk, version=1, action="x")
