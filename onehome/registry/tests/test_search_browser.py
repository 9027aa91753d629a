"""In Chromium: a misspelt and a romanised name find the person, the result tells who it
is (age, masked ID, village, household) and fits a 360 px phone and a 1280 px screen."""

import os

import pytest

from onehome.access.models import Role
from onehome.conftest import make_thai_id, signed_in_page
from onehome.registry import services

SHOTS = os.environ.get("ONEHOME_SCREENSHOTS", "")


@pytest.fixture
def ruethai(live_data, make_user):
    worker = make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)
    worker.set_password("browser-test-pw")
    worker.save()
    number = make_thai_id()
    person = services.register_person(
        actor=worker, id_type="thai_id", id_number=number, first_name_th="หฤทัย",
        last_name_th="ธนัชพิมพ์กานต์", birth_year=1990, subdistrict="570101",
    )  # fmt: skip
    household = services.create_household(
        actor=worker, subdistrict="570101", village="57010101", house_no="88/1"
    )
    services.add_member(
        actor=worker, household_id=household.pk, person_id=person.pk, relationship="head"
    )
    return worker, person, household, number


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_a_misspelt_or_romanised_name_finds_the_person_on_a_phone(live_server, browser, ruethai):
    worker, person, household, number = ruethai
    page = signed_in_page(browser, live_server.url, worker.username, "browser-test-pw")
    for query in ["หรึทัย", "Ruethai Thanatphimpkan"]:
        page.goto(f"{live_server.url}/people/")
        page.fill("input[name=q]", query)
        page.keyboard.press("Enter")
        page.locator(f"a[href='/people/{person.pk}/']").first.wait_for()
        facts = page.locator(".person-facts").first.inner_text()
        assert number[-4:] in facts and number not in facts
        assert "บ้านทดสอบ" in facts
        assert page.locator(f"a[href='/people/households/{household.pk}/']").count() == 1
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            assert _fits(page), (query, width)
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/search-{width}-{query[:3]}.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/people/?q=ซุปเปอร์แมน")
    assert "ซุปเปอร์แมน" in page.locator("#results [role=status]").inner_text()
    assert _fits(page)
