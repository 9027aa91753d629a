"""Assigning households one by one and from a case, reassigning and ending: the checks,
the history kept, one open assignment per household, and what a volunteer may read."""

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from onehome.access.models import AuditEvent, Role
from onehome.cases.models import Case, Urgency
from onehome.errors import NotInScopeError, ValidationError
from onehome.volunteers.assignments import selectors, services, spread
from onehome.volunteers.models import Assignment, AssignmentSource, VolunteerStatus
from onehome.volunteers.tests.factories import (
    WIANG,
    assign,
    make_centre,
    make_village,
    make_volunteer,
)

OTHER_SUBDISTRICT = "570102"


@pytest.fixture
def home(make_household):
    return make_household(village=make_village(WIANG, 1).code)


def test_assign_one_household_writes_an_audited_open_assignment(worker, home):
    volunteer = make_volunteer(worker)
    assignment = services.assign_household(
        actor=worker, household_id=home.pk, volunteer_id=volunteer.pk
    )
    assert assignment.is_open and assignment.source == AssignmentSource.ONE_BY_ONE
    assert AuditEvent.objects.filter(
        object_type="volunteers.assignment", object_id=str(assignment.pk), household_id=home.pk
    ).exists()


def test_assigning_twice_to_the_same_volunteer_changes_nothing(worker, home):
    volunteer = make_volunteer(worker)
    first = services.assign_household(actor=worker, household_id=home.pk, volunteer_id=volunteer.pk)
    again = services.assign_household(actor=worker, household_id=home.pk, volunteer_id=volunteer.pk)
    assert again.pk == first.pk
    assert Assignment.objects.count() == 1


def test_a_household_of_another_volunteer_is_refused_and_must_be_reassigned(worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker)
    services.assign_household(actor=worker, household_id=home.pk, volunteer_id=first.pk)
    with pytest.raises(ValidationError):
        services.assign_household(actor=worker, household_id=home.pk, volunteer_id=second.pk)
    assert Assignment.objects.get().volunteer == first


def test_the_database_keeps_one_open_assignment_per_household(worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker)
    assign(first, home, by=worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        assign(second, home, by=worker)


def test_reassign_ends_the_open_assignment_with_its_reason_and_keeps_the_history(worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker)
    old = services.assign_household(actor=worker, household_id=home.pk, volunteer_id=first.pk)
    new = services.reassign_household(
        actor=worker, household_id=home.pk, volunteer_id=second.pk, reason="ย้ายบ้าน"
    )
    old.refresh_from_db()
    assert old.ended_at is not None and old.end_reason == "ย้ายบ้าน"
    assert new.is_open and new.volunteer == second
    history = selectors.assignment_history(user=worker, household_id=home.pk)
    assert [a.pk for a in history] == [new.pk, old.pk]


def test_reassign_needs_a_reason(worker, home):
    first, second = make_volunteer(worker), make_volunteer(worker)
    services.assign_household(actor=worker, household_id=home.pk, volunteer_id=first.pk)
    with pytest.raises(ValidationError):
        services.reassign_household(
            actor=worker, household_id=home.pk, volunteer_id=second.pk, reason="  "
        )
    assert Assignment.objects.get().volunteer == first


def test_end_assignment_with_a_reason_and_twice_is_harmless(worker, home):
    volunteer = make_volunteer(worker)
    a = services.assign_household(actor=worker, household_id=home.pk, volunteer_id=volunteer.pk)
    with pytest.raises(ValidationError):
        services.end_assignment(actor=worker, assignment_id=a.pk, reason="")
    ended = services.end_assignment(actor=worker, assignment_id=a.pk, reason="ครอบครัวย้ายออก")
    ended_at = ended.ended_at
    again = services.end_assignment(actor=worker, assignment_id=a.pk, reason="อีกครั้ง")
    assert again.ended_at == ended_at and again.end_reason == "ครอบครัวย้ายออก"
    assert not selectors.assigned_households(user=volunteer.user).exists()


@pytest.mark.parametrize("status", [VolunteerStatus.CANDIDATE, VolunteerStatus.RESTING])
def test_a_volunteer_who_is_not_working_cannot_be_given_households(worker, home, status):
    volunteer = make_volunteer(worker, status=status)
    with pytest.raises(ValidationError):
        services.assign_household(actor=worker, household_id=home.pk, volunteer_id=volunteer.pk)
    assert not Assignment.objects.exists()


def test_a_volunteer_of_another_subdistrict_cannot_be_given_the_household(worker, home):
    volunteer = make_volunteer(worker, subdistrict=OTHER_SUBDISTRICT)
    with pytest.raises(ValidationError):
        services.assign_household(actor=worker, household_id=home.pk, volunteer_id=volunteer.pk)


def test_outsiders_and_people_without_the_role_meet_not_found(worker, outsider, make_user, home):
    volunteer = make_volunteer(worker)
    reader = make_user(Role.INSPECTOR)
    for actor in (outsider, reader, volunteer.user):
        with pytest.raises(NotInScopeError):
            services.assign_household(actor=actor, household_id=home.pk, volunteer_id=volunteer.pk)
    a = assign(volunteer, home, by=worker)
    with pytest.raises(NotInScopeError):
        services.end_assignment(actor=outsider, assignment_id=a.pk, reason="x")
    assert Assignment.objects.get().is_open


def test_spread_prefers_the_village_then_the_lighter_load_then_the_older_record(worker):
    v1 = make_volunteer(worker, villages=(1,))
    v2 = make_volunteer(worker, villages=(1,))
    v3 = make_volunteer(worker, villages=(2,))
    slots = spread.working_volunteers(WIANG)
    slot, of_village = spread.choose(slots, f"{WIANG}01")
    assert (slot.id, of_village) == (v1.pk, True)  # same load: the older record
    slot.load += 1
    assert spread.choose(slots, f"{WIANG}01")[0].id == v2.pk  # then the lighter load
    slot, of_village = spread.choose(slots, f"{WIANG}02")
    assert (slot.id, of_village) == (v3.pk, True)  # village before load
    slot.load += 5
    slot, of_village = spread.choose(slots, f"{WIANG}03")  # nobody's village
    assert not of_village and slot.id == v2.pk


def test_assign_from_a_case_picks_a_volunteer_of_the_households_village(worker, home):
    make_volunteer(worker, villages=(2,))
    of_village = make_volunteer(worker, villages=(1,))
    case = Case.objects.create(
        number="VA-00001",
        urgency=Urgency.NORMAL,
        category="elderly",
        title="test case",
        subdistrict_id=WIANG,
        owner=make_centre(),
        household=home,
    )
    a = services.assign_from_case(actor=worker, case_id=case.pk)
    assert a.volunteer == of_village and a.source == AssignmentSource.CASE and a.case == case
    assert services.assign_from_case(actor=worker, case_id=case.pk).pk == a.pk


def test_a_volunteer_reads_only_the_households_assigned_to_them(worker, make_household, home):
    volunteer = make_volunteer(worker)
    other = make_household(village=make_village(WIANG, 1).code)
    assign(volunteer, home, by=worker)
    assert list(selectors.assigned_households(user=volunteer.user)) == [home]
    assert selectors.household_for_work_or_404(user=volunteer.user, pk=home.pk) == home
    with pytest.raises(Http404):
        selectors.household_for_work_or_404(user=volunteer.user, pk=other.pk)


def test_a_volunteers_open_households_and_load(worker, make_household, home):
    volunteer = make_volunteer(worker)
    other = make_household(village=make_village(WIANG, 1).code)
    a = assign(volunteer, home, by=worker)
    assign(volunteer, other, by=worker)
    services.end_assignment(actor=worker, assignment_id=a.pk, reason="ย้าย")
    found, rows = selectors.volunteer_households(user=worker, volunteer_id=volunteer.pk)
    assert found == volunteer and [r.household for r in rows] == [other]
    slots = selectors.volunteers_to_assign(user=worker, subdistrict=WIANG)
    assert [(s.id, s.load) for s in slots] == [(volunteer.pk, 1)]
