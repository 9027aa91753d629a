"""In Chromium, at 360 and 1280 px: the area page offers its figures as CSV (the file an
analyst downloads), and the button fits without a sideways scroll; the target-list page's
download buttons fit too."""

import csv
import io
from pathlib import Path

import pytest

from onehome.conftest import signed_in_page


@pytest.mark.browser
def test_area_page_downloads_its_figures_at_phone_and_desk_width(
    live_server, live_data, browser, run, worker, tmp_path
):
    page = signed_in_page(browser, live_server.url, worker.username, "pw-for-tests-only")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/targeting/runs/{run.pk}/areas/57/")
        button = page.locator("#area-export")
        assert button.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(tmp_path / f"area-{width}.png"), full_page=True)
        with page.expect_download() as waiting:
            button.click()
        download = waiting.value
        assert download.suggested_filename == f"area-figures-run{run.pk}-57.csv"
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0][:2] == ["รหัสพื้นที่", "พื้นที่"] and rows[1][:2] == ["57", "เชียงราย"]
        page.goto(f"{live_server.url}/targeting/runs/{run.pk}/households/?area=57")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(tmp_path / f"list-{width}.png"), full_page=True)
    page.close()
