"""Cells of CSV and Excel exports that a spreadsheet shows as text and never runs.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and some skip a leading tab or carriage return first. Text from a survey
or an upload such as ``=HYPERLINK("http://…")`` would become a live link in the file a
worker opens (OWASP "CSV injection"). So every export writes its cells through here:

- CSV (:func:`safe_row`): such text gets a leading single quote, which spreadsheets show as
  the start of literal text.
- Excel (:func:`append_safe_row`): every text cell is written as a text cell (type ``s``,
  number format ``@``), which Excel never evaluates; the dangerous ones also carry Excel's
  own quote prefix, so editing the cell keeps it text. The value itself stays exact.

Numbers, dates and booleans are not text and are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is heavy; CSV writers need none of it
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"


def safe_cell(value: Any) -> Any:
    """``value`` with a single quote in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row of :func:`safe_cell` values."""
    return [safe_cell(v) for v in values]


def append_safe_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append ``values`` to ``sheet`` with every text cell written as text."""
    values = list(values)
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            # Set after `append`, which types "=…" as a formula.
            cell.data_type = "s"
            cell.number_format = TEXT_FORMAT
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
