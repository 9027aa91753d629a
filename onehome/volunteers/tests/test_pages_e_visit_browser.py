"""The visit form in Chromium at 360 px: every tick box and radio button is a target of at
least 44 × 44 px, and the photo is chosen with a labelled button in the page's language
(not the browser's English "Choose File"), reachable from the keyboard, that shows the
chosen file's name; the photo is saved with the visit."""

import os

import pytest
from django.utils import translation

from onehome.conftest import signed_in_page
from onehome.volunteers.models import Visit
from onehome.volunteers.tests.test_visits_browser import volunteer_home  # noqa: F401 (fixture)

SHOTS = os.environ.get("ONEHOME_SCREENSHOTS", "")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
TOUCH = 44


def _too_small(page, selector: str) -> list[str]:
    """The labels under ``selector`` whose box is under 44 px high or wide."""
    small = []
    for label in page.locator(selector).all():
        box = label.bounding_box()
        if box is None or box["height"] < TOUCH or box["width"] < TOUCH:
            small.append(f"{label.inner_text()!r} {box}")
    return small


@pytest.mark.browser
def test_the_visit_forms_choices_and_photo_button_fit_a_thumb(
    live_server,
    browser,
    volunteer_home,  # noqa: F811
    tmp_path,
):
    volunteer, household, head = volunteer_home
    page = signed_in_page(browser, live_server.url, volunteer.user.username, "browser-test-pw")
    page.goto(f"{live_server.url}/volunteers/households/{household.pk}/visits/new/")
    radios = page.locator("form.visit-form [role=radiogroup] .form-check-label")
    ticks = page.locator("form.visit-form input[type=checkbox] + .form-check-label")
    assert radios.count() > 5 and ticks.count() > 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _too_small(page, "form.visit-form [role=radiogroup] .form-check-label") == []
    assert _too_small(page, "form.visit-form input[type=checkbox] + .form-check-label") == []
    # A tap on the chip beside the label's text (over the box itself) still ticks it.
    chip = page.locator("input[name=q_safe_food][value=no]").locator("xpath=..")
    box = chip.bounding_box()
    page.mouse.click(box["x"] + 6, box["y"] + box["height"] / 2)
    assert page.locator("input[name=q_safe_food][value=no]").is_checked()

    photo = page.locator("input[type=file][name=photo]")
    native = photo.bounding_box()
    assert native is None or (native["width"] <= 1 and native["height"] <= 1)
    button = page.locator("label[for=id_photo] .btn")
    with translation.override("th"):
        assert button.inner_text().strip() == translation.gettext("Choose a photo")
    assert button.bounding_box()["height"] >= TOUCH
    assert "Choose File" not in page.locator("label[for=id_photo]").inner_text()

    page.locator("textarea[name=notes]").click()
    page.keyboard.press("Tab")  # the next stop is the (hidden) file input itself
    assert page.evaluate("document.activeElement.id") == "id_photo"
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid"  # the focus shows on the button the person sees

    picture = tmp_path / "บ้านเลขที่-12.png"
    picture.write_bytes(PNG)
    photo.set_input_files(str(picture))
    assert page.locator("#id_photo_name").inner_text() == picture.name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/visit-form-e-360.png", full_page=True)
        page.locator("form.visit-form fieldset").first.screenshot(path=f"{SHOTS}/e-present.png")
        page.locator("form.visit-form fieldset").last.screenshot(path=f"{SHOTS}/e-needs.png")
        page.locator("form.visit-form fieldset.card").first.screenshot(path=f"{SHOTS}/e-q.png")
        page.locator("label[for=id_photo]").locator("xpath=..").screenshot(
            path=f"{SHOTS}/e-photo.png"
        )
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/volunteers/visits/**")
    visit = Visit.objects.get(household=household)
    assert visit.photo and visit.photo.name.endswith(".png")
