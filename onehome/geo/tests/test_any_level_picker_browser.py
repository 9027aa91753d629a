"""The any-level area picker in a real browser on a 360 px phone: on the person search a
worker types "เชียงราย" and chooses the province, which searches by its code; on the
year-over-year page an analyst chooses a district by name. No sideways scroll."""

import pytest

from onehome.access.models import Role, ScopeLevel, User
from onehome.conftest import signed_in_page

PASSWORD = "browser-test-pw"


def choose_first(page, box: str, text: str) -> str:
    page.fill(box, "")
    page.type(box, text, delay=40)
    option = page.locator(f"{box}_list [role=option]").first
    option.wait_for()
    label = option.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    return label


@pytest.mark.browser
def test_the_search_and_compare_areas_are_chosen_by_name(live_server, live_data, browser):
    User.objects.create_user(
        username="area-worker", password=PASSWORD, first_name="area",
        roles=[Role.SOCIAL_WORKER, Role.ANALYST], scope_level=ScopeLevel.PROVINCE,
        scope_code="57",
    )  # fmt: skip
    base = live_server.url
    page = signed_in_page(browser, base, "area-worker", PASSWORD)
    page.goto(f"{base}/people/")
    assert "จังหวัดเชียงราย" in choose_first(page, "#id_area", "เชียงราย")
    assert page.input_value("#id_area_value") == "57"
    assert page.input_value("#id_area") == "จังหวัดเชียงราย"
    page.wait_for_url("**area=57**")  # choosing searched (htmx), by the code
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{base}/targeting/compare/")
    label = choose_first(page, "#id_area", "อำเภอเมืองเชียงราย")
    assert "อำเภอเมืองเชียงราย" in label
    assert page.input_value("#id_area_value") == "5701"
    assert "5701" in page.inner_text("#id_area_chosen")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
