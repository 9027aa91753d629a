"""Exports never carry a live formula: survey text that a spreadsheet would run (``=…``,
``+…``, ``-…``, ``@…``, a leading tab or carriage return) comes out of the target list
(CSV and Excel, as the page serves them) and the import's row report as text, and numbers
stay numbers."""

import csv
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from onehome.targeting.tests import finished
from onehome.targeting.tests.rounds import tpmap_people, write

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def formula_run(db, data_dir):
    """A finished run whose poor households are named by the survey with formulas (each one
    person aged 40 with no document key and an income under the line: poor, not target)."""
    frame = pd.DataFrame(
        [
            finished.person(
                household, "57010101", f"survey:{n}", 40, "female", bmn22_income_per_person=25_000.0
            )
            for n, household in enumerate(FORMULAS)
        ]
    )
    return finished.finished_run(data_dir, frame=frame)


def test_csv_target_list_from_the_page_quotes_formulas(client, formula_run, worker):
    client.force_login(worker)
    client.cookies["django_language"] = "en"  # English headers
    url = f"/targeting/runs/{formula_run.pk}/households/export/?format=csv&all=1"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(r["Survey household ID"] for r in rows) == sorted("'" + f for f in FORMULAS)
    for row in rows:
        assert row["Members"] == "1" and row["Welfare card"] == "No card"
        assert row["Village code"] == "57010101"


def test_excel_target_list_from_the_page_has_text_cells_not_formulas(client, formula_run, worker):
    client.force_login(worker)
    client.cookies["django_language"] = "en"  # English headers
    url = f"/targeting/runs/{formula_run.pk}/households/export/?format=xlsx&all=1"
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    ids = [row[header.index("Survey household ID")] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return as a line feed.
    assert sorted(c.value for c in ids) == sorted(f.replace("\r", "\n") for f in FORMULAS)
    for cell in ids:
        assert cell.data_type == "s" and cell.number_format == "@" and cell.quotePrefix
    for row in sheet.iter_rows(min_row=2):
        members = row[header.index("Members")]
        score = row[header.index("Deprivation score")]
        assert members.data_type == "n" and members.value == 1
        assert score.data_type == "n" and isinstance(score.value, float)
        assert all(c.data_type != "f" for c in row)


@pytest.mark.django_db
def test_the_import_row_report_quotes_the_files_formulas(tmp_path, data_dir):
    frame = tpmap_people(len(FORMULAS)).astype({"sex": "object"})
    for n, value in enumerate(FORMULAS):
        frame.loc[n, "sex"] = value  # not a sex: every row is reported with its value
    path = write(frame, tmp_path / "round.parquet")
    report = tmp_path / "report.csv"
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "survey", "import", str(path), "--year", "2024", "--report", str(report),
            "--no-progress", stderr=err,
        )  # fmt: skip
    assert report.exists(), (caught.value, err.getvalue())
    with report.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["column"] == "sex"]
    assert {r["value"] for r in rows} == {"'" + f for f in FORMULAS}
    assert all(r["row"].isdigit() for r in rows)
