"""Review fixes: a volunteer who is not working reads no household; volunteers never see a
case number through a help request (pages and API); graduation evidence must come after
the enrolment."""

import datetime as dt
import uuid

import pytest
from django.http import Http404
from django.utils import translation

from onehome.cases.models import Assessment, Dimension, ReportStatus
from onehome.errors import ValidationError
from onehome.volunteers.assignments.selectors import assigned_households, household_for_work_or_404
from onehome.volunteers.course import services as course
from onehome.volunteers.development import services as development
from onehome.volunteers.models import (
    CourseStatus,
    GraduationEvidence,
    HelpRequest,
    VolunteerStatus,
)
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import (
    in_days,
    make_case,
    start,
    today,
    visit_on,
)
from onehome.volunteers.visits.services import raise_help_request

pytestmark = pytest.mark.usefixtures("english")


def set_status(volunteer, status):
    type(volunteer).objects.filter(pk=volunteer.pk).update(status=status)


@pytest.mark.parametrize("status", [VolunteerStatus.RESTING, VolunteerStatus.LEFT])
def test_a_volunteer_not_working_reads_no_assigned_household(client, home, status):
    user = home.volunteer.user
    assert list(assigned_households(user=user)) == [home]
    client.force_login(user)
    story = f"/api/volunteers/households/{home.pk}/story/"
    assert client.get(story).status_code == 200
    set_status(home.volunteer, status)
    assert list(assigned_households(user=user)) == []
    with pytest.raises(Http404):
        household_for_work_or_404(user=user, pk=home.pk)
    assert client.get(story).status_code == 404
    assert client.get(f"/volunteers/households/{home.pk}/story/").status_code == 404


def test_an_appointed_volunteer_still_reads_their_households(home):
    set_status(home.volunteer, VolunteerStatus.APPOINTED)
    assert household_for_work_or_404(user=home.volunteer.user, pk=home.pk) == home


@pytest.fixture
def helped(home, agency):
    """A help request whose report was accepted into a case."""
    raise_help_request(
        actor=home.volunteer.user, household_id=home.pk, kind="help",
        summary="ผู้สูงอายุล้ม ต้องการรถเข็น", client_id=uuid.uuid4(),
    )  # fmt: skip
    report = HelpRequest.objects.get().report
    case = make_case(agency, home)
    type(report).objects.filter(pk=report.pk).update(case=case, status=ReportStatus.ACCEPTED)
    return case


def test_a_volunteer_sees_that_the_report_became_a_case_but_not_its_number(client, home, helped):
    client.force_login(home.volunteer.user)
    (row,) = client.get("/api/volunteers/help-requests/").json()
    assert (row["case_number"], row["report_status"]) == (None, ReportStatus.ACCEPTED)
    page = client.get("/volunteers/help-requests/").content.decode()
    with translation.override("th"):
        became_a_case = str(ReportStatus.ACCEPTED.label)
    assert helped.number not in page and became_a_case in page
    story = client.get(f"/api/volunteers/households/{home.pk}/story/").json()
    assert [h["case"] for h in story["help_requests"]] == [None]
    assert story["help_requests"][0]["report_status"] == ReportStatus.ACCEPTED
    assert (
        helped.number not in client.get(f"/volunteers/households/{home.pk}/story/").content.decode()
    )


def test_a_case_reader_sees_the_case_number(client, home, helped, worker):
    client.force_login(worker)
    (row,) = client.get("/api/volunteers/help-requests/").json()
    assert row["case_number"] == helped.number
    assert helped.number in client.get("/volunteers/help-requests/").content.decode()
    story = client.get(f"/api/volunteers/households/{home.pk}/story/").json()
    assert [h["case"] for h in story["help_requests"]] == [helped.pk]


def in_progress(home, staff):
    """A course enrolled 30 days ago, its plan agreed and first follow-up made since."""
    enrollment = course.enrol(actor=staff, household_id=home.pk, enrolled_on=in_days(-30))
    start(home, agreed_on=in_days(-20))
    development.answer_follow_up(visit_on(home, in_days(-10)))
    enrollment.refresh_from_db()
    assert enrollment.status == CourseStatus.IN_PROGRESS
    return enrollment


def graduate(staff, enrollment, **kw):
    return course.graduate(
        actor=staff,
        enrollment_id=enrollment.pk,
        version=enrollment.version,
        graduated_on=today(),
        **kw,
    )


def test_a_survey_round_of_the_enrolment_year_or_before_is_refused(home, staff, tmp_path):
    from onehome.targeting.tests import finished

    enrollment = in_progress(home, staff)
    earlier = finished.finished_run(tmp_path, year=in_days(-30).year)
    with pytest.raises(ValidationError, match="surveyed after the household was enrolled"):
        graduate(
            staff, enrollment, evidence=GraduationEvidence.SURVEY_ROUND,
            round_id=earlier.survey_round_id,
        )  # fmt: skip
    enrollment.refresh_from_db()
    assert enrollment.graduated_on is None


def test_an_assessment_from_before_the_enrolment_is_refused(home, staff, agency):
    enrollment = in_progress(home, staff)
    case = make_case(agency, home)
    levels = {d.value: {"level": 0, "note": ""} for d in Dimension}
    before = Assessment.objects.create(
        case=case,
        assessed_by=staff,
        dimensions=levels,
        assessed_at=dt.datetime.combine(in_days(-31), dt.time(12), tzinfo=dt.UTC),
    )
    kw = {"evidence": GraduationEvidence.ASSESSMENT, "note": "assessed"}
    with pytest.raises(ValidationError, match="on or after the day the household was enrolled"):
        graduate(staff, enrollment, **kw, assessment_id=before.pk)
    enrollment.refresh_from_db()
    assert enrollment.graduated_on is None
