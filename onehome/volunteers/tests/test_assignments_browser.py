"""In Chromium at 360 px: a centre's worker assigns a sub-district's target households to
its volunteers from a target list (preview through htmx, then confirm), sees how many were
assigned, and the coverage page draws the villages' bars; nothing scrolls sideways."""

import pytest

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.volunteers.models import Assignment
from onehome.volunteers.tests.assignments_run import target_run
from onehome.volunteers.tests.factories import WIANG, make_village, make_volunteer


@pytest.fixture
def scene(live_data, make_user, tmp_path):
    worker = make_user(Role.SOCIAL_WORKER, Role.CENTRE_STAFF)
    worker.set_password("browser-test-pw")
    worker.save()
    make_village(WIANG, 1), make_village(WIANG, 2)
    run = target_run(tmp_path)
    make_volunteer(worker, villages=(1,))
    make_volunteer(worker, villages=(2,))
    return worker, run


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_bulk_assignment_from_a_target_list_on_a_phone(live_server, browser, scene):
    worker, run = scene
    page = signed_in_page(browser, live_server.url, worker.username, "browser-test-pw")
    page.goto(f"{live_server.url}/volunteers/assignments/bulk/?run={run.pk}&area={WIANG}")
    page.locator("#preview-table").wait_for()
    page.locator("#bulk form[method=get] button[type=submit]").click()  # again, via htmx
    page.locator("#preview-table").wait_for()
    assert page.locator("#preview-table tbody tr").count() == 5
    assert fits(page)
    assert not Assignment.objects.exists()
    page.locator("#bulk form[method=post] button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    assert "5" in page.locator(".alert-success").inner_text()
    assert Assignment.objects.filter(ended_at__isnull=True).count() == 5
    page.goto(f"{live_server.url}/volunteers/assignments/coverage/?run={run.pk}&area={WIANG}")
    assert page.locator(".bar-chart .bar-row").count() >= 2
    assert fits(page)
    page.close()
