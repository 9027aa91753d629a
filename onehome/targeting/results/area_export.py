"""The area figures of a run as CSV, for analysts: the area and each area under it with its
people (n), poor (q), H, A, M0, target poor and each indicator's censored headcount.

Aggregates only, and exactly the cells the area page shows: every figure comes from
`area_report.area_measures_shown` (small cells and the cells that would give them away
withheld, alike on the page, in the API and here). A withheld count is written as the page
writes it ("<5", "–"), a withheld measure as "–". No household is named, so there is
nothing to audit (as for the page).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.core.exports import safe_row
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.models import Run
from onehome.targeting.results.area_report import area_measures_shown
from onehome.targeting.results.labels import area_names
from onehome.targeting.results.suppression import WITHHELD

DECIMALS = 4  # as the page (floatformat:4)


def area_figures(*, user: User, run: Run, code: str = "") -> tuple[list[str], list[list[Any]]]:
    """(header, rows): the area ``code`` ("" = the nation) first, then the areas under it."""
    shown = area_measures_shown(user=user, run=run, code=code)
    spec = run_spec(run)
    labels = indicator_labels(run.spec_name)
    areas = [shown, *shown["children"]]
    names = area_names([a["code"] for a in areas if a["code"]])
    header = [
        _("Area code"),
        _("Area"),
        _("People (n)"),
        _("Poor (q)"),
        "H",
        "A",
        "M0",
        _("Target poor"),
        *[
            _("Censored headcount: %(indicator)s") % {"indicator": labels.get(i.id, i.id)}
            for i in spec.indicators
        ],
    ]
    rows = [
        [
            a["code"],
            names.get(a["code"], a["code"]) if a["code"] else _("Whole country"),
            _count(a["n"]),
            _count(a["q"]),
            _ratio(a["H"]),
            _ratio(a["A"]),
            _ratio(a["M0"]),
            _count(a["target_poor"]),
            *[_ratio(a["censored_headcount"][i.id]) for i in spec.indicators],
        ]
        for a in areas
    ]
    return header, rows


def export_area_figures(*, user: User, run: Run, code: str = "") -> tuple[bytes, str, str]:
    """(content, content type, file name) of :func:`area_figures` as CSV (with a BOM, so
    that Excel opens Thai names as UTF-8)."""
    header, rows = area_figures(user=user, run=run, code=code)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    content = ("\ufeff" + text.getvalue()).encode("utf-8")
    name = f"area-figures-run{run.pk}{'-' + code if code else ''}.csv"
    return content, "text/csv; charset=utf-8", name


def _count(shown: str) -> Any:
    """A count as a number when the page shows it exactly, else as the page writes it."""
    plain = shown.replace(",", "")
    return int(plain) if plain.isdigit() else shown


def _ratio(value: float | None) -> Any:
    return WITHHELD if value is None else round(value, DECIMALS)
