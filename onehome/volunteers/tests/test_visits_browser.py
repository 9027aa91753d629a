"""In Chromium at 360 px: a volunteer fills the visit form (Thai), saves it, reads the
message saying what happened, and the record book shows the dimension's chart; both pages
fit the phone."""

import datetime as dt
import os

import pytest

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.registry import services as registry
from onehome.volunteers.models import RecordBookEntry
from onehome.volunteers.tests.factories import assign, make_volunteer

SHOTS = os.environ.get("ONEHOME_SCREENSHOTS", "")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def volunteer_home(live_data, make_user):
    staff = make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)
    household = registry.create_household(actor=staff, subdistrict="570101", house_no="12/3")
    head = registry.register_person(
        actor=staff, first_name_th="บุญมา", last_name_th="ทองดี", subdistrict="570101",
        id_type="none", id_number=None, birth_year=1950, acknowledge_duplicates=True,
    )  # fmt: skip
    registry.add_member(
        actor=staff, household_id=household.pk, person_id=head.pk, relationship="head",
        since=dt.date(2015, 1, 1),
    )  # fmt: skip
    volunteer = make_volunteer(staff)
    volunteer.user.set_password("browser-test-pw")
    volunteer.user.save()
    assign(volunteer, household, by=staff)
    return volunteer, household, head


@pytest.mark.browser
def test_a_volunteer_records_a_visit_on_a_phone(live_server, browser, volunteer_home):
    volunteer, household, head = volunteer_home
    page = signed_in_page(browser, live_server.url, volunteer.user.username, "browser-test-pw")
    page.goto(f"{live_server.url}/volunteers/households/{household.pk}/visits/new/")
    assert _fits(page)
    page.get_by_label(head.full_name_th).check()
    page.locator("input[name=q_safe_food][value=no]").check()
    page.fill("input[name=q_income_per_person]", "25000")
    page.locator("input[name=needs][value=food]").check()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/visit-form-360.png", full_page=True)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/volunteers/visits/**")
    assert page.locator(".alert-success").count() == 1  # the message saying what was saved
    assert RecordBookEntry.objects.filter(household=household, deprived=True).count() == 2
    page.goto(f"{live_server.url}/volunteers/households/{household.pk}/record-book/")
    assert page.locator("#dim-health .bar-chart").count() == 1
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/record-book-360.png", full_page=True)
