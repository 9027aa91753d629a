"""Export cells: text a spreadsheet would run is quoted (CSV) or typed as text (Excel);
anything that is not text is written as it is."""

import ast
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import onehome
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


# --- every export writes through here ---------------------------------------------------


def _safe(node: ast.expr) -> bool:
    """A row (or rows) written through `safe_row`, or a list of literal text (a header)."""
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        node = node.elt
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "safe_row":
        return True
    return isinstance(node, ast.List) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    )


def test_every_csv_and_excel_export_writes_its_cells_through_here():
    """A CSV row written without `safe_row`, or a sheet row without `append_safe_row`, fails
    here the day the export is added (issue 14, point 8: every export, not the known ones)."""
    root = Path(onehome.__file__).parent
    found, unsafe = set(), []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        books = any(getattr(n, "id", "") == "Workbook" for n in ast.walk(tree))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            where = f"{path.relative_to(root)}:{node.lineno}"
            if node.func.attr in ("writerow", "writerows"):
                found.add(path.name)
                if not (node.args and _safe(node.args[0])):
                    unsafe.append(where)
            elif books and node.func.attr == "append" and "sheet" in ast.unparse(node.func.value):
                unsafe.append(where)  # a sheet row that may hold a formula
    assert {"target_lists.py", "area_export.py", "_reporting.py"} <= found
    assert unsafe == []
