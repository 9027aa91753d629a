"""The area picker's suggestions (under /geo/): areas are public facts, so any signed-in
user may ask; the user's own area comes first."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from onehome.access.policy import no_personal_data
from onehome.core.pickers import render_options

from .models import Village
from .picking import LEVELS, area_label, area_path, pick_areas


@no_personal_data
@login_required
@require_GET
def pick(request):
    """`?q=<name words>&level=subdistrict|village|area[&within=<code>]`: the suggestions
    list ("area": a province, district or sub-district)."""
    level = request.GET.get("level", "subdistrict")
    level = level if level in LEVELS else "subdistrict"
    within = (request.GET.get("within") or "").strip()
    within = within if within.isdigit() and len(within) in (2, 4, 6) else ""
    areas = pick_areas(request.GET.get("q", ""), level=level, within=within, user=request.user)
    options = []
    for area in areas:
        path = area_path(area)
        option = {
            "value": area.code,
            "label": area_label(area),
            "title": path[0],
            "detail": " · ".join(filter(None, [" › ".join(path[1:]), area.code])),
        }
        if isinstance(area, Village):
            option["parent_value"] = area.subdistrict_id
            option["parent_label"] = area_label(area.subdistrict)
        options.append(option)
    return render_options(request, options)
