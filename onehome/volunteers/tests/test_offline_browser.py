"""In a real browser (Debian's Chromium at 360 px): a volunteer opens the phone app, loses
the network, records two visits and a help request that wait on the phone, reopens the app
offline, gets the network back and sees all three sent exactly once (a second sync, and a
resend of the very same items, add nothing); signing out empties the phone's store."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from onehome.access.models import Role
from onehome.cases.models import Report
from onehome.conftest import signed_in_page
from onehome.registry import services as registry
from onehome.volunteers.models import HelpRequest, Visit
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


@pytest.fixture
def second_home(assigned_home, make_user):
    """A second household of the same village, assigned to the same volunteer."""
    volunteer, _ = assigned_home
    staff = make_user(Role.CENTRE_STAFF, Role.SOCIAL_WORKER)
    household = registry.create_household(
        actor=staff, subdistrict="570101", village="57010101", house_no="12/3"
    )
    assign(volunteer, household, by=staff)
    return household


def waiting(page) -> str:
    return page.locator("#waiting-count").inner_text()


@pytest.mark.browser
def test_visits_and_a_help_request_made_offline_are_sent_once_and_sign_out_clears_the_phone(
    live_server, browser, assigned_home, second_home
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
    other = page.locator(f"article[data-household='{second_home.pk}']")
    card.wait_for()
    assert "45/6" in card.inner_text() and "บุญมี" in card.inner_text()
    assert "12/3" in other.inner_text()
    # The shell is cached before the network goes.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visits_before, helps_before = Visit.objects.count(), HelpRequest.objects.count()
    reports_before = Report.objects.count()

    page.context.set_offline(True)
    # First visit: refused on the phone without an answer, then saved with one.
    card.locator("[data-visit]").click()
    page.locator("#visit-form input[name=present]").first.check()
    page.locator("#visit-form [type=submit]").click()  # no answer yet: refused on the phone
    expect(page.locator("#visit-errors")).to_be_visible()
    page.locator("#questions select").first.select_option(index=1)
    page.locator("#visit-form [type=submit]").click()
    expect(page.locator("#waiting-count")).to_have_text("1")

    # Second visit, to the other household.
    page.locator("[data-show=households]").first.click()
    other.locator("[data-visit]").click()
    page.locator("#questions select").first.select_option(index=1)
    page.locator("#visit-form [type=submit]").click()
    expect(page.locator("#waiting-count")).to_have_text("2")

    # A help request for the first household: refused without a summary, then queued.
    page.locator("[data-show=households]").first.click()
    card.locator("[data-help]").click()
    page.locator("#help-form [type=submit]").click()
    expect(page.locator("#help-errors")).to_be_visible()
    page.fill("#help-summary", "ผู้สูงอายุป่วยติดเตียง ไม่มีรายได้")
    page.locator("#help-form [type=submit]").click()
    expect(page.locator("#waiting-count")).to_have_text("3")
    assert page.locator(".outbox-item").count() == 3
    assert Visit.objects.count() == visits_before
    assert HelpRequest.objects.count() == helps_before
    payloads = page.evaluate("VolunteerStore.outbox().then(items => items.map(i => i.payload))")
    assert sorted(p["kind"] for p in payloads) == ["help_request", "visit", "visit"]

    page.reload()  # offline: the service worker opens the app, the queue is still there
    page.wait_for_selector("body[data-ready='1']")
    assert waiting(page) == "3"
    assert page.locator(".outbox-item").count() == 3
    assert page.locator(f"article[data-household='{household.pk}']").count() == 1
    assert page.locator(f"article[data-household='{second_home.pk}']").count() == 1

    page.context.set_offline(False)  # `online` fires: the queue is sent
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=60_000)
    assert Visit.objects.count() == visits_before + 2
    assert Visit.objects.filter(household=household, volunteer=volunteer).count() == 1
    assert Visit.objects.filter(household=second_home, volunteer=volunteer).count() == 1
    assert HelpRequest.objects.count() == helps_before + 1
    help_request = HelpRequest.objects.select_related("report").get(volunteer=volunteer)
    assert help_request.household_id == household.pk
    assert help_request.report.channel == "volunteer"
    assert "ติดเตียง" in help_request.report.summary
    assert Report.objects.count() == reports_before + 1
    sent_ids = {str(v.client_id) for v in Visit.objects.filter(volunteer=volunteer)}
    sent_ids.add(str(help_request.client_id))
    assert sent_ids == {p["client_id"] for p in payloads}

    # Syncing again adds nothing; nor does the same queue sent once more (a retry after a
    # lost answer): every item comes back as a duplicate of what is stored.
    with page.expect_response(lambda r: "package" in r.url):
        page.locator("#sync-now").click()
    expect(page.locator("#waiting-count")).to_have_text("0")
    answers = page.evaluate(
        """async (items) => {
            const token = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/)[1];
            const r = await fetch(document.body.dataset.syncUrl, {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token,
                          Accept: "application/json"},
                body: JSON.stringify({items: items}),
            });
            return (await r.json()).items.map(a => a.status);
        }""",
        payloads,
    )
    assert answers == ["duplicate"] * 3
    assert Visit.objects.count() == visits_before + 2
    assert HelpRequest.objects.count() == helps_before + 1
    assert Report.objects.count() == reports_before + 1

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


@pytest.mark.browser
def test_a_visit_made_after_midnight_in_thailand_is_dated_today(
    live_server, browser, assigned_home
):
    """Between midnight and 07:00 in Thailand UTC is still at yesterday: the phone must take
    today's date all day (it once compared the moment, and refused today before 07:00)."""
    import zoneinfo

    from django.utils import timezone

    volunteer, household = assigned_home
    warm = browser.new_page()
    warm.goto(f"{live_server.url}/login/", timeout=120_000)
    warm.close()
    page = signed_in_page(browser, live_server.url, volunteer.user.username, "pw-for-tests-only")
    page.set_default_timeout(60_000)
    bangkok = zoneinfo.ZoneInfo("Asia/Bangkok")
    half_past_midnight = dt.datetime.combine(timezone.localdate(), dt.time(0, 30), tzinfo=bangkok)
    page.clock.set_fixed_time(half_past_midnight)
    page.goto(f"{live_server.url}/volunteers/app/")
    page.wait_for_selector("body[data-loaded='1']")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Bangkok"
    card = page.locator(f"article[data-household='{household.pk}']")
    card.wait_for()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    card.locator("[data-visit]").click()
    page.locator("#questions select").first.select_option(index=1)
    page.locator("#visit-form [type=submit]").click()
    expect(page.locator("#waiting-count")).to_have_text("1")
