"""Area pages of a finished run: nation → province → district → sub-district → village,
with the measures, dimensions, indicators, the 31-subset table and (nation) the tile map;
and the year-over-year counts.

Aggregates only: no household appears here; counts and rates go through `suppression`
(small cells hidden from users without personal-data roles).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from onehome.access.policy import no_personal_data
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import District, Province, Subdistrict, Village

from . import selectors, yoy
from .forms import CompareForm
from .models import Run
from .suppression import Cells, percent
from .views import require_reader

MODELS = {2: Province, 4: District, 6: Subdistrict, 8: Village}


def area_names(codes: list[str]) -> dict[str, str]:
    """Area code → name in the page's language (the Thai name when no English one)."""
    english = (get_language() or "th").startswith("en")
    names: dict[str, str] = {}
    for width, model in MODELS.items():
        wanted = [c for c in codes if len(c) == width]
        if wanted:
            rows = model.objects.filter(code__in=wanted).values_list("code", "name_th", "name_en")
            names.update({c: (en if english and en else th) for c, th, en in rows})
    return names


def breadcrumb(code: str) -> list[dict[str, str]]:
    parts = [code[:w] for w in (2, 4, 6, 8) if len(code) >= w]
    names = area_names(parts)
    return [{"code": "", "name": _("Whole country")}] + [
        {"code": p, "name": names.get(p, p)} for p in parts
    ]


@no_personal_data
@login_required
def area(request, run_id: int, code: str = ""):
    user = request.user
    require_reader(user)
    try:
        run = selectors.finished_run(run_id)
        this, children = selectors.area_measures(run, code)
    except NotInScopeError:
        raise Http404 from None
    if this is None:
        raise Http404
    spec = selectors.run_spec(run)
    labels = selectors.indicator_labels(run.spec_name)
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
    context = {
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
    context["small_cells_hidden"] = cells.hid_any  # the page says what "<5" and "–" mean
    if code == "":
        context["map_values"] = {r["code"]: r["target_rate"] for r in rows}
        context["map_names"] = area_names(list(Province.objects.values_list("code", flat=True)))
        context["map_args"] = [run.pk]
    return render(request, "targeting/area.html", context)


DIMENSION_LABELS = {  # in the page's language (Thai by default)
    "health": gettext_lazy("Health"),
    "living": gettext_lazy("Living conditions"),
    "education": gettext_lazy("Education"),
    "income": gettext_lazy("Income"),
    "access": gettext_lazy("Access to public services"),
}


@no_personal_data
@login_required
def compare(request):
    """Year over year: households that entered or left poverty, per area (counts)."""
    user = request.user
    require_reader(user)
    form = CompareForm(request.GET or None)
    result, error = None, None
    if form.is_valid():
        d = form.cleaned_data
        earlier = Run.objects.filter(pk=d["earlier"]).first()
        later = Run.objects.filter(pk=d["later"]).first()
        try:
            if earlier is None or later is None:
                raise NotInScopeError
            selectors.finished_run(earlier.pk), selectors.finished_run(later.pk)
            result = yoy.compare_runs(earlier=earlier, later=later, area=d.get("area") or "")
        except ValidationError as exc:
            error = " ".join(str(m) for m in exc.messages)
        except NotInScopeError:
            raise Http404 from None
    code = result.area if result else ""
    # A village's parent is its sub-district, and so on up: drop the last two digits.
    parent = code[:-2] if code else None
    children = result.children if result is not None and result.has_children else []
    names = area_names([code, parent or "", *(c["code"] for c in children)])

    def name_of(area: str) -> str:
        return names.get(area, area) if area else _("Whole country")

    cells = Cells(user, code)
    rows = [
        {
            "code": c["code"],
            "name": name_of(c["code"]),
            **{k: row_cells.count(c[k]) for k in yoy.CHANGES},
        }
        for c in children
        for row_cells in [cells.within(c["code"])]
    ]
    totals = {k: cells.count(v) for k, v in result.totals.items()} if result else {}
    listable = selectors.households_visible_in(user, code)
    cards = [
        {
            "key": key,
            "label": label,
            "count": totals.get(key, ""),
            "listable": listable and key != "stayed" and bool(result and result.totals[key]),
        }
        for key, label in yoy.CHANGES.items()
    ]
    context = {
        "form": form,
        "result": result,
        "error": error,
        "area_name": name_of(code),
        "parent": None if parent is None else {"code": parent, "name": name_of(parent)},
        "rows": rows,
        "cards": cards,
        "small_cells_hidden": cells.hid_any,  # the page says what "<5" means
        "changes": yoy.CHANGES,
        "runs": Run.objects.filter(status="done").select_related("survey_round")[:50],
    }
    return render(request, "targeting/compare.html", context)
