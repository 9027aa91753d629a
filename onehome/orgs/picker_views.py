"""The organisation picker's suggestions (/directory/pick/). Organisations are public
facts: any signed-in user may ask."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from onehome.access.policy import no_personal_data
from onehome.core.pickers import render_options

from .models import OrgKind
from .picking import choosable, organisation_name, pick_organisations, where


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@no_personal_data
@login_required
@require_GET
def pick(request):
    """`?q=&purpose=referral|transfer|agency|provider&area=<sub-district>&province=<code>
    &exclude=<id>`: organisations the form offers, those serving the area first."""
    get = request.GET
    province = get.get("province", "")
    province = province if province.isdigit() and len(province) == 2 else ""
    area = get.get("area", "")
    qs = choosable(
        get.get("purpose", ""),
        province=province,
        exclude=_int(get.get("exclude")),
        organisation=request.user.organisation_id,
    )
    options = []
    for org in pick_organisations(get.get("q", ""), qs, area=area):
        place = where(org)
        name = organisation_name(org)
        detail = " · ".join(p for p in (str(OrgKind(org.kind).label), place) if p)
        options.append(
            {
                "value": org.pk,
                "label": f"{name} · {place}" if place else name,
                "title": name,
                "detail": detail,
                "serves": org.closeness == 0,
            }
        )
    return render_options(request, options)
