"""The area report of a finished run, as a user may see it: the area's measures, its
dimensions and indicators, the areas under it, the 31-subset table and (nation) the tile
map, for the area page; the same measures and subsets for the API.

Aggregates only: no household appears here. Every count and rate goes through
`suppression.Cells` (small cells hidden from users without personal-data roles, and in
areas outside the user's own), so a page or endpoint cannot show an unsuppressed cell.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.errors import NotInScopeError
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.engine.spec import Spec
from onehome.targeting.models import Run
from onehome.targeting.results import selectors
from onehome.targeting.results.labels import DIMENSION_LABELS, area_names, province_names
from onehome.targeting.results.suppression import Cells, percent


def breadcrumb(code: str) -> list[dict[str, str]]:
    """The nation and every area above ``code`` and itself, with their names."""
    parts = [code[:w] for w in (2, 4, 6, 8) if len(code) >= w]
    names = area_names(parts)
    return [{"code": "", "name": _("Whole country")}] + [
        {"code": p, "name": names.get(p, p)} for p in parts
    ]


def area_report(*, user: User, run_id: int, code: str = "") -> dict[str, Any]:
    """The area page of run ``run_id`` for the area ``code`` ("" = the nation);
    NotInScopeError (404) when the run is not finished or the area is not in it."""
    run = selectors.finished_run(run_id)
    this, children = selectors.area_measures(run, code)
    if this is None:
        raise NotInScopeError
    spec = run_spec(run)
    labels = indicator_labels(run.spec_name)
    cells = Cells(user, code)
    names = area_names([c["code"] for c in children])
    q = this["q"]
    indicators = [
        {
            "id": ind.id,
            "label": labels.get(ind.id, ind.id),
            "dimension": ind.dimension,
            "weight": ind.weight,
            "h": cells.ratio(this[f"h_{ind.id}"], this[f"h_{ind.id}"] * this["n"]),
            # The indicator's own count is the cell to protect (contribution × M0 × n / w).
            "contribution": cells.ratio(this[f"contrib_{ind.id}"], this[f"h_{ind.id}"] * this["n"]),
        }
        for ind in spec.indicators
    ]
    dimensions = [
        {
            "name": d,
            "label": DIMENSION_LABELS.get(d, d),
            "poor": cells.count(this[f"poor_in_{d}"]),
            "share_text": percent(cells.rate(this[f"poor_in_{d}"], this["n"])),
        }
        for d in spec.dimensions
    ]
    rows = [
        {
            "code": c["code"],
            "name": names.get(c["code"], c["code"]),
            "n": child.count(c["n"]),
            "q": child.count(c["q"]),
            "H": child.ratio(c["H"], c["q"]),
            "M0": child.ratio(c["M0"], c["q"]),
            "target_poor": child.count(c.get("target_poor")),
            "target_rate": child.rate(c.get("target_poor"), c["n"]),
        }
        for c in children
        for child in [cells.within(c["code"])]
    ]
    for row in rows:
        row["target_rate_text"] = percent(row["target_rate"])
    subsets = [
        {
            **s,
            # Each dimension by its name, not the catalogue's id ("health+living").
            "names": [DIMENSION_LABELS.get(d, d) for d in s["dimensions"]],
            "poor": cells.count(s["poor"]),
            "share_text": percent(cells.rate(s["poor"], q)),
        }
        for s in selectors.subset_counts(run, code)
    ]
    report = {
        "run": run,
        "code": code,
        "trail": breadcrumb(code),
        "level": selectors.level_of(code),
        "this": {
            "n": cells.count(this["n"]),
            "q": cells.count(q),
            "H": cells.ratio(this["H"], q),
            "A": cells.ratio(this["A"], q),
            "M0": cells.ratio(this["M0"], q),
            "target_poor": cells.count(this.get("target_poor")),
            "target_rate_text": percent(cells.rate(this.get("target_poor"), this["n"])),
            "households": cells.count(this.get("households")),
            "poor_households": cells.count(this.get("poor_households")),
            "target_households": cells.count(this.get("target_households")),
        },
        "indicators": indicators,
        "contribution_bars": [
            {"label": i["label"], "value": i["contribution"], "note": i["id"]}
            for i in indicators
            if i["contribution"]
        ],
        "dimensions": dimensions,
        "children": rows,
        "child_level": selectors.CHILD_LEVEL.get(selectors.level_of(code)),
        "subsets": subsets,
        "can_see_households": selectors.households_visible_in(user, code),
    }
    report["small_cells_hidden"] = cells.hid_any  # the page says what "<5" and "–" mean
    if code == "":
        report["map_values"] = {r["code"]: r["target_rate"] for r in rows}
        report["map_names"] = province_names()
        report["map_args"] = [run.pk]
    return report


def area_measures_shown(*, user: User, run: Run, code: str = "") -> dict[str, Any]:
    """The measures of the area ``code`` and of each area under it (``children``), as the
    user may see them (the API's areas of a run); NotInScopeError when there is no such
    area in the run."""
    this, children = selectors.area_measures(run, code)
    if this is None:
        raise NotInScopeError
    spec, cells = run_spec(run), Cells(user, code)
    body = _measures(this, spec, cells)
    body["children"] = [_measures(c, spec, cells.within(c["code"])) for c in children]
    return body


def subset_counts_shown(*, user: User, run: Run, code: str = "") -> list[dict[str, Any]]:
    """Poor people per exact set of deprived dimensions in the area, as the user may see
    them (the API's subsets of a run)."""
    rows = selectors.subset_counts(run, code)
    cells = Cells(user, code)
    return [
        {
            "subset": r["subset"],
            "label": r["label"],
            "poor": cells.count(r["poor"]),
            "share": cells.rate(r["poor"], r["of"]),
        }
        for r in rows
    ]


def _measures(row: dict, spec: Spec, cells: Cells) -> dict[str, Any]:
    q = row["q"]
    return {
        "code": row["code"],
        "level": row["level"],
        "n": cells.count(row["n"]),
        "q": cells.count(q),
        "H": cells.ratio(row["H"], q),
        "A": cells.ratio(row["A"], q),
        "M0": cells.ratio(row["M0"], q),
        "target_poor": cells.count(row.get("target_poor")),
        "target_poor_rate": cells.rate(row.get("target_poor"), row["n"]),
        "censored_headcount": {
            i.id: cells.ratio(row[f"h_{i.id}"], row[f"h_{i.id}"] * row["n"])
            for i in spec.indicators
        },
        "contribution": {
            i.id: cells.ratio(row[f"contrib_{i.id}"], row[f"h_{i.id}"] * row["n"])
            for i in spec.indicators
        },
        "poor_by_dimension": {d: cells.count(row[f"poor_in_{d}"]) for d in spec.dimensions},
    }
