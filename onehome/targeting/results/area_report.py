"""The area report of a finished run, as a user may see it: the area's measures, its
dimensions and indicators, the areas under it, the 31-subset table and (nation) the tile
map, for the area page; the same measures and subsets for the API.

Aggregates only: no household appears here. Every count and rate goes through
`suppression.Cells` (small cells hidden from users without personal-data roles, and in
areas outside the user's own), so a page or endpoint cannot show an unsuppressed cell.
The areas under an area add up to it, and the subsets of its poor add up to its poor and
to its poor in each dimension: `withheld.hidden_cells` hides enough more, decided once for
the run's whole area tree, that no hidden cell can be derived from those totals, alike on
every page and in the API.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.errors import NotInScopeError
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.engine.spec import Spec
from onehome.targeting.models import Run
from onehome.targeting.results import selectors, withheld
from onehome.targeting.results.labels import DIMENSION_LABELS, area_names, province_names
from onehome.targeting.results.suppression import Cells, Key, percent


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
    subset_rows = selectors.subset_counts(run, code)
    hidden = withheld.hidden_cells(user, run)

    def held(area: str, *columns: str) -> bool:
        return any((area, column) in hidden for column in columns)

    q = this["q"]
    n_held = held(code, "n")
    indicators = [
        {
            "id": ind.id,
            "label": labels.get(ind.id, ind.id),
            "dimension": ind.dimension,
            "weight": ind.weight,
            "h": cells.ratio(this[f"h_{ind.id}"], this[f"h_{ind.id}"] * this["n"], withheld=n_held),
            # The indicator's own count is the cell to protect (contribution × M0 × n / w).
            "contribution": cells.ratio(
                this[f"contrib_{ind.id}"], this[f"h_{ind.id}"] * this["n"], withheld=n_held
            ),
        }
        for ind in spec.indicators
    ]
    dimensions = [
        {
            "name": d,
            "label": DIMENSION_LABELS.get(d, d),
            "poor": cells.count(this[f"poor_in_{d}"], withheld=held(code, f"poor_in_{d}")),
            "share_text": percent(
                cells.rate(
                    this[f"poor_in_{d}"], this["n"], withheld=held(code, f"poor_in_{d}", "n")
                )
            ),
        }
        for d in spec.dimensions
    ]
    rows = [
        {
            "code": a,
            "name": names.get(a, a),
            "n": child.count(c["n"], withheld=held(a, "n")),
            "q": child.count(c["q"], withheld=held(a, "q")),
            "H": child.ratio(c["H"], c["q"], withheld=held(a, "n", "q")),
            "M0": child.ratio(c["M0"], c["q"], withheld=held(a, "n", "q")),
            "target_poor": child.count(c.get("target_poor"), withheld=held(a, "target_poor")),
            "target_rate": child.rate(
                c.get("target_poor"), c["n"], withheld=held(a, "n", "target_poor")
            ),
        }
        for c in children
        for a, child in [(c["code"], cells.within(c["code"]))]
    ]
    for row in rows:
        row["target_rate_text"] = percent(row["target_rate"])
    subsets = [
        {
            **s,
            # Each dimension by its name, not the catalogue's id ("health+living").
            "names": [DIMENSION_LABELS.get(d, d) for d in s["dimensions"]],
            "poor": cells.count(s["poor"], withheld=held(code, _subset(s))),
            "share_text": percent(cells.rate(s["poor"], q, withheld=held(code, _subset(s), "q"))),
        }
        for s in subset_rows
    ]
    report = {
        "run": run,
        "code": code,
        "trail": breadcrumb(code),
        "level": selectors.level_of(code),
        "this": {
            "n": cells.count(this["n"], withheld=n_held),
            "q": cells.count(q, withheld=held(code, "q")),
            "H": cells.ratio(this["H"], q, withheld=held(code, "n", "q")),
            "A": cells.ratio(this["A"], q, withheld=held(code, "q")),
            "M0": cells.ratio(this["M0"], q, withheld=held(code, "n", "q")),
            "target_poor": cells.count(this.get("target_poor"), withheld=held(code, "target_poor")),
            "target_rate_text": percent(
                cells.rate(
                    this.get("target_poor"), this["n"], withheld=held(code, "n", "target_poor")
                )
            ),
            "households": cells.count(this.get("households")),
            "poor_households": cells.count(this.get("poor_households")),
            "target_households": cells.count(this.get("target_households")),
        },
        "indicators": indicators,
        "contribution_bars": [
            {
                "label": i["label"],
                "value": i["contribution"],
                "note": DIMENSION_LABELS.get(i["dimension"], i["dimension"]),
            }
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
    hidden = withheld.hidden_cells(user, run)
    body = _measures(this, spec, cells, hidden)
    body["children"] = [_measures(c, spec, cells.within(c["code"]), hidden) for c in children]
    return body


def subset_counts_shown(*, user: User, run: Run, code: str = "") -> list[dict[str, Any]]:
    """Poor people per exact set of deprived dimensions in the area, as the user may see
    them (the API's subsets of a run)."""
    rows = selectors.subset_counts(run, code)
    cells = Cells(user, code)
    hidden = withheld.hidden_cells(user, run)
    return [
        {
            "subset": r["subset"],
            "label": r["label"],
            "name": " + ".join(str(DIMENSION_LABELS.get(d, d)) for d in r["dimensions"]),
            "poor": cells.count(r["poor"], withheld=(code, _subset(r)) in hidden),
            "share": cells.rate(
                r["poor"], r["of"], withheld=bool({(code, _subset(r)), (code, "q")} & hidden)
            ),
        }
        for r in rows
    ]


def _subset(row: dict) -> str:
    return withheld.subset_key(row["subset"])


def _measures(row: dict, spec: Spec, cells: Cells, hidden: set[Key]) -> dict[str, Any]:
    q, area = row["q"], row["code"]

    def held(*columns: str) -> bool:
        return any((area, column) in hidden for column in columns)

    return {
        "code": area,
        "level": row["level"],
        "n": cells.count(row["n"], withheld=held("n")),
        "q": cells.count(q, withheld=held("q")),
        "H": cells.ratio(row["H"], q, withheld=held("n", "q")),
        "A": cells.ratio(row["A"], q, withheld=held("q")),
        "M0": cells.ratio(row["M0"], q, withheld=held("n", "q")),
        "target_poor": cells.count(row.get("target_poor"), withheld=held("target_poor")),
        "target_poor_rate": cells.rate(
            row.get("target_poor"), row["n"], withheld=held("n", "target_poor")
        ),
        "censored_headcount": {
            i.id: cells.ratio(row[f"h_{i.id}"], row[f"h_{i.id}"] * row["n"], withheld=held("n"))
            for i in spec.indicators
        },
        "contribution": {
            i.id: cells.ratio(
                row[f"contrib_{i.id}"], row[f"h_{i.id}"] * row["n"], withheld=held("n")
            )
            for i in spec.indicators
        },
        "poor_by_dimension": {
            d: cells.count(row[f"poor_in_{d}"], withheld=held(f"poor_in_{d}"))
            for d in spec.dimensions
        },
    }
