"""In Chromium: the import page shows its progress indicator while a survey round uploads
and is checked, then lands on the rounds page with the round imported."""

import pytest

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.targeting.models import SurveyRound
from onehome.targeting.tests import finished

WATCH_PROGRESS = """() => {
  const box = document.getElementById("import-progress");
  new MutationObserver(() => {
    if (!box.hidden) sessionStorage.setItem("import-progress", box.innerText.trim());
  }).observe(box, {attributes: true, childList: true, subtree: true, characterData: true});
}"""


@pytest.mark.browser
def test_import_page_shows_progress_then_the_imported_round(
    live_server, live_data, browser, make_user, data_dir
):
    analyst = make_user(Role.ANALYST, level="nation", code="")
    frame = finished.people()
    path = data_dir / "round.csv"
    frame[frame["village_code"] == "57010101"].to_csv(path, index=False)

    page = signed_in_page(browser, live_server.url, analyst.username, "pw-for-tests-only")
    page.goto(f"{live_server.url}/targeting/import/")
    page.select_option("select[name=kind]", "survey")
    page.fill("input[name=name]", "browser round")
    page.fill("input[name=year]", "2024")
    page.select_option("select[name=catalogue]", "tpmap_2018")
    page.set_input_files("input[name=file]", str(path))
    page.evaluate(WATCH_PROGRESS)
    page.locator("#import-form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/targeting/")

    shown = page.evaluate("sessionStorage.getItem('import-progress')")
    assert shown, "the progress indicator never appeared"
    assert "browser round" in page.content()
    assert SurveyRound.objects.get().name == "browser round"
    page.close()
