"""Reads of the geography. Areas are public facts, so nothing here is scoped."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from onehome.core.compiled.queries import CompiledQuery

from .models import District, InspectionRegion, Province, Subdistrict, Village

AREA_MODELS = {
    "region": InspectionRegion,
    "province": Province,
    "district": District,
    "subdistrict": Subdistrict,
    "village": Village,
}


# The field naming each level's parent, for lists narrowed to one parent (`?parent=`).
PARENT_FIELD = {
    "province": "region_id",
    "district": "province_id",
    "subdistrict": "district_id",
    "village": "subdistrict_id",
}


def areas(level: str, *, parent: str | None = None) -> QuerySet:
    """The areas of one level (a key of `AREA_MODELS`), only those in ``parent`` if given."""
    qs = AREA_MODELS[level].objects.all()
    if parent and level in PARENT_FIELD:
        qs = qs.filter(**{PARENT_FIELD[level]: parent})
    return qs


def provinces() -> QuerySet[Province]:
    return Province.objects.all()


def area_of_level(level: str, code: str) -> Model | None:
    """The area a user's scope names (its level and code), or None when unknown."""
    model = AREA_MODELS.get(level)
    return model.objects.filter(code=code).first() if model and code else None


def subdistricts_matching(text: str, *, limit: int = 20) -> list[Subdistrict]:
    """Sub-districts whose code starts with ``text`` (digits) or whose Thai name contains
    it, with their district and province: the sub-district pickers' options."""
    match = Q(code__startswith=text) if text.isdigit() else Q(name_th__contains=text)
    return list(Subdistrict.objects.filter(match).select_related("district", "province")[:limit])


def area_by_code(code: str) -> Province | District | Subdistrict | Village | None:
    """The area a DOPA code names, by its length (2, 4, 6 or 8 digits)."""
    model = {2: Province, 4: District, 6: Subdistrict, 8: Village}.get(len(code or ""))
    if model is None or not code.isdigit():
        return None
    try:
        return model.objects.get(code=code)
    except ObjectDoesNotExist:
        return None


_CODES: dict[tuple[str, str], tuple[str, ...]] = {}


def subdistrict_codes(*, level: str, code: str) -> tuple[str, ...]:
    """The sub-district codes inside an area, cached per process: boundaries change by law,
    not by request, and a literal list lets the database plan scoped queries well (an IN
    sub-query made PostgreSQL loop once per sub-district). Empty answers are not cached;
    `load_geography` calls `forget_subdistrict_codes`."""
    key = (level, code)
    if key not in _CODES:
        codes = tuple(subdistricts_of(level=level, code=code).values_list("code", flat=True))
        if not codes:
            return codes
        _CODES[key] = codes
    return _CODES[key]


def forget_subdistrict_codes() -> None:
    _CODES.clear()


def subdistricts_of(*, level: str, code: str):
    """Queryset of sub-district codes inside an area."""
    qs = Subdistrict.objects.all()
    if level == "subdistrict":
        qs = qs.filter(code=code)
    elif level == "district":
        qs = qs.filter(district_id=code)
    elif level == "province":
        qs = qs.filter(province_id=code)
    elif level == "region":
        qs = qs.filter(province__region_id=code)
    elif level != "nation":
        return qs.none()
    return qs.values("code")


# Compiled once (`onehome.core.compiled.queries`): intake and registration place every record.
_VILLAGE_WITH_SUBDISTRICT = CompiledQuery(
    lambda code: Village.objects.select_related("subdistrict").filter(code=code)
)
_SUBDISTRICT = CompiledQuery(lambda code: Subdistrict.objects.filter(code=code))
_VILLAGE = CompiledQuery(lambda code: Village.objects.filter(code=code))


def resolve_area(subdistrict: str, village: str | None) -> tuple[Subdistrict, Village | None]:
    """The sub-district (and village, when given) a record is placed in, or a
    ValidationError naming the unknown code or the village that lies elsewhere.

    With a village, the usual case (it lies in the sub-district given) is one query."""
    # The codes are text columns: a number given for one means its digits.
    subdistrict, village = str(subdistrict), (str(village) if village else village)
    if village:
        vil = _VILLAGE_WITH_SUBDISTRICT.one(village)
        if vil is not None and vil.subdistrict_id == subdistrict:
            return vil.subdistrict, vil
    sub = _SUBDISTRICT.one(subdistrict)
    if sub is None:
        raise ValidationError(
            _("Unknown sub-district code %(code)s.") % {"code": subdistrict}, code="unknown_area"
        )
    vil = None
    if village:
        vil = _VILLAGE.one(village)
        if vil is None or vil.subdistrict_id != sub.code:
            raise ValidationError(
                _("Village %(code)s is not in sub-district %(sub)s.")
                % {"code": village, "sub": subdistrict},
                code="unknown_area",
            )
    return sub, vil
