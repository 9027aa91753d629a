"""The volunteers' pages are reachable from where a social worker already is (the
registry household, the case, the volunteer's record), each link shown only to the roles
its page lets in; the coverage and bulk pages open on the user's own area and the newest
finished run; the progress page's fiscal year starts at this one (Buddhist era); rounds
are named once, as the targeting pages name them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from onehome.access.models import Role, ScopeLevel
from onehome.cases.models import Case, Urgency
from onehome.core import thai_dates
from onehome.targeting.results.labels import round_label
from onehome.volunteers.assignments.forms import run_choices
from onehome.volunteers.tests import assignments_run
from onehome.volunteers.tests.factories import WIANG, make_centre, make_volunteer

target_list = assignments_run.target_list
wiang_villages = assignments_run.wiang_villages

WORK_LINKS = {
    "story_household": True,
    "assignments_household": True,
    "visit_new": False,  # only who may visit
    "visit_record_book": True,
    "development_plan": True,
    "course_household": True,
}


def url(name, *args):
    return reverse(f"volunteers:{name}", args=args)


@pytest.fixture
def home(make_household):
    return make_household(house_no="9")


@pytest.fixture
def wiang_worker(make_user):
    """A social worker of ตำบลเวียง only (the demo's centre staff)."""
    return make_user(
        Role.SOCIAL_WORKER, Role.CENTRE_STAFF, level=ScopeLevel.SUBDISTRICT, code=WIANG
    )


def test_the_household_page_links_every_volunteer_page_for_a_worker(client, worker, home):
    client.force_login(worker)
    body = client.get(reverse("registry:household", args=[home.pk])).content.decode()
    for name in WORK_LINKS:
        assert f'href="{url(name, home.pk)}"' in body, name


def test_an_inspector_sees_the_reading_links_but_not_record_a_visit(client, make_user, home):
    client.force_login(make_user(Role.INSPECTOR))
    page = client.get(reverse("registry:household", args=[home.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for name, shown in WORK_LINKS.items():
        assert (f'href="{url(name, home.pk)}"' in body) is shown, name


def _case(home):
    return Case.objects.create(
        number="LK-0001", urgency=Urgency.NORMAL, category="elderly", title="t",
        subdistrict_id=WIANG, owner=make_centre(), household=home,
    )  # fmt: skip


def test_the_case_page_offers_assign_a_volunteer_to_assigners_only(client, worker, make_user, home):
    case = _case(home)
    link = f'href="{url("assignments_case", case.pk)}"'
    client.force_login(worker)
    assert link in client.get(reverse("cases:case", args=[case.pk])).content.decode()
    client.force_login(make_user(Role.INSPECTOR))
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200 and link not in page.content.decode()


def test_the_volunteer_record_links_their_households_page(client, worker):
    volunteer = make_volunteer(worker)
    client.force_login(worker)
    body = client.get(url("roster_detail", volunteer.pk)).content.decode()
    assert f'href="{url("assignments_volunteer", volunteer.pk)}"' in body
    client.force_login(volunteer.user)  # their own record: no staff page to link
    body = client.get(url("roster_mine")).content.decode()
    assert url("assignments_volunteer", volunteer.pk) not in body


def test_coverage_opens_on_the_users_area_and_the_newest_run(client, wiang_worker, target_list):
    client.force_login(wiang_worker)
    page = client.get(url("assignments_coverage"))
    result = page.context["result"]
    assert result is not None and result.run == target_list
    assert page.context["form"]["area"].value() == WIANG
    assert 'id="coverage-table"' in page.content.decode()


def test_coverage_of_a_province_user_opens_on_their_province(client, worker, target_list):
    client.force_login(worker)
    result = client.get(url("assignments_coverage")).context["result"]
    assert result is not None and result.run == target_list


def test_bulk_opens_with_a_preview_of_the_users_subdistrict(client, wiang_worker, target_list):
    make_volunteer(wiang_worker)
    client.force_login(wiang_worker)
    page = client.get(url("assignments_bulk"))
    plan = page.context["plan"]
    assert plan is not None and plan.subdistrict.code == WIANG and plan.run == target_list
    assert 'id="preview-table"' in page.content.decode()


def test_bulk_for_a_province_user_chooses_the_run_and_waits_for_a_subdistrict(
    client, worker, target_list
):
    client.force_login(worker)
    page = client.get(url("assignments_bulk"))
    assert page.context["plan"] is None
    assert page.context["form"]["run"].value() == target_list.pk
    assert not page.context["form"].errors  # nothing asked yet: no red "required"


def test_runs_are_named_once_as_the_targeting_pages_name_them(target_list):
    [(pk, label)] = run_choices()
    assert pk == target_list.pk
    assert label == f"#{pk} · {round_label(target_list.survey_round)}"
    year = str(thai_dates.era_year(target_list.survey_round.year, thai=True))
    assert label.count(year) == 1


def test_progress_shows_this_fiscal_year_in_buddhist_era(client, worker):
    client.force_login(worker)
    page = client.get(url("course_progress"))
    this = thai_dates.fiscal_year(timezone.localdate())
    assert page.context["form"]["fy"].value() == this.buddhist_year
    assert f'value="{this.buddhist_year}"' in page.content.decode()
