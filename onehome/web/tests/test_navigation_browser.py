"""In a real browser (Debian's Chromium through Playwright), in Thai: the main menu fits at
360, 768, 1024, 1280 and 1920 px for a user who holds many roles (the most groups and items
there are): no page scrolls sideways, the bar is one line from 1200 px up (under 80 px
tall) and the phone's menu below, no label breaks over two lines (a Thai word cut in
two), and the current page and its group are marked. ONEHOME_SCREENSHOT_DIR=<dir> keeps
screenshots of the menu at each width."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from onehome.access.models import Role, ScopeLevel, User

WIDTHS = (360, 768, 1024, 1280, 1920)
EXPANDED_FROM = 1200  # navbar-expand-xl

# Every label of the menu: its box is one line high (a wrapped Thai label is two or more).
ONE_LINE = """() => [...document.querySelectorAll(
    '#main-nav .nav-link, #main-nav .dropdown-item, .navbar-brand')]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const style = getComputedStyle(el);
    // A text node that wraps has boxes at two heights or more.
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let lines = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      lines = Math.max(lines, tops.size);
    }
    return {text: el.textContent.trim(), lines, right: el.getBoundingClientRect().right,
            nowrap: style.whiteSpace === 'nowrap'};
  })"""


def _shot(page, name: str) -> None:
    if folder := os.environ.get("ONEHOME_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(folder) / f"E-{name}.png"))


@pytest.fixture
def many_roles(live_data):
    """A user who holds every role but the hotline's (the largest menu there is), with a
    long name."""
    roles = [r.value for r in Role if r != Role.HOTLINE_OPERATOR]
    return User.objects.create_user(
        username="many-roles",
        password="many-roles-pw",
        roles=roles,
        scope_level=ScopeLevel.PROVINCE,
        scope_code="57",
        first_name="ผู้ทดสอบเมนู",
        last_name="ชื่อยาวมากเป็นพิเศษสำหรับทดสอบ",
    )


def _tab(browser, base: str, user: User):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="th-TH")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _labels_fit(page, width: int, where: str) -> None:
    labels = page.evaluate(ONE_LINE)
    assert labels, where
    for label in labels:
        assert label["lines"] == 1 and label["nowrap"], f"{where}: {label}"
        assert label["right"] <= width + 0.5, f"{where}: {label}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where


@pytest.mark.browser
@pytest.mark.once_in_ci("sqlite")
def test_the_menu_fits_every_width_without_breaking_a_thai_word(live_server, browser, many_roles):
    page = _tab(browser, live_server.url, many_roles)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/cases/dispatch/")
        where = f"{width}px"
        nav = page.locator("nav.navbar")
        toggler = page.locator("button.navbar-toggler")
        if width >= EXPANDED_FROM:
            assert not toggler.is_visible(), where
            assert nav.bounding_box()["height"] < 80, where
            groups = page.locator("#menu-groups > li")
            assert groups.count() == 6, where
            tops = {round(groups.nth(i).bounding_box()["y"]) for i in range(groups.count())}
            assert len(tops) == 1, f"{where}: the groups sit on one line"
        else:
            assert toggler.is_visible(), where
            assert nav.bounding_box()["height"] < 80, f"{where}: closed, the bar is one line"
            toggler.click()
            page.wait_for_selector("#main-nav.show:not(.collapsing)")
        _labels_fit(page, width, where)
        # Each group opens to one-line items that stay on the screen.
        for key in ("registry", "cases", "targeting", "network", "oversight", "account"):
            page.locator(f"li[data-group={key}] summary").click()
            menu = page.locator(f"li[data-group={key}] .dropdown-menu")
            assert menu.is_visible(), f"{where} {key}"
            _labels_fit(page, width, f"{where} {key}")
            if width >= EXPANDED_FROM:
                box = menu.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{where} {key}"
            _shot(page, f"menu-{width}-{key}")
            page.keyboard.press("Escape")
        # The current page is marked, and its group.
        current = page.locator("#main-nav [aria-current=page]")
        assert current.count() == 1 and current.get_attribute("href") == "/cases/dispatch/"
        assert page.locator("li[data-group=cases] summary[aria-current=true]").count() == 1
        assert page.locator("#menu-groups [aria-current=true]").count() == 1
    page.context.close()
