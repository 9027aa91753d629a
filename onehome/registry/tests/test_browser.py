"""In a real browser (Debian's Chromium through Playwright): a worker logs in, finds a
person by a misspelt Thai name, opens the person and then their household."""

import pytest

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.registry import services


@pytest.fixture
def household_with_head(live_data, make_user):
    worker = make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)
    worker.set_password("browser-test-pw")
    worker.save()
    person = services.register_person(
        actor=worker, id_type="none", first_name_th="ประเสริฐ", last_name_th="ศรีสวัสดิ์",
        birth_year=1958, subdistrict="570101", village="57010101",
    )  # fmt: skip
    household = services.create_household(
        actor=worker, subdistrict="570101", village="57010101", house_no="88/1"
    )
    services.add_member(
        actor=worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    return worker, person, household


@pytest.mark.browser
def test_log_in_search_and_open_a_household(live_server, browser, household_with_head):
    worker, person, household = household_with_head
    page = signed_in_page(browser, live_server.url, worker.username, "browser-test-pw")

    page.goto(f"{live_server.url}/people/")
    page.fill("input[name=q]", "ประเสิฐ ศรีสวัด")  # two typos
    page.keyboard.press("Enter")
    page.locator(f"a[href='/people/{person.pk}/']").first.click()
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    assert "ศรีสวัสดิ์" in page.content()

    page.locator(f"a[href='/people/households/{household.pk}/']").first.click()
    page.wait_for_url(f"{live_server.url}/people/households/{household.pk}/")
    assert "88/1" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    page.close()
