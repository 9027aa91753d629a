"""The sign-in pages in Chromium, in Thai, on a phone (360 px) and a desktop (1280 px):
login, lockout, enrolment of an authenticator app and the code page fit the screen and
work. ONEHOME_SCREENSHOT_DIR=… keeps a screenshot of each."""

import os
from binascii import unhexlify

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from onehome.access.models import Role, ScopeLevel

PASSWORD = "pw-for-tests-only"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str) -> None:
    if folder := os.environ.get("ONEHOME_SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/B-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.real_sign_in
@pytest.mark.parametrize("width", [360, 1280])
def test_the_sign_in_pages_fit_and_work(live_server, live_data, browser, make_user, width):
    national = make_user(Role.ANALYST, level=ScopeLevel.NATION, code="")
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="th-TH")
    page.set_default_timeout(15_000)

    page.goto(f"{base}/login/")
    assert _fits(page)
    _shot(page, f"login-{width}")

    page.fill("input[name=username]", national.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"{base}/signin/enrol/**")
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    assert _fits(page)
    _shot(page, f"enrol-{width}")
    device = TOTPDevice.objects.get(user=national)
    page.fill("input[name=code]", f"{totp(unhexlify(device.key)):06d}")
    page.locator("form:has(input[name=code]) [type=submit]").click()
    page.wait_for_url(f"{base}/")

    # Signed out, back with the code page.
    page.evaluate("document.querySelector(\"form[action='/logout/']\").submit()")
    page.wait_for_url(f"{base}/login/")
    page.fill("input[name=username]", national.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"{base}/signin/code/**")
    page.fill("input[name=code]", "000000")
    page.locator("form:has(input[name=code]) [type=submit]").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()  # waits for the answer
    assert _fits(page)
    _shot(page, f"code-{width}")

    # Another account locked out after five wrong passwords.
    page.evaluate("document.querySelector(\"form[action='/logout/']\").submit()")
    page.wait_for_url(f"{base}/login/")
    worker = make_user(Role.SOCIAL_WORKER)
    for _n in range(5):
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", worker.username)
        page.fill("input[name=password]", "not-the-password")
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").click()
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("15")  # the minutes to wait
    assert _fits(page)
    _shot(page, f"locked-{width}")
    page.close()
