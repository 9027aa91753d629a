"""Writes to the geography: the national load from `geothai`, and villages, loaded (set-up)
or created by a user of the area (the API)."""

from collections.abc import Callable
from pathlib import Path

import geothai
import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope
from onehome.errors import NotInScopeError, ValidationError

from .models import District, InspectionRegion, Province, Subdistrict, Village
from .selectors import forget_subdistrict_codes

REGIONS_FILE = Path(__file__).parent / "data" / "inspection_regions.yaml"


@transaction.atomic
def load_geography(*, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Create or update every province, district and sub-district from geothai, and the
    inspection regions from the data file. Safe to run again: rows are upserted by code."""
    regions = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))["regions"]
    region_of: dict[str, str] = {}
    for r in regions:
        InspectionRegion.objects.update_or_create(
            code=r["code"],
            defaults={"number": r["number"], "name_th": r["name_th"], "name_en": r["name_en"]},
        )
        for code in r["provinces"]:
            region_of[str(code)] = r["code"]

    provinces = geothai.provinces()
    missing = {p.code for p in provinces} - set(region_of)
    if missing:
        raise ValidationError(f"provinces without an inspection region: {sorted(missing)}")
    Province.objects.bulk_create(
        [
            Province(code=p.code, name_th=p.name_th, name_en=p.name_en, region_id=region_of[p.code])
            for p in provinces
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "region"],
    )
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    District.objects.bulk_create(
        [
            District(code=d.code, name_th=d.name_th, name_en=d.name_en, province_id=d.province_code)
            for d in districts
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "province"],
    )
    if progress:
        progress(len(provinces) + len(districts))
    subs = [s for d in districts for s in geothai.subdistricts(d.code)]
    _check_nested(districts, subs)
    Subdistrict.objects.bulk_create(
        [
            Subdistrict(
                code=s.code,
                name_th=s.name_th,
                name_en=s.name_en,
                district_id=s.district_code,
                province_id=s.province_code,
                postal_code=s.postal_codes[0] if s.postal_codes else "",
            )
            for s in subs
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "district", "province", "postal_code"],
        batch_size=1000,
    )
    if progress:
        progress(len(subs))
    transaction.on_commit(forget_subdistrict_codes)
    return {
        "regions": len(regions),
        "provinces": len(provinces),
        "districts": len(districts),
        "subdistricts": len(subs),
    }


def _check_nested(districts: list, subdistricts: list) -> None:
    """Every code starts with its parent's (a district's with its province's, a
    sub-district's with its district's): DOPA's codes do, and area scopes rely on it
    (`access.scope`, a province's cases are those whose sub-district code starts with it)."""
    wrong = [d.code for d in districts if not d.code.startswith(d.province_code)]
    wrong += [
        s.code
        for s in subdistricts
        if not (s.code.startswith(s.district_code) and s.code.startswith(s.province_code))
    ]
    if wrong:
        raise ValidationError(f"area codes outside their parent's code: {sorted(wrong)[:10]}")


def validate_village_code(code: str) -> Subdistrict:
    """An 8-digit code whose first 6 digits are a known sub-district and last 2 are 01–99."""
    if not (isinstance(code, str) and len(code) == 8 and code.isdigit()):
        raise ValidationError(
            _("A village code has 8 digits (sub-district code + 2-digit หมู่ number): %(code)s")
            % {"code": code},
            code="village_code_format",
        )
    sub = Subdistrict.objects.filter(code=code[:6]).first()
    if sub is None:
        raise ValidationError(
            _("Unknown sub-district code %(code)s in village code.") % {"code": code[:6]},
            code="unknown_subdistrict",
        )
    if int(code[6:]) == 0:
        raise ValidationError(_("Village number 00 does not exist."), code="village_number")
    return sub


@transaction.atomic
def create_village(*, actor: User, code: str, name_th: str, name_en: str = "") -> Village:
    """A user adds a village of their area, or gets the existing one with that code.

    Villages are public facts, but the list is everyone's: only the role table's village
    keepers may add to it, and only in a sub-district of their area (else NotInScopeError,
    shown as 404, like any write outside one's area). The new row is audited."""
    if not may(actor, Action.MANAGE_VILLAGES):  # before reading the code: nothing to learn
        raise NotInScopeError
    sub = validate_village_code(code)
    check_village_keeper(actor, subdistrict_code=sub.code)
    name_th = _village_name(name_th)
    existing = Village.objects.filter(code=code).first()
    if existing:
        return existing
    village = Village.objects.create(
        code=code, subdistrict=sub, number=int(code[6:]), name_th=name_th, name_en=name_en
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=village,
        after=audit.snapshot(village),
        subdistrict_code=sub.code,
        purpose="village",
    )
    return village


def check_village_keeper(actor: User, *, subdistrict_code: str) -> None:
    """NotInScopeError unless the role table lets the actor keep villages and the
    sub-district lies in their area (the scoping rule, for the village keepers' action)."""
    if not in_scope(actor, subdistrict_code=subdistrict_code, action=Action.MANAGE_VILLAGES):
        raise NotInScopeError


@transaction.atomic
def load_village(*, code: str, name_th: str, name_en: str = "") -> Village:
    """Load a village with no user behind it (set-up and test fixtures), like
    `load_geography`: checked, not audited. Users go through `create_village`."""
    sub = validate_village_code(code)
    village, _created = Village.objects.get_or_create(
        code=code,
        defaults={
            "subdistrict": sub,
            "number": int(code[6:]),
            "name_th": _village_name(name_th),
            "name_en": name_en,
        },
    )
    return village


def _village_name(name_th: str) -> str:
    name_th = (name_th or "").strip()
    if not name_th:
        raise ValidationError(_("A village needs a Thai name."), code="village_name")
    return name_th
