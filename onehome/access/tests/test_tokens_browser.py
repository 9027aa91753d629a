"""In a real browser (Debian's Chromium through Playwright), in Thai, on a phone and on a
desktop: a worker opens their API tokens page from the menu, sees each token's prefix (never
the token) and revokes one. ONEHOME_SCREENSHOT_DIR=<dir> keeps screenshots of the page."""

import os
from pathlib import Path

import pytest

from onehome.access.models import Role
from onehome.access.tokens import services
from onehome.conftest import signed_in_page

PASSWORD = "browser-test-pw-7"


def _shot(page, name: str) -> None:
    if folder := os.environ.get("ONEHOME_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"C-{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_worker_revokes_a_token_on_the_page(live_server, browser, live_data, make_user):
    worker = make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)
    worker.set_password(PASSWORD)
    worker.save()
    (_a, keep), (_b, gone) = services.issue(user=worker), services.issue(user=worker)
    page = signed_in_page(browser, live_server.url, worker.username, PASSWORD)

    page.locator("button.navbar-toggler").click()  # the phone's menu
    # Bootstrap opens the menu with a height transition ("collapsing", then "show"): a click
    # while it runs is a race with the layout, so the link is clicked once it is open.
    page.wait_for_selector("#main-nav.show:not(.collapsing)")
    page.locator("li[data-group=account] summary").click()  # the user's own menu
    with page.expect_navigation(url=f"{live_server.url}/account/tokens/"):
        page.locator("a[href='/account/tokens/']").click()
    html = page.content()
    assert keep[:15] in html and gone[:15] in html and keep not in html and gone not in html
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    _shot(page, "tokens-360")

    page.locator(f"form:has(input[value='{gone[:15]}']) button").click()
    page.wait_for_selector(".alert-success")
    assert gone[:15] not in page.locator("ul.list-group").inner_text()
    assert keep[:15] in page.locator("ul.list-group").inner_text()
    _shot(page, "tokens-revoked-360")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    _shot(page, "tokens-1280")
    page.close()
