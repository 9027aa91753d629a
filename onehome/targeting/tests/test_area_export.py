"""The area figures export: the figures of the area page, as CSV, with the same cells
withheld for each user (small cells for analysts and outside one's own area), linked from
the area page, no household in it, and a 404 for users without targeting."""

import csv
import io

import pytest

from onehome.access.models import AuditEvent, Role


@pytest.fixture
def run(module_run):
    """One finished run for the module's tests (targeting/tests/conftest.py)."""
    return module_run


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, level="nation", code="")


def exported(client, run, code: str = "") -> list[list[str]]:
    url = f"/targeting/runs/{run.pk}/areas/{code + '/' if code else ''}figures.csv"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def shown_count(text: str) -> str:
    return text.replace(",", "")


def shown_ratio(value) -> str:
    return "–" if value is None else str(round(value, 4))


def page_rows(client, run, code: str = "") -> dict[str, list[str]]:
    """Area code → the figures the page shows, in the export's order."""
    url = f"/targeting/runs/{run.pk}/areas/{code + '/' if code else ''}"
    ctx = client.get(url).context
    this = ctx["this"]
    rows = {
        code: [
            shown_count(this["n"]),
            shown_count(this["q"]),
            shown_ratio(this["H"]),
            shown_ratio(this["A"]),
            shown_ratio(this["M0"]),
            shown_count(this["target_poor"]),
            *[shown_ratio(i["h"]) for i in ctx["indicators"]],
        ]
    }
    for child in ctx["children"]:
        rows[child["code"]] = [
            shown_count(child["n"]),
            shown_count(child["q"]),
            shown_ratio(child["H"]),
            None,  # the page's table shows no A for the areas under it
            shown_ratio(child["M0"]),
            shown_count(child["target_poor"]),
        ]
    return rows


@pytest.mark.parametrize("who", ["analyst", "worker", "outsider", "national"])
def test_the_export_shows_the_pages_figures_and_withholds_the_same_cells(
    client, run, analyst, worker, outsider, make_user, who
):
    user = {
        "analyst": analyst,
        "worker": worker,
        "outsider": outsider,
        "national": make_user(Role.SOCIAL_WORKER, level="nation", code=""),
    }[who]
    client.force_login(user)
    for code in ("", "57", "5701", "57010101", "10"):
        same_figures(client, run, code)


def same_figures(client, run, code: str) -> None:
    header, *rows = exported(client, run, code)
    assert header[:8] == ["รหัสพื้นที่", "พื้นที่", "จำนวนคน (n)", "คนจน (q)", "H", "A", "M0",
                          "คนจนเป้าหมาย"]  # fmt: skip
    page = page_rows(client, run, code)
    assert [r[0] for r in rows] == list(page)  # the area, then the areas under it
    this = rows[0]
    assert this[2:] == page[code]
    for row in rows[1:]:
        expected = page[row[0]]
        assert [v for v, e in zip(row[2:8], expected, strict=True) if e is not None] == [
            e for e in expected if e is not None
        ]


def test_analysts_get_small_cells_withheld_and_the_names_of_areas(client, run, analyst):
    client.force_login(analyst)
    header, *rows = exported(client, run)
    by_code = {r[0]: r for r in rows}
    assert by_code[""][1] == "ทั้งประเทศ" and by_code["57"][1] == "เชียงราย"
    assert by_code[""][3] == "<5" and by_code[""][4] == "–"  # q hidden, H with it
    assert "รายได้เฉลี่ยของคนในครัวเรือนต่อปี" in " ".join(header)  # indicators by name
    assert not any("bmn" in h for h in header)
    assert not AuditEvent.objects.filter(object_type="targeting.targetlist").exists()


def test_exact_figures_inside_ones_own_area(client, run, worker):
    client.force_login(worker)
    _header, this, *_rows = exported(client, run, "57")
    assert this[:4] == ["57", "เชียงราย", "4", "3"]  # H1 ×2, H2, H3; poor: H1 ×2, H3
    assert float(this[4]) == pytest.approx(0.75)


def test_the_area_page_links_the_export_and_others_get_not_found(client, run, analyst, make_user):
    client.force_login(analyst)
    body = client.get(f"/targeting/runs/{run.pk}/areas/57/").content.decode()
    assert f'href="/targeting/runs/{run.pk}/areas/57/figures.csv"' in body
    body = client.get(f"/targeting/runs/{run.pk}/areas/").content.decode()
    assert f'href="/targeting/runs/{run.pk}/areas/figures.csv"' in body
    assert client.get(f"/targeting/runs/{run.pk}/areas/99/figures.csv").status_code == 404
    client.force_login(make_user(Role.FUND_OFFICER))
    assert client.get(f"/targeting/runs/{run.pk}/areas/figures.csv").status_code == 404


def test_english_headers_for_an_english_page(client, run, analyst):
    client.force_login(analyst)
    client.cookies["django_language"] = "en"
    header, *rows = exported(client, run)
    assert header[:8] == ["Area code", "Area", "People (n)", "Poor (q)", "H", "A", "M0",
                          "Target poor"]  # fmt: skip
    assert header[8].startswith("Censored headcount: ")
    assert rows[0][1] == "Whole country"
