"""The directory of agencies, centres and partners, and the agreements (MOUs) between them.
Organisations are public facts, so these pages hold no personal data."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onehome.access.policy import no_personal_data
from onehome.geo.selectors import provinces

from . import selectors

GROUPS = [
    ("", _("All")),
    ("agency", _("Agencies")),
    ("centre", _("Centres")),
    ("partner", _("Partners")),
]
PAGE_SIZE = 30


def _clean_code(value: str | None, length: int) -> str:
    value = (value or "").strip()
    return value if len(value) == length and value.isdigit() else ""


@no_personal_data
@login_required
def directory(request):
    group = request.GET.get("group", "")
    group = group if group in selectors.GROUP_KINDS else ""
    province = _clean_code(request.GET.get("province"), 2)
    subdistrict = _clean_code(request.GET.get("subdistrict"), 6)
    qs = selectors.directory(
        group=group or None, province=province or None, subdistrict=subdistrict or None
    ).prefetch_related("serves")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "groups": GROUPS,
        "group": group,
        "province": province,
        "subdistrict": subdistrict,
        "subdistrict_raw": request.GET.get("subdistrict", ""),
        "provinces": provinces(),
        "page": page,
    }
    return render(request, "orgs/directory.html", context)


@no_personal_data
@login_required
def agreement_list(request):
    province = _clean_code(request.GET.get("province"), 2)
    qs = selectors.agreements(province=province or None).prefetch_related("provinces")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"province": province, "provinces": provinces(), "page": page}
    return render(request, "orgs/agreements.html", context)
