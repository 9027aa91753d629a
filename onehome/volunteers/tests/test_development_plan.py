"""A household development plan: agreeing it, goals proposed from the deprivations found
(targeting first, else the record book), and the follow-up schedule (answered by visits,
overdue visible to the centre)."""

import pytest

from onehome.access.models import AuditEvent, Role, ScopeLevel
from onehome.cases.models import Dimension
from onehome.errors import NotInScopeError, ValidationError
from onehome.targeting.tests import finished
from onehome.volunteers.development import selectors
from onehome.volunteers.development import services as development
from onehome.volunteers.development.proposals import propose_goals
from onehome.volunteers.models import (
    CourseStatus,
    Enrollment,
    FollowUp,
    HouseholdPlan,
    RecordBookEntry,
)
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, today, visit_on

pytestmark = pytest.mark.usefixtures("english")


def test_a_plan_is_agreed_with_a_member_and_schedules_the_first_visit(home):
    plan = start(home, agreed_on=in_days(-3), days=14)
    assert (plan.agreed_with, plan.follow_up_days) == (home.head, 14)
    assert [f.due_on for f in selectors.due_follow_ups(home)] == [in_days(11)]
    assert AuditEvent.objects.filter(object_type="volunteers.householdplan").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"agreed_on": in_days(2)}, "future"),
        ({"follow_up_days": 3}, "every 7 to 180 days"),
        ({"agreed_with_id": 0}, "member of the household"),
    ],
)
def test_a_wrong_plan_is_refused_and_writes_nothing(home, change, message):
    values = {
        "actor": home.volunteer.user,
        "household_id": home.pk,
        "agreed_on": today(),
        "agreed_with_id": home.head.pk,
        "follow_up_days": 30,
    }
    values.update(change)
    with pytest.raises(ValidationError, match=message):
        development.start_plan(**values)
    assert not HouseholdPlan.objects.exists() and not FollowUp.objects.exists()


def test_a_household_has_one_plan_and_outsiders_get_404(home, outsider, make_user):
    start(home)
    with pytest.raises(ValidationError, match="already has a development plan"):
        start(home)
    analyst = make_user(Role.ANALYST, level=ScopeLevel.NATION, code="")
    for who in (outsider, analyst):
        with pytest.raises(NotInScopeError):
            start(home, who)


def test_a_visit_answers_the_oldest_follow_up_and_schedules_the_next_on_the_grid(home):
    start(home, agreed_on=in_days(-70), days=30)  # due on day -40: overdue
    first = FollowUp.objects.get()
    late = visit_on(home, in_days(-5))
    answered = development.answer_follow_up(late)
    assert answered == first and FollowUp.objects.get(pk=first.pk).visit == late
    # The next day of the grid after the visit (agreed -70: -40, -10, +20).
    assert [f.due_on for f in selectors.due_follow_ups(home)] == [in_days(20)]
    # The same visit again (a retried sync) answers nothing more.
    assert development.answer_follow_up(late) is None
    assert FollowUp.objects.count() == 2


def test_a_visit_before_the_plan_or_without_one_answers_nothing(home):
    assert development.answer_follow_up(visit_on(home, today())) is None
    start(home, agreed_on=in_days(-2))
    assert development.answer_follow_up(visit_on(home, in_days(-10))) is None
    assert FollowUp.objects.filter(visit__isnull=False).count() == 0


def test_record_visit_answers_the_follow_up_in_its_transaction(home):
    from onehome.volunteers.visits.services import record_visit

    start(home, agreed_on=in_days(-40))
    visit = record_visit(
        actor=home.volunteer.user,
        household_id=home.pk,
        visited_on=today(),
        answers={"safe_food": True},
        present_ids=[home.head.pk],
        needs=[],
    )
    assert FollowUp.objects.filter(visit=visit).exists()


def test_overdue_follow_ups_are_listed_for_the_centre_oldest_first(home, staff, outsider, worker):
    start(home, agreed_on=in_days(-70), days=30)
    FollowUp.objects.create(household=home, due_on=in_days(-60))
    rows = list(selectors.overdue_follow_ups(user=staff))
    assert [r.due_on for r in rows] == [in_days(-60), in_days(-40)]
    assert list(selectors.overdue_follow_ups(user=staff, area="570102")) == []
    assert list(selectors.overdue_follow_ups(user=outsider)) == []
    # A household that left the course is no longer followed.
    Enrollment.objects.create(
        household=home, enrolled_on=in_days(-80), status=CourseStatus.LEFT, created_by=worker
    )
    assert list(selectors.overdue_follow_ups(user=staff)) == []


def test_goals_are_proposed_from_the_deprivations_targeting_found(
    home, make_person, worker, tmp_path
):
    from onehome.registry import services as registry

    run = finished.finished_run(tmp_path)
    for key in (finished.KEY_H1_ELDER, finished.KEY_H1_ADULT):
        person = make_person("สมาชิก", "สำรวจ", id_number=key)
        registry.add_member(
            actor=worker, household_id=home.pk, person_id=person.pk, relationship="relative"
        )
    proposals, where = propose_goals(user=worker, household=home)
    assert str(run.pk) in where
    assert {p.dimension for p in proposals} == {Dimension.ACCESS, Dimension.INCOME}
    assert {p.source for p in proposals} == {"survey"}
    assert all(p.goal.startswith("Meet:") and p.due_date > today() for p in proposals)
    # Nothing is saved, and the survey read is audited.
    assert not HouseholdPlan.objects.exists()
    assert AuditEvent.objects.filter(
        object_type="targeting.surveyhousehold", household_id=home.pk
    ).exists()


def test_without_survey_deprivations_goals_come_from_the_latest_record_book(home, worker):
    old, new = visit_on(home, in_days(-40)), visit_on(home, in_days(-2))

    def answer(visit, question, dimension, deprived):
        RecordBookEntry.objects.create(
            household=home,
            visit=visit,
            dimension=dimension,
            question=question,
            value=not deprived,
            deprived=deprived,
            recorded_on=visit.visited_on,
        )

    answer(old, "safe_food", "health", True)
    answer(new, "safe_food", "health", False)  # better since: not proposed
    answer(old, "drinking_water", "living", True)  # still the latest answer: proposed
    proposals, _where = propose_goals(user=worker, household=home)
    assert [(p.dimension, p.source) for p in proposals] == [("living", "record_book")]


def test_open_goals_are_the_plans_open_goals(home, agency):
    plan = start(home)
    goal = development.add_household_goal(
        actor=home.volunteer.user,
        plan_id=plan.pk,
        dimension="health",
        goal="Clean water",
        action="Buy a filter",
        due_date=in_days(30),
        agency_id=agency.pk,
    )
    assert list(selectors.open_goals(home)) == [goal]
    groups = selectors.goals_by_dimension(plan)
    assert [(g.dimension, g.progress) for g in groups] == [("health", 0)]
