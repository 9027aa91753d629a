"""The year-over-year counts of two runs as a user may see them: per area, the households
that entered or left poverty (`year_over_year.compare_runs`), with small cells suppressed
(`suppression.Cells`), for the comparison page and the API. The areas under the area add
up to its totals, so `withheld.hidden_changes` hides enough more, decided once for the
whole area tree, that no hidden count can be derived by subtraction from any page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.targeting.results import selectors, withheld
from onehome.targeting.results.labels import area_names
from onehome.targeting.results.suppression import Cells
from onehome.targeting.results.year_over_year import CHANGES, Comparison


def comparison_report(*, user: User, result: Comparison | None) -> dict[str, Any]:
    """The comparison page's counts: the area, its parent, a row per area under it and a
    card per kind of change (``result`` None: the form has not been sent yet)."""
    code = result.area if result else ""
    # A village's parent is its sub-district, and so on up: drop the last two digits.
    parent = code[:-2] if code else None
    children = result.children if result is not None and result.has_children else []
    names = area_names([code, parent or "", *(c["code"] for c in children)])

    def name_of(area: str) -> str:
        return names.get(area, area) if area else _("Whole country")

    cells = Cells(user, code)
    hidden = withheld.hidden_changes(user, result.earlier, result.later) if result else set()
    rows = [
        {
            "code": c["code"],
            "name": name_of(c["code"]),
            **{k: row_cells.count(c[k], withheld=(c["code"], k) in hidden) for k in CHANGES},
        }
        for c in children
        for row_cells in [cells.within(c["code"])]
    ]
    totals = (
        {k: cells.count(v, withheld=(code, k) in hidden) for k, v in result.totals.items()}
        if result
        else {}
    )
    listable = selectors.households_visible_in(user, code)
    cards = [
        {
            "key": key,
            "label": label,
            "count": totals.get(key, ""),
            "listable": listable and key != "stayed" and bool(result and result.totals[key]),
        }
        for key, label in CHANGES.items()
    ]
    return {
        "result": result,
        "area_name": name_of(code),
        "parent": None if parent is None else {"code": parent, "name": name_of(parent)},
        "rows": rows,
        "cards": cards,
        "small_cells_hidden": cells.hid_any,  # the page says what "<5" means
        "changes": CHANGES,
    }


def comparison_counts(*, user: User, result: Comparison) -> dict[str, Any]:
    """The API's comparison: totals and per-area counts of each kind of change."""
    cells = Cells(user, result.area)
    hidden = withheld.hidden_changes(user, result.earlier, result.later)
    return {
        "earlier": result.earlier.pk,
        "later": result.later.pk,
        "area": result.area,
        "totals": {
            k: cells.count(v, withheld=(result.area, k) in hidden) for k, v in result.totals.items()
        },
        "children": [
            {
                "code": c["code"],
                **{k: row.count(c[k], withheld=(c["code"], k) in hidden) for k in CHANGES},
            }
            for c in result.children
            for row in [cells.within(c["code"])]
        ],
    }
