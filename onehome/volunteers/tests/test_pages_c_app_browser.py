"""The phone app names each household by its head (not by whoever joined it first) and
tells when its copy was made in Thailand's time, whatever zone the phone is set to."""

import datetime as dt

import pytest
from django.utils import timezone

from onehome.access.models import Role
from onehome.registry import services as registry
from onehome.volunteers.tests.factories import assign, make_volunteer


@pytest.fixture
def home_with_elder(live_data, make_user):
    """A household whose grandmother joined before its head."""
    staff = make_user(Role.CENTRE_STAFF, Role.SOCIAL_WORKER)
    household = registry.create_household(
        actor=staff, subdistrict="570101", village="57010101", house_no="8/1"
    )
    for first, relationship, since in (
        ("ทองใบ", "parent", dt.date(2010, 1, 1)),
        ("สมชาย", "head", dt.date(2020, 1, 1)),
    ):
        person = registry.register_person(
            actor=staff, id_type="none", first_name_th=first, last_name_th="ใจดี",
            birth_year=1960, subdistrict="570101", village="57010101",
        )  # fmt: skip
        registry.add_member(
            actor=staff, household_id=household.pk, person_id=person.pk,
            relationship=relationship, since=since,
        )  # fmt: skip
    volunteer = make_volunteer(staff)
    assign(volunteer, household, by=staff)
    return volunteer, household


@pytest.mark.browser
def test_the_app_names_the_head_and_the_copys_time_in_thailand(
    live_server, browser, home_with_elder
):
    volunteer, household = home_with_elder
    warm = browser.new_page()
    warm.goto(f"{live_server.url}/login/", timeout=120_000)
    warm.close()
    # A phone set to UTC: Thailand is seven hours ahead.
    page = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="th-TH", timezone_id="UTC"
    ).new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", volunteer.user.username)
    page.fill("input[name=password]", "pw-for-tests-only")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/volunteers/app/")  # a volunteer lands in the app
    before = timezone.localtime()
    page.goto(f"{live_server.url}/volunteers/app/")
    page.wait_for_selector("body[data-loaded='1']")
    card = page.locator(f"article[data-household='{household.pk}']")
    card.wait_for()
    assert card.locator("h2").inner_text().endswith("สมชาย ใจดี")
    after = timezone.localtime()
    stamp = page.locator("#package-state").inner_text()
    shown = (
        {f"{t.day} " for t in (before, after)},
        {f"{t.year + 543} {t:%H:%M}" for t in (before, after)},
    )
    assert any(d in stamp for d in shown[0]), stamp
    assert any(stamp.endswith(hm) for hm in shown[1]), (stamp, shown)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
