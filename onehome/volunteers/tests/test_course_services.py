"""A household's course: enrolment (idempotent), the moves that follow the work (plan
agreed, first follow-up), refused moves, leaving with a reason, and graduation on evidence
(a later survey round that no longer finds the household poor, or a recorded assessment)."""

import datetime as dt

import pytest

from onehome.cases.models import Assessment, Dimension
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry import services as registry
from onehome.targeting.tests import finished
from onehome.volunteers.course import services as course
from onehome.volunteers.development import services as development
from onehome.volunteers.models import CourseStatus, Enrollment, GraduationEvidence, RecordBookEntry
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, make_case, start, today, visit_on

pytestmark = pytest.mark.usefixtures("english")
S = CourseStatus


# Enrolled in 2024: the survey rounds of 2025 and 2026 below come after the enrolment.
ENROLLED_2024 = dt.date(2024, 6, 1)


def enrol(home, staff, **kw):
    kw.setdefault("enrolled_on", in_days(-100))
    return course.enrol(actor=staff, household_id=home.pk, **kw)


def in_progress(home, staff, **kw):
    enrollment = enrol(home, staff, **kw)
    start(home, agreed_on=in_days(-90))
    development.answer_follow_up(visit_on(home, in_days(-50)))
    enrollment.refresh_from_db()
    assert enrollment.status == S.IN_PROGRESS
    return enrollment


def test_enrolling_twice_returns_the_same_enrolment(home, staff):
    first = enrol(home, staff)
    again = course.enrol(actor=staff, household_id=home.pk, enrolled_on=today())
    assert again.pk == first.pk and Enrollment.objects.count() == 1
    assert (first.status, first.enrolled_on) == (S.ENROLLED, in_days(-100))


def test_enrolment_is_refused_to_volunteers_outsiders_and_for_a_future_day(home, staff, outsider):
    for who in (home.volunteer.user, outsider):
        with pytest.raises(NotInScopeError):
            enrol(home, who)
    with pytest.raises(ValidationError, match="future"):
        course.enrol(actor=staff, household_id=home.pk, enrolled_on=in_days(1))
    with pytest.raises(ValidationError, match="finished targeting run"):
        enrol(home, staff, run_id=999999)
    assert not Enrollment.objects.exists()


def test_the_plan_and_the_first_follow_up_move_the_course(home, staff):
    enrollment = enrol(home, staff)
    start(home, agreed_on=in_days(-90))
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.plan_agreed_on) == (S.PLAN_AGREED, in_days(-90))
    development.answer_follow_up(visit_on(home, in_days(-50)))
    enrollment.refresh_from_db()
    assert enrollment.status == S.IN_PROGRESS


def test_moves_out_of_order_are_refused_with_the_course_in_words(home, staff):
    enrollment = enrol(home, staff)
    with pytest.raises(ValidationError, match="cannot become “Out of poverty”"):
        course.graduate(
            actor=staff,
            enrollment_id=enrollment.pk,
            version=enrollment.version,
            graduated_on=today(),
            evidence=GraduationEvidence.ASSESSMENT,
            note="fine",
        )
    with pytest.raises(ValidationError, match="Give a reason"):
        course.leave(
            actor=staff, enrollment_id=enrollment.pk, version=1, left_on=today(), reason=""
        )
    left = course.leave(
        actor=staff, enrollment_id=enrollment.pk, version=1, left_on=today(), reason="moved away"
    )
    assert (left.status, left.reason, left.left_on) == (S.LEFT, "moved away", today())
    with pytest.raises(ValidationError, match="already finished"):
        enrol(home, staff)


def test_a_volunteer_may_not_graduate_a_household(home, staff):
    enrollment = in_progress(home, staff)
    with pytest.raises(ValidationError, match="may not"):
        course.leave(
            actor=home.volunteer.user,
            enrollment_id=enrollment.pk,
            version=enrollment.version,
            left_on=today(),
            reason="x",
        )


def test_graduation_on_the_record_book_needs_no_deprivation_and_a_note(home, staff):
    enrollment = in_progress(home, staff)
    kw = {
        "actor": staff,
        "enrollment_id": enrollment.pk,
        "version": enrollment.version,
        "graduated_on": today(),
        "evidence": GraduationEvidence.ASSESSMENT,
    }
    with pytest.raises(ValidationError, match="note"):
        course.graduate(**kw, note="")
    with pytest.raises(ValidationError, match="record book is empty"):
        course.graduate(**kw, note="all fine")
    visit = visit_on(home, in_days(-1))
    entry = RecordBookEntry.objects.create(
        household=home,
        visit=visit,
        dimension="income",
        question="income_per_person",
        value=20000,
        deprived=True,
        recorded_on=visit.visited_on,
    )
    with pytest.raises(ValidationError, match="still shows deprivation in: Income"):
        course.graduate(**kw, note="all fine")
    RecordBookEntry.objects.filter(pk=entry.pk).update(deprived=False)
    done = course.graduate(**kw, note="all fine")
    assert (done.status, done.evidence, done.graduated_on) == (
        S.GRADUATED,
        GraduationEvidence.ASSESSMENT,
        today(),
    )


def test_graduation_on_a_case_assessment_needs_no_need_in_any_dimension(home, staff, agency):
    enrollment = in_progress(home, staff)
    case = make_case(agency, home)
    levels = {d.value: {"level": 0, "note": ""} for d in Dimension}
    needy = Assessment.objects.create(
        case=case, assessed_by=staff, dimensions={**levels, "health": {"level": 2}}
    )
    kw = {
        "actor": staff,
        "enrollment_id": enrollment.pk,
        "version": enrollment.version,
        "graduated_on": today(),
        "evidence": GraduationEvidence.ASSESSMENT,
        "note": "assessed",
    }
    with pytest.raises(ValidationError, match="still finds needs in: Health"):
        course.graduate(**kw, assessment_id=needy.pk)
    fine = Assessment.objects.create(case=case, assessed_by=staff, dimensions=levels)
    assert course.graduate(**kw, assessment_id=fine.pk).status == S.GRADUATED


def test_graduation_on_a_survey_round_checks_the_round_found_it_not_poor(
    home, staff, worker, make_person, tmp_path
):
    for key in (finished.KEY_H1_ELDER, finished.KEY_H1_ADULT):
        person = make_person("สมาชิก", "สำรวจ", id_number=key)
        registry.add_member(
            actor=worker, household_id=home.pk, person_id=person.pk, relationship="relative"
        )
    first = finished.finished_run(tmp_path, year=2024)
    enrollment = course.enrol(
        actor=staff, household_id=home.pk, enrolled_on=ENROLLED_2024, run_id=first.pk
    )
    start(home, agreed_on=in_days(-90))
    development.answer_follow_up(visit_on(home, in_days(-50)))
    enrollment.refresh_from_db()
    frame = finished.people()
    h1 = frame["household_id"] == "H1"
    frame.loc[h1, "bmn22_income_per_person"] = 90_000.0
    frame.loc[h1, "bmn27_elderly_cared_for"] = True
    frame.loc[h1, "bmn20_has_occupation"] = True
    better = finished.finished_run(tmp_path, year=2025, frame=frame, name="better")
    kw = {
        "actor": staff,
        "enrollment_id": enrollment.pk,
        "version": enrollment.version,
        "graduated_on": today(),
        "evidence": GraduationEvidence.SURVEY_ROUND,
    }
    with pytest.raises(ValidationError, match="after the one that brought"):
        course.graduate(**kw, round_id=first.survey_round_id)
    unsurveyed = finished.finished_run(
        tmp_path, year=2026, frame=frame[~h1].reset_index(drop=True), name="without"
    )
    with pytest.raises(ValidationError, match="did not survey the household"):
        course.graduate(**kw, round_id=unsurveyed.survey_round_id)
    done = course.graduate(**kw, round_id=better.survey_round_id)
    assert (done.status, done.evidence_round_id) == (S.GRADUATED, better.survey_round_id)


def test_a_survey_round_that_still_finds_the_household_poor_is_refused(
    home, staff, worker, make_person, tmp_path
):
    for key in (finished.KEY_H1_ELDER, finished.KEY_H1_ADULT):
        person = make_person("สมาชิก", "สำรวจ", id_number=key)
        registry.add_member(
            actor=worker, household_id=home.pk, person_id=person.pk, relationship="relative"
        )
    enrollment = in_progress(home, staff, enrolled_on=ENROLLED_2024)
    still = finished.finished_run(tmp_path, year=2025)
    with pytest.raises(ValidationError, match="still poor in this survey round"):
        course.graduate(
            actor=staff,
            enrollment_id=enrollment.pk,
            version=enrollment.version,
            graduated_on=today(),
            evidence=GraduationEvidence.SURVEY_ROUND,
            round_id=still.survey_round_id,
        )
    enrollment.refresh_from_db()
    assert enrollment.status == S.IN_PROGRESS
