"""Export cells: text a spreadsheet would run is quoted (CSV) or typed as text (Excel);
anything that is not text is written as it is."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from onehome.core.exports import append_safe_row, safe_cell, safe_row


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["H1", "บ้าน = 2", "", " =x", "'=x", None, -2, -2.5, 0, True])
def test_other_values_are_written_as_they_are(value):
    assert safe_cell(value) is value


def test_a_csv_row_keeps_its_numbers():
    assert safe_row(["-1", -1, Decimal("-1.5"), dt.date(2024, 1, 1)]) == [
        "'-1",
        -1,
        Decimal("-1.5"),
        dt.date(2024, 1, 1),
    ]


def test_excel_text_cells_are_text_and_numbers_numbers():
    book = Workbook()
    append_safe_row(book.active, ["=1+1", "-2", "plain", -2, 0.5])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(buffer).active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "s", "n", "n"]
    assert [c.value for c in cells] == ["=1+1", "-2", "plain", -2, 0.5]
    assert [c.quotePrefix for c in cells[:3]] == [True, True, False]
    assert all(c.number_format == "@" for c in cells[:3])
