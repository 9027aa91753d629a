"""The course's pages and API, and the project's progress per area and fiscal year beside
the year-over-year targeting comparison; 404 for everyone outside."""

import datetime as dt

import pytest
from django.urls import reverse

from onehome.access.models import Role, ScopeLevel
from onehome.core import thai_dates
from onehome.core.thai_dates import fiscal_year
from onehome.targeting.tests import finished
from onehome.volunteers.course import selectors
from onehome.volunteers.course import services as course
from onehome.volunteers.development import services as development
from onehome.volunteers.models import (
    CourseStatus,
    Enrollment,
    GraduationEvidence,
    RecordBookEntry,
)
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, today, visit_on

pytestmark = pytest.mark.usefixtures("english", "english_pages")
FY = fiscal_year(today())


def graduated(home, staff, *, on=None):
    """A household enrolled 100 days ago, plan agreed, visited, out of poverty on ``on``
    (today when not given)."""
    on = on or today()
    enrollment = course.enrol(actor=staff, household_id=home.pk, enrolled_on=in_days(-100))
    start(home, agreed_on=in_days(-90))
    development.answer_follow_up(visit_on(home, in_days(-50)))
    enrollment.refresh_from_db()
    visit = visit_on(home, on)
    RecordBookEntry.objects.create(
        household=home, visit=visit, dimension="income", question="q", value=1,
        deprived=False, recorded_on=on,
    )  # fmt: skip
    return course.graduate(
        actor=staff, enrollment_id=enrollment.pk, version=enrollment.version, graduated_on=on,
        evidence=GraduationEvidence.ASSESSMENT, note="record book clear",
    )  # fmt: skip


def test_progress_counts_per_area_and_fiscal_year(home, staff, make_household, worker):
    graduated(home, staff)
    other = make_household(subdistrict="570102")
    course.enrol(actor=worker, household_id=other.pk, enrolled_on=today())
    report = selectors.progress(user=worker, area="5701", year=FY.year)
    rows = {r.code: r for r in report.rows}
    wiang = rows["570101"]
    assert (wiang.enrolled, wiang.with_plan, wiang.graduated) == (1, 1, 1)
    assert wiang.visited == 1  # the visit of the graduation day is this month
    assert (rows["570102"].enrolled, rows["570102"].graduated) == (1, 0)
    assert (report.total.enrolled, report.total.graduated) == (2, 1)
    # Two years before: enrolled later (100 days ago), so nothing; the year after: Wiang's
    # graduated in the year before, so only the other household is still in the project.
    before = selectors.progress(user=worker, area="5701", year=FY.year - 2)
    assert before.total.enrolled == 0
    after = selectors.progress(user=worker, area="5701", year=FY.year + 1)
    assert (after.total.enrolled, after.total.graduated) == (1, 0)


def test_progress_is_read_in_the_users_area_only(home, staff, outsider):
    graduated(home, staff)
    with pytest.raises(Exception) as raised:
        selectors.progress(user=outsider, area="57")
    assert type(raised.value).__name__ == "NotInScopeError"
    assert selectors.progress(user=outsider).total.enrolled == 0
    assert selectors.progress(user=staff).area == "570101"


def test_progress_is_joined_to_the_year_over_year_comparison(home, staff, worker, client, tmp_path):
    graduated(home, staff)
    finished.finished_run(tmp_path, year=2024)
    frame = finished.people()
    frame.loc[frame["household_id"] == "H1", "bmn22_income_per_person"] = 90_000.0
    frame.loc[frame["household_id"] == "H1", "bmn27_elderly_cared_for"] = True
    frame.loc[frame["household_id"] == "H1", "bmn20_has_occupation"] = True
    finished.finished_run(tmp_path, year=2025, frame=frame, name="later")
    report = selectors.progress(user=worker, area="5701")
    assert report.total.left_poverty == "1" and report.total.graduated == 1
    client.force_login(worker)
    page = client.get(reverse("volunteers:course_progress"), {"area": "5701"})
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("targeting:compare") + "?earlier=" in body
    assert "bar-chart" in body and "Left poverty (survey)" in body


def test_a_fiscal_year_is_chosen_in_the_buddhist_era(client, worker, home, staff):
    graduated(home, staff)
    client.force_login(worker)
    page = client.get(reverse("volunteers:course_progress"), {"fy": FY.buddhist_year - 2})
    assert page.context["report"].year.year == FY.year - 2
    assert page.context["report"].total.enrolled == 0


def test_enrolling_and_leaving_on_the_household_page(client, home, staff):
    client.force_login(staff)
    client.post(
        reverse("volunteers:course_enrol", args=[home.pk]),
        {"enrolled_on": thai_dates.format_input(today())},
    )
    enrollment = Enrollment.objects.get(household=home)
    page = client.get(reverse("volunteers:course_household", args=[home.pk]))
    assert "Record that the household left" in page.content.decode()
    leave = reverse("volunteers:course_step", args=[home.pk, "leave"])
    client.post(leave, {"version": 1, "left_on": thai_dates.format_input(today()), "reason": ""})
    enrollment.refresh_from_db()
    assert enrollment.status == CourseStatus.ENROLLED
    client.post(
        leave, {"version": 1, "left_on": thai_dates.format_input(today()), "reason": "moved"}
    )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.reason) == (CourseStatus.LEFT, "moved")


def test_the_course_through_the_api(client, home, staff):
    client.force_login(staff)
    base = f"/api/volunteers/households/{home.pk}/course/"
    made = client.post(
        base + "enrol/", {"enrolled_on": in_days(-10).isoformat()}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["status"] == "enrolled"
    refused = client.post(
        base + "graduate/",
        {"version": 1, "graduated_on": today().isoformat(), "evidence": "assessment", "note": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "cannot become" in refused.json()["detail"]
    assert client.get(base).json()["status"] == "enrolled"
    progress = client.get("/api/volunteers/course/progress/", {"fy": str(FY.buddhist_year)})
    assert progress.status_code == 200 and progress.json()["total"]["enrolled"] == 1


def test_outsiders_get_404_on_the_course_pages_and_endpoints(
    client, home, staff, outsider, make_user
):
    course.enrol(actor=staff, household_id=home.pk, enrolled_on=today())
    urls = [
        ("get", reverse("volunteers:course_household", args=[home.pk])),
        ("post", reverse("volunteers:course_enrol", args=[home.pk])),
        ("post", reverse("volunteers:course_step", args=[home.pk, "leave"])),
        ("get", f"/api/volunteers/households/{home.pk}/course/"),
        ("post", f"/api/volunteers/households/{home.pk}/course/enrol/"),
        ("post", f"/api/volunteers/households/{home.pk}/course/leave/"),
        ("get", reverse("volunteers:course_progress") + "?area=57"),
        ("get", "/api/volunteers/course/progress/?area=57"),
    ]
    client.force_login(outsider)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    # A volunteer reads no project figures.
    client.force_login(home.volunteer.user)
    assert client.get(reverse("volunteers:course_progress")).status_code == 404
    analyst = make_user(Role.ANALYST, level=ScopeLevel.NATION, code="")
    client.force_login(analyst)
    assert client.get(f"/api/volunteers/households/{home.pk}/course/").status_code == 404


def test_months_of_the_year_are_the_fiscal_years(worker):
    report = selectors.progress(user=worker, year=FY.year - 1)
    start_of_last_month = dt.date(FY.year - 1, 9, 1)
    assert report.month == (start_of_last_month, dt.date(FY.year - 1, 9, 30))
