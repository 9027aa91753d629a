"""Reads of the organisation directory. Organisations are public information (no personal
data), so any signed-in user may see the whole directory; filters narrow it by area."""

from django.db.models import Q, QuerySet

from .models import AGENCY_KINDS, CENTRE_KINDS, PARTNER_KINDS, Agreement, Organisation

GROUP_KINDS = {"agency": AGENCY_KINDS, "centre": CENTRE_KINDS, "partner": PARTNER_KINDS}


def directory(
    *, group: str | None = None, province: str | None = None, subdistrict: str | None = None
) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("province", "location", "parent")
    if group in GROUP_KINDS:
        qs = qs.filter(kind__in=GROUP_KINDS[group])
    if province:
        qs = qs.filter(Q(province_id=province) | Q(province__isnull=True, kind__in=AGENCY_KINDS))
    if subdistrict:
        qs = qs.filter(Q(serves__code=subdistrict) | Q(location_id=subdistrict)).distinct()
    return qs


def centres_serving(subdistrict_code: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=CENTRE_KINDS, serves__code=subdistrict_code)


def agreements(*, province: str | None = None) -> QuerySet[Agreement]:
    qs = Agreement.objects.prefetch_related("parties")
    if province:
        qs = qs.filter(Q(provinces__code=province) | Q(provinces__isnull=True)).distinct()
    return qs
