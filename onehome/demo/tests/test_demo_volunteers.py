"""The demo's volunteers: every status, target households assigned from the run, visits
over several months with the record book, plans in every state, every course status,
help requests that became cases, conflicts waiting for review, and the `volunteer` login
tied to an active volunteer who follows households."""

import io

import pytest
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.utils import timezone

from onehome.access.models import User
from onehome.cases.models import Channel, PlanGoal, ReportStatus
from onehome.demo import cases as demo_cases
from onehome.demo.build import build_demo
from onehome.geo.models import Province
from onehome.geo.services import load_geography
from onehome.registry.models import Household
from onehome.volunteers.models import (
    Assignment,
    AssignmentSource,
    Conflict,
    ConflictStatus,
    CourseStatus,
    Enrollment,
    FollowUp,
    HelpRequest,
    HouseholdPlan,
    Recognition,
    RecordBookEntry,
    Training,
    Visit,
    Volunteer,
    VolunteerClub,
    VolunteerStatus,
)

CHIANG_RAI = "57"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One load of 400 households for the module (with the survey and its runs, without
    the demo's own cases: they have their own tests), rolled back at the end."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo_cases, "province_has_cases", lambda province: True)
        with override_settings(PASSWORD_HASHERS=[MD5]), transaction.atomic():
            if not Province.objects.filter(code=CHIANG_RAI).exists():
                load_geography()
            yield build_demo(households=400, progress=False, stdout=io.StringIO())
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def _in_province(qs, field="household__subdistrict__province_id"):
    return qs.filter(**{field: CHIANG_RAI})


def test_volunteers_in_every_status_with_trainings_awards_clubs_and_villages(demo):
    volunteers = _in_province(Volunteer.objects.all(), "subdistrict__province_id")
    by_status = dict(volunteers.values_list("status").annotate(n=Count("pk")))
    assert all(by_status.get(s, 0) > 0 for s in VolunteerStatus.values), by_status
    assert Training.objects.filter(volunteer__in=volunteers).exists()
    assert Recognition.objects.filter(volunteer__in=volunteers).exists()
    assert VolunteerClub.objects.filter(subdistrict__province_id=CHIANG_RAI).exists()
    assert volunteers.filter(villages__isnull=False).exists()
    assert demo.volunteers.volunteers == by_status


def test_the_volunteer_login_is_an_active_volunteer_with_households(demo):
    login = User.objects.get(username="volunteer")
    volunteer = Volunteer.objects.get(user=login)
    assert volunteer.status == VolunteerStatus.ACTIVE
    assert volunteer.subdistrict_id == login.scope_code
    homes = Household.objects.filter(subdistrict_id=login.scope_code, village__isnull=False)
    assert volunteer.assignments.filter(ended_at__isnull=True).count() >= min(3, homes.count())
    assert volunteer.assignments.filter(ended_at__isnull=True).exists()


def test_target_households_are_assigned_once_with_history(demo):
    assignments = _in_province(Assignment.objects.all())
    assert assignments.filter(source=AssignmentSource.TARGET_LIST, run__isnull=False).exists()
    assert assignments.filter(ended_at__isnull=False).exists()  # reassigned: history kept
    open_ = assignments.filter(ended_at__isnull=True)
    assert open_.values("household").distinct().count() == open_.count()
    working = {VolunteerStatus.APPOINTED, VolunteerStatus.ACTIVE}
    assert set(open_.values_list("volunteer__status", flat=True)) <= working


def test_visits_over_several_months_fill_the_record_book(demo):
    visits = _in_province(Visit.objects.all())
    months = visits.annotate(m=TruncMonth("visited_on")).values("m").distinct().count()
    assert months >= 4
    assert visits.filter(visited_on__gt=timezone.localdate()).count() == 0
    book = _in_province(RecordBookEntry.objects.all())
    assert book.filter(deprived=True).exists() and book.filter(deprived=False).exists()
    assert set(book.values_list("dimension", flat=True)) == {
        "health", "living", "education", "income", "access"
    }  # fmt: skip
    assert Visit.present.through.objects.filter(visit__in=visits).exists()


def test_every_course_status_and_plan_state(demo):
    enrollments = _in_province(Enrollment.objects.all())
    by_status = dict(enrollments.values_list("status").annotate(n=Count("pk")))
    assert all(by_status.get(s, 0) > 0 for s in CourseStatus.values), by_status
    graduated = enrollments.filter(status=CourseStatus.GRADUATED)
    assert not graduated.filter(graduated_on__isnull=True).exists()
    plans = _in_province(HouseholdPlan.objects.all())
    assert plans.filter(agreed_on__isnull=True).exists()  # a draft
    goals = PlanGoal.objects.filter(household_plan__in=plans)
    assert set(goals.values_list("status", flat=True)) == {"open", "done", "dropped"}
    assert not PlanGoal.objects.filter(household_plan__in=plans, case__isnull=False).exists()
    assert all(demo.volunteers.plans.get(s, 0) > 0 for s in
               ("none", "draft", "agreed", "in_progress", "done", "closed"))  # fmt: skip


def test_follow_ups_done_open_and_overdue(demo):
    follow_ups = _in_province(FollowUp.objects.all())
    today = timezone.localdate()
    assert follow_ups.filter(visit__isnull=False).exists()
    assert follow_ups.filter(visit__isnull=True, due_on__lt=today).exists()  # overdue
    assert follow_ups.filter(visit__isnull=True, due_on__gte=today).exists()


def test_help_requests_went_into_the_intake_and_became_cases(demo):
    requests = _in_province(HelpRequest.objects.all())
    assert requests.count() == demo.volunteers.help_requests > 0
    assert set(requests.values_list("report__channel", flat=True)) == {Channel.VOLUNTEER}
    accepted = requests.filter(report__status=ReportStatus.ACCEPTED, report__case__isnull=False)
    assert accepted.exists()
    assert requests.filter(kind="cash_aid", amount__isnull=False).exists()
    for r in accepted.select_related("report__case"):
        assert r.report.case.household_id == r.household_id


def test_conflicts_wait_for_review(demo):
    conflicts = _in_province(Conflict.objects.all())
    assert conflicts.filter(status=ConflictStatus.OPEN).exists()
    login = Volunteer.objects.get(user__username="volunteer")
    if login.assignments.filter(ended_at__isnull=True).count() >= 3:
        assert conflicts.filter(status=ConflictStatus.OPEN, target="person").exists()
        assert conflicts.filter(status=ConflictStatus.RESOLVED).exists()
    for c in conflicts.filter(status=ConflictStatus.OPEN):
        assert c.theirs != c.mine and c.mine_by.username == "volunteer"


def test_a_second_load_adds_no_volunteers(demo):
    before = Volunteer.objects.count(), Visit.objects.count()
    with override_settings(PASSWORD_HASHERS=[MD5]):
        again = build_demo(households=400, progress=False, stdout=io.StringIO())
    assert again.volunteers is None
    assert (Volunteer.objects.count(), Visit.objects.count()) == before
