"""The year-over-year pages as a user reads them (Thai unless a test asks for English): the
comparison of two runs per area, and the list of the households that changed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from onehome.access.models import Role
from onehome.conftest import signed_in_page
from onehome.targeting.models import Run
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.tests import finished

COMPARE = "/targeting/compare/"
HOUSEHOLDS = "/targeting/compare/households/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Element(HTMLParser):
    """The text and attributes of the element with a given id."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth, self.attrs = wanted, 0, None
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth:
            self.depth += tag not in VOID
        elif self.attrs is None and dict(attrs).get("id") == self.wanted:
            self.attrs, self.depth = dict(attrs), int(tag not in VOID)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def element(html: str, element_id: str) -> tuple[str, dict] | None:
    """(text, attributes) of the element ``element_id``, None when the page has none."""
    parser = _Element(element_id)
    parser.feed(html)
    if parser.attrs is None:
        return None
    return " ".join("".join(parser.parts).split()), parser.attrs


def has(html: str, element_id: str) -> bool:
    return element(html, element_id) is not None


def text(html: str, element_id: str) -> str:
    found = element(html, element_id)
    assert found is not None, f"no #{element_id} on the page"
    return found[0]


def attrs(html: str, element_id: str) -> dict:
    found = element(html, element_id)
    assert found is not None, f"no #{element_id} on the page"
    return found[1]


def selected(html: str, select_id: str) -> list[str]:
    body = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="(\d+)" selected>', body.group(1)) if body else []


def build_module_runs(folder) -> list[Run]:
    """2023: H3 poor, H2 not. 2024: H3 out of poverty, H2 poor; H1 (Chiang Rai) and HB
    (Bangkok) poor in both. All of Chiang Rai's households are in village 57010101."""
    earlier = finished.finished_run(folder, year=2023)
    later = finished.finished_run(
        folder, year=2024, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    return [earlier, later]


@pytest.fixture
def runs(module_runs):
    """The two runs of ``build_module_runs``, built once for the module's tests
    (targeting/tests/conftest.py). What the form proposes with no run yet is tested in
    test_compare_defaults.py."""
    earlier, later = module_runs
    return earlier, later


@pytest.fixture
def analyst(make_user):
    """Reads counts of the whole country, never households: small cells are hidden."""
    return make_user(Role.ANALYST, level="nation", code="")


def page(client, user, url: str, *, language: str = "th") -> str:
    """The page as ``user`` reads it in ``language`` (pages follow the language cookie)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def query(runs, area: str = "", **extra: str) -> str:
    earlier, later = runs
    base = f"?earlier={earlier.pk}&later={later.pk}&area={area}"
    return base + "".join(f"&{k}={v}" for k, v in extra.items())


def test_the_empty_form_proposes_two_runs_that_can_be_compared(client, runs, analyst):
    earlier, later = runs
    html = page(client, analyst, COMPARE)
    assert selected(html, "earlier") == [str(earlier.pk)]
    assert selected(html, "later") == [str(later.pk)]
    # Pressing "Compare" straight away compares them.
    compared = page(client, analyst, f"{COMPARE}?earlier={earlier.pk}&later={later.pk}&area=")
    assert has(compared, "totals")


def test_the_page_names_its_area_and_links_up_to_the_parent(client, runs, analyst, worker):
    nation = page(client, analyst, COMPARE + query(runs))
    assert text(nation, "area-heading") == "ทั้งประเทศ"
    assert not has(nation, "parent-area")
    province = page(client, analyst, COMPARE + query(runs, "57"))
    assert text(province, "area-heading") == "เชียงราย"
    assert "ทั้งประเทศ" in text(province, "parent-area")
    assert attrs(province, "parent-area")["href"].endswith("&area=")
    village = page(client, analyst, COMPARE + query(runs, "57010101"))
    assert text(village, "area-heading") == "บ้านทดสอบ"
    assert "เวียง" in text(village, "parent-area")
    assert attrs(village, "parent-area")["href"].endswith("&area=570101")
    # The list of households names the area too, not its code.
    listing = page(client, worker, HOUSEHOLDS + query(runs, "57"))
    summary = text(listing, "compare-summary")
    assert "เชียงราย" in summary and "· 57" not in summary


def test_a_village_has_no_table_of_areas_under_it(client, runs, analyst):
    earlier, later = runs
    result = yoy.compare_runs(earlier=earlier, later=later, area="57010101")
    assert result.children == [] and not result.has_children
    assert result.totals["entered"] == 1 and result.totals["left"] == 1
    html = page(client, analyst, COMPARE + query(runs, "57010101"))
    assert has(html, "totals") and not has(html, "yoy-areas")
    assert has(page(client, analyst, COMPARE + query(runs, "570101")), "yoy-areas")


def test_list_links_only_where_there_is_someone_to_list(client, runs, worker):
    html = page(client, worker, COMPARE + query(runs, "57"))
    cards = text(html, "totals")
    assert "รายชื่อ" in cards
    assert "change=entered" in html and "change=left" in html
    # Nobody was new or gone here: no link to an empty list.
    assert "change=new" not in html and "change=gone" not in html


def test_hidden_small_counts_are_explained(client, runs, analyst, worker):
    html = page(client, analyst, COMPARE + query(runs))
    assert "<5" in text(html, "totals")
    assert "ความเป็นส่วนตัว" in text(html, "small-cells-note")
    # A worker sees their own province exactly: nothing hidden, nothing to explain.
    exact = page(client, worker, COMPARE + query(runs, "57"))
    assert "<5" not in text(exact, "totals")
    assert not has(exact, "small-cells-note")


def test_counts_say_they_are_households(client, runs, analyst):
    html = page(client, analyst, COMPARE + query(runs))
    assert "ครัวเรือน" in text(html, "totals-heading")
    caption = re.search(r'<table[^>]*id="yoy-areas".*?<caption[^>]*>(.*?)</caption>', html, re.S)
    assert caption and "ครัวเรือน" in caption.group(1)
    english = page(client, analyst, COMPARE + query(runs), language="en")
    assert "Households" in text(english, "totals-heading")


def test_the_household_list_names_the_change_and_leads_back(client, runs, worker):
    earlier, later = runs
    left = page(client, worker, HOUSEHOLDS + query(runs, "57", change="left"))
    assert "พ้นความยากจน" in text(left, "change-heading")
    assert attrs(left, "back-to-comparison")["href"] == (
        f"{COMPARE}?earlier={earlier.pk}&later={later.pk}&area=57"
    )
    both = page(client, worker, HOUSEHOLDS + query(runs, "57"))
    assert "เข้าสู่หรือพ้นความยากจน" in text(both, "change-heading")
    english = page(client, worker, HOUSEHOLDS + query(runs, change="entered"), language="en")
    assert text(english, "change-heading") == "Households: Entered poverty"


def test_a_bad_area_code_is_reported(client, runs, analyst, worker):
    html = page(client, analyst, COMPARE + query(runs, "abc"))
    assert "รหัสพื้นที่ 2, 4, 6 หรือ 8 หลัก" in text(html, "form-errors")
    assert not has(html, "totals")
    unknown = page(client, analyst, COMPARE + query(runs, "99"))
    assert "ไม่มีพื้นที่รหัส 99" in text(unknown, "form-errors")
    assert not has(unknown, "totals")
    english = page(client, analyst, COMPARE + query(runs, "99"), language="en")
    assert "No area has the code 99." in text(english, "form-errors")
    # The list of households still refuses what it cannot show.
    client.force_login(worker)
    assert client.get(HOUSEHOLDS + query(runs, "99")).status_code == 404


def test_the_households_page_is_still_for_personal_data_roles_in_their_area(
    client, runs, analyst, outsider
):
    client.force_login(analyst)
    assert client.get(HOUSEHOLDS + query(runs, "57")).status_code == 404
    html = page(client, outsider, HOUSEHOLDS + query(runs, "57"))
    assert "/households/H2/" not in html and "/households/H3/" not in html


@pytest.mark.browser
def test_the_table_of_areas_fits_a_phone(live_server, live_data, browser, make_user, data_dir):
    earlier = finished.finished_run(data_dir, year=2023)
    later = finished.finished_run(
        data_dir, year=2024, frame=finished.people(h3_income=80_000.0, h2_income=30_000.0)
    )
    analyst = make_user(Role.ANALYST, level="nation", code="")
    tab = signed_in_page(browser, live_server.url, analyst.username, "pw-for-tests-only")
    url = f"{live_server.url}{COMPARE}?earlier={earlier.pk}&later={later.pk}&area="
    for language in ("en", "th"):
        cookie = {"name": "django_language", "value": language, "url": live_server.url}
        tab.context.add_cookies([cookie])
        tab.goto(url)
        fits = tab.evaluate(
            """() => {
              const table = document.getElementById("yoy-areas");
              const last = table.querySelector("thead th:last-child").getBoundingClientRect();
              return {overflow: table.parentElement.scrollWidth - table.parentElement.clientWidth,
                      right: last.right, width: document.documentElement.clientWidth};
            }"""
        )
        assert fits["overflow"] <= 0, (language, fits)
        assert fits["right"] <= fits["width"], (language, fits)
    tab.close()
