"""Organisations found by name for the organisation picker (`onehome.core.pickers`): the
ones serving the case's area first, then those of its district and province, each with its
kind and district so that five "ศูนย์ช่วยเหลือสังคมตำบลเวียง" can be told apart.

Which organisations a form offers (`PURPOSES`) mirrors that form's own queryset; the form
still validates the chosen one."""

import re

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import get_language

from onehome.geo.picking import district_label, province_label

from .models import AGENCY_KINDS, CENTRE_KINDS, Organisation

PICK_LIMIT = 20


def choosable(
    purpose: str, *, province: str = "", exclude: int | None = None, organisation: int | None = None
) -> QuerySet[Organisation]:
    """The organisations a form offers: `referral` (cases/referrals/forms.py), `transfer`
    (cases/lifecycle/forms.py), `agency` (cases/plans/forms.py), `provider`
    (cases/assistance/forms.py; ``organisation`` is the user's own)."""
    qs = Organisation.objects.all()
    if purpose == "referral":
        qs = qs.filter(accepts_referrals=True)
        if province:
            qs = qs.filter(province_id=province)
    elif purpose == "transfer":
        qs = qs.filter(kind__in=AGENCY_KINDS | CENTRE_KINDS)
        if province:
            qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
    elif purpose == "agency":
        if province:
            qs = qs.filter(Q(province_id=province) | Q(province__isnull=True))
    elif purpose == "provider":
        if province:
            qs = qs.filter(Q(province_id=province) | Q(pk=organisation))
    else:
        return qs.none()
    if exclude:
        qs = qs.exclude(pk=exclude)
    return qs


def _closeness(area: str) -> Case | Value:
    """0 serves the area (or sits in it), 1 sits in its district, 2 in its province."""
    if not (area.isdigit() and len(area) == 6):
        return Value(3, output_field=IntegerField())
    serving = Organisation.serves.through.objects.filter(
        organisation_id=OuterRef("pk"), subdistrict_id=area
    )
    return Case(
        When(Exists(serving) | Q(location_id=area), then=Value(0)),
        When(location__district_id=area[:4], then=Value(1)),
        When(province_id=area[:2], then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def pick_organisations(
    text: str, qs: QuerySet[Organisation], *, area: str = "", limit: int = PICK_LIMIT
) -> list[Organisation]:
    """Organisations of ``qs`` whose name (Thai or English), district or province holds
    every typed word; those closest to ``area`` (a sub-district code) first."""
    for word in re.split(r"\s+", (text or "").strip())[:5]:
        if word:
            qs = qs.filter(
                Q(name_th__icontains=word)
                | Q(name_en__icontains=word)
                | Q(location__name_th__icontains=word)
                | Q(location__district__name_th__icontains=word)
                | Q(location__district__name_en__icontains=word)
                | Q(province__name_th__icontains=word)
                | Q(province__name_en__icontains=word)
            )
    qs = qs.select_related("province", "location", "location__district")
    qs = qs.annotate(closeness=_closeness(area))
    return list(qs.order_by("closeness", "kind", "name_th", "pk")[:limit])


def where(org: Organisation) -> str:
    """Its district and province, or its province, or nothing (nation-wide bodies)."""
    parts = []
    if org.location_id:
        parts.append(district_label(org.location.district))
    if org.province_id:
        parts.append(province_label(org.province))
    return " › ".join(parts)


def organisation_name(org: Organisation) -> str:
    return org.name_en if get_language() == "en" and org.name_en else org.name_th


def organisation_label(value) -> str:
    """The text the picker shows for a chosen organisation (its id), or ""."""
    if not str(value).isdigit():
        return ""
    org = (
        Organisation.objects.select_related("province", "location", "location__district")
        .filter(pk=int(value))
        .first()
    )
    if org is None:
        return ""
    place = where(org)
    return f"{organisation_name(org)} · {place}" if place else organisation_name(org)


def organisations_named(text: str, qs: QuerySet[Organisation]) -> list[Organisation]:
    """The organisations of ``qs`` (the form's own queryset) whose whole Thai or English
    name is the typed text, for a name typed without choosing from the list."""
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text:
        return []
    qs = qs.filter(Q(name_th=text) | Q(name_en__iexact=text))
    return list(qs.select_related("province", "location", "location__district")[:PICK_LIMIT])
