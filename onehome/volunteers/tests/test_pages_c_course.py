"""The course page offers, as graduation evidence, only the survey rounds that could show
the household out of poverty: its province's (or national) rounds surveyed after it came
in, newest first; with none, it says so and proposes a recorded assessment."""

import re

import pytest
from django.urls import reverse

from onehome.targeting.models import SurveyRound
from onehome.volunteers.course import services as course
from onehome.volunteers.development import services as development
from onehome.volunteers.tests.development_helpers import *  # noqa: F403 - its fixtures
from onehome.volunteers.tests.development_helpers import in_days, start, today, visit_on

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def _round(year: int, province: str | None) -> SurveyRound:
    name = f"r{year}-{province}"
    return SurveyRound.objects.create(
        year=year, name=name, province_id=province, catalogue="bmn", parquet_path="x",
        rows=0, households=0, checksum=name,
    )  # fmt: skip


def _in_progress(home, staff):
    course.enrol(actor=staff, household_id=home.pk, enrolled_on=in_days(-100))
    start(home, agreed_on=in_days(-90))
    development.answer_follow_up(visit_on(home, in_days(-50)))


def _round_options(client, home) -> list[str]:
    html = client.get(reverse("volunteers:course_household", args=[home.pk])).content.decode()
    select = re.search(r'<select name="survey_round".*?</select>', html, re.S)
    assert select, "no graduation form"
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v]


def test_only_later_rounds_of_the_households_province_are_offered(client, home, staff):
    _in_progress(home, staff)
    enrolled = in_days(-100).year
    _round(enrolled, "57")  # the enrolment's year: it may predate the household's coming in
    elsewhere = _round(enrolled + 1, "10")
    later = _round(enrolled + 1, "57")
    national = _round(enrolled + 2, None)
    client.force_login(staff)
    assert _round_options(client, home) == [str(national.pk), str(later.pk)]
    assert str(elsewhere.pk) not in _round_options(client, home)


def test_without_a_later_round_the_page_says_so(client, home, staff):
    _in_progress(home, staff)
    _round(today().year - 5, "57")
    client.force_login(staff)
    page = client.get(reverse("volunteers:course_household", args=[home.pk])).content.decode()
    assert "No survey round after the enrolment yet" in page
    assert re.search(r'<option value="assessment" selected>', page)
