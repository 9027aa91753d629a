"""In a real browser (Debian's Chromium at 360 px): a volunteer opens the phone app, loses
the network, records a visit that waits on the phone, reopens the app offline, gets the
network back and sees the visit sent exactly once; signing out empties the phone's store."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.registry import services as registry
from onehome.volunteers.models import Visit
from onehome.volunteers.tests.factories import assign, make_volunteer


@pytest.fixture
def assigned_home(live_data, make_user):
    staff = make_user(Role.CENTRE_STAFF, Role.SOCIAL_WORKER)
    household = registry.create_household(
        actor=staff, subdistrict="570101", village="57010101", house_no="45/6"
    )
    head = registry.register_person(
        actor=staff, id_type="none", first_name_th="บุญมี", last_name_th="ศรีสุข",
        birth_year=1950, subdistrict="570101", village="57010101",
    )  # fmt: skip
    registry.add_member(
        actor=staff, household_id=household.pk, person_id=head.pk, relationship="head",
        since=dt.date(2020, 1, 1),
    )  # fmt: skip
    volunteer = make_volunteer(staff)
    assign(volunteer, household, by=staff)
    household.head = head
    return volunteer, household


def waiting(page) -> str:
    return page.locator("#waiting-count").inner_text()


@pytest.mark.browser
def test_a_visit_made_offline_is_sent_once_and_sign_out_clears_the_phone(
    live_server, browser, assigned_home
):
    volunteer, household = assigned_home
    head = household.head
    # A fresh server's first page cuts the font subsets: slow on a busy machine, so it is
    # opened once with room to spare before the sign-in's own timeouts apply.
    warm = browser.new_page()
    warm.goto(f"{live_server.url}/login/", timeout=120_000)
    warm.close()
    page = signed_in_page(browser, live_server.url, volunteer.user.username, "pw-for-tests-only")
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/volunteers/app/")
    page.wait_for_selector("body[data-loaded='1']")
    card = page.locator(f"article[data-household='{household.pk}']")
    card.wait_for()
    assert "45/6" in card.inner_text() and "บุญมี" in card.inner_text()
    # The shell is cached before the network goes.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.context.set_offline(True)
    card.locator("[data-visit]").click()
    page.locator("#visit-form input[name=present]").first.check()
    page.locator("#visit-form [type=submit]").click()  # no answer yet: refused on the phone
    expect(page.locator("#visit-errors")).to_be_visible()
    page.locator("#questions select").first.select_option(index=1)
    page.locator("#visit-form [type=submit]").click()
    expect(page.locator("#waiting-count")).to_have_text("1")
    assert page.locator(".outbox-item").count() == 1
    assert Visit.objects.count() == 0

    page.reload()  # offline: the service worker opens the app, the queue is still there
    page.wait_for_selector("body[data-ready='1']")
    assert waiting(page) == "1"
    assert page.locator(f"article[data-household='{household.pk}']").count() == 1

    page.context.set_offline(False)  # `online` fires: the queue is sent
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=60_000)
    assert Visit.objects.filter(household=household, volunteer=volunteer).count() == 1

    # A correction of a member's phone number goes through the registry, version bumped.
    page.locator("[data-show=households]").first.click()
    page.locator(f"article[data-household='{household.pk}'] [data-edit]").click()
    version_seen = type(head).objects.get(pk=head.pk).version
    page.fill(f"#m{head.pk}-phone", "0891234567")
    page.locator("#edit-form [type=submit]").click()
    expect(page.locator("#outbox")).to_be_visible()  # queued, then sent at once (online)
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=60_000)
    head.refresh_from_db()
    assert head.phone == "0891234567" and head.version > version_seen

    page.locator("#signout-form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/login/**")
    names = page.evaluate("indexedDB.databases().then(dbs => dbs.map(d => d.name))")
    assert "onehome-volunteer" not in names
    assert page.evaluate("caches.keys()") == []
    page.close()
