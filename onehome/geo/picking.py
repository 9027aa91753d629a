"""Areas found by name for the area pickers (`onehome.core.pickers`): a sub-district, a
village or, for the "area" level, a province, district or sub-district (filters that take
an area of any level) typed as a Thai or English name — its own or its parents' — with
the labels people read ("ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย"). Areas are
public facts, so nothing here is scoped; the user's own area only comes first."""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import District, Province, Subdistrict, Village

PICK_LIMIT = 20
LEVELS = ("subdistrict", "village", "area")
# The kinds of area the "area" level offers, largest first (the order among equals).
AREA_KINDS = ("province", "district", "subdistrict")
BANGKOK = "10"
# Words people type before a name, ignored when matching ("ตำบลเวียง", "ต.เวียง", "หมู่ 3").
_PREFIXES = re.compile(r"^(จังหวัด|จ\.|อำเภอ|อ\.|เขต|ตำบล|ต\.|แขวง|หมู่บ้าน|บ้าน|หมู่ที่|หมู่|ม\.)")
_SEPARATORS = re.compile(r"[\s›>,/]+")


def _tokens(text: str) -> list[str]:
    """The words of a query, without the level words ("ตำบล", "หมู่") put before names."""
    words = []
    for word in _SEPARATORS.split((text or "").strip()):
        if word.lower() in {"moo", "tambon", "amphoe", "changwat", "province", "district"}:
            continue
        stripped = _PREFIXES.sub("", word) if not word.startswith("บ้าน") else word
        if stripped:
            words.append(stripped)
    return words[:5]


def _name_q(prefix: str, word: str) -> Q:
    return Q(**{f"{prefix}name_th__icontains": word}) | Q(**{f"{prefix}name_en__icontains": word})


def _word_q(level: str, word: str) -> Q:
    """One typed word matches the area's own name, its parents' names or, for a village,
    its number (หมู่ 3) or code."""
    if level == "province":
        parents = ("",)
    elif level == "district":
        parents = ("", "province__")
    elif level == "subdistrict":
        parents = ("", "district__", "province__")
    else:
        parents = ("", "subdistrict__", "subdistrict__district__", "subdistrict__province__")
    q = Q()
    for prefix in parents:
        q |= _name_q(prefix, word)
    if word.isdigit():
        if level == "village" and len(word) <= 2:
            q |= Q(number=int(word))
        q |= Q(code__startswith=word)
    return q


def _scope_rank(level: str, user) -> Case | Value:
    """0 for areas inside the user's own area of work, 1 for the others."""
    area_level, code = getattr(user, "scope_level", ""), getattr(user, "scope_code", "")
    sub = "code" if level == "subdistrict" else "subdistrict__code"
    province = "province_id" if level == "subdistrict" else "subdistrict__province_id"
    inside = {
        "subdistrict": Q(**{sub: code}),
        "district": Q(**{sub + "__startswith": code}),
        "province": Q(**{province: code}),
        "region": Q(**{province.replace("_id", "__region_id"): code}),
    }.get(area_level)
    if not code or inside is None:
        return Value(1, output_field=IntegerField())
    return Case(When(inside, then=Value(0)), default=Value(1), output_field=IntegerField())


def _any_level_scope_rank(kind: str, user) -> Case | Value:
    """0 for areas inside the user's own area of work or containing it, 1 for the others."""
    area_level, code = getattr(user, "scope_level", ""), getattr(user, "scope_code", "")
    if not code or area_level not in ("province", "district", "subdistrict", "region"):
        return Value(1, output_field=IntegerField())
    if area_level == "region":
        inside = Q(region_id=code) if kind == "province" else Q(province__region_id=code)
    else:
        width = {"province": 2, "district": 4, "subdistrict": 6}[kind]
        inside = Q(code__startswith=code) | Q(code=code[:width])
    return Case(When(inside, then=Value(0)), default=Value(1), output_field=IntegerField())


def _kind_queryset(kind: str) -> QuerySet:
    if kind == "province":
        return Province.objects.all()
    if kind == "district":
        return District.objects.select_related("province")
    return Subdistrict.objects.select_related("district", "province")


def _closeness(first: str) -> Case:
    return Case(
        When(Q(name_th=first) | Q(name_en__iexact=first), then=Value(0)),
        When(Q(name_th__startswith=first) | Q(name_en__istartswith=first), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _pick_any_level(words: list[str], within: str, user, limit: int) -> list:
    """Provinces, districts and sub-districts matching every typed word (a village only
    by its full code): the user's own area first, then exact names, names that begin
    with the first word, larger areas before smaller ones, and the rest by code."""
    found = []
    for order, kind in enumerate(AREA_KINDS):
        qs = _kind_queryset(kind)
        if within.isdigit() and len(within) in (2, 4):
            if len(within) >= {"province": 2, "district": 4, "subdistrict": 6}[kind]:
                continue
            qs = qs.filter(code__startswith=within)
        for word in words:
            qs = qs.filter(_word_q(kind, word))
        qs = qs.annotate(in_scope=_any_level_scope_rank(kind, user), closeness=_closeness(words[0]))
        for area in qs.order_by("in_scope", "closeness", "code")[:limit]:
            found.append(((area.in_scope, area.closeness, order, area.code), area))
    if len(words) == 1 and len(words[0]) == 8 and words[0].isdigit():
        village = area_for_code(words[0], "village")
        if village is not None and village.code.startswith(within):
            found.append(((0, 0, len(AREA_KINDS), village.code), village))
    found.sort(key=lambda pair: pair[0])
    return [area for _key, area in found[:limit]]


def pick_areas(
    text: str, *, level: str, within: str = "", user=None, limit: int = PICK_LIMIT
) -> list:
    """Sub-districts or villages (or, for level "area", provinces, districts and
    sub-districts) matching every typed word, inside ``within`` (a code prefix: a
    province, district or sub-district) when given: the user's own area first, then
    exact names, names that begin with the first word, and the rest by code."""
    words = _tokens(text)
    if level == "area":
        return _pick_any_level(words, within, user, limit) if words else []
    if level not in LEVELS or not (words or (level == "village" and len(within) == 6)):
        return []
    if level == "subdistrict":
        qs: QuerySet = Subdistrict.objects.select_related("district", "province")
        if within.isdigit() and len(within) in (2, 4, 6):  # 6: a sub-district's own staff
            qs = qs.filter(code__startswith=within)
    else:
        qs = Village.objects.select_related(
            "subdistrict", "subdistrict__district", "subdistrict__province"
        )
        if within.isdigit() and len(within) in (2, 4, 6):
            qs = qs.filter(code__startswith=within)
    for word in words:
        qs = qs.filter(_word_q(level, word))
    first = words[0] if words else ""
    qs = qs.annotate(in_scope=_scope_rank(level, user), closeness=_closeness(first))
    return list(qs.order_by("in_scope", "closeness", "code")[:limit])


def _thai() -> bool:
    return get_language() != "en"


def province_label(province: Province) -> str:
    if _thai() and province.code != BANGKOK:
        return _prefixed("จังหวัด", province.name_th)
    return province.name


def district_label(district: District) -> str:
    if _thai():
        word = "เขต" if district.province_id == BANGKOK else "อำเภอ"
        return _prefixed(word, district.name_th)
    return district.name


def subdistrict_label(sub: Subdistrict) -> str:
    if _thai():
        word = "แขวง" if sub.province_id == BANGKOK else "ตำบล"
        return _prefixed(word, sub.name_th)
    return sub.name


def village_label(village: Village) -> str:
    return _("Moo %(number)s %(name)s") % {"number": village.number, "name": village.name}


def _prefixed(word: str, name: str) -> str:
    return name if name.startswith(word) else word + name


def area_path(area: Province | District | Subdistrict | Village) -> list[str]:
    """The area's name then its parents' (village › ตำบล › อำเภอ › จังหวัด)."""
    if isinstance(area, Province):
        return [province_label(area)]
    if isinstance(area, District):
        return [district_label(area), province_label(area.province)]
    parts = []
    if isinstance(area, Village):
        parts.append(village_label(area))
        area = area.subdistrict
    parts += [subdistrict_label(area), district_label(area.district), province_label(area.province)]
    return parts


def area_label(area: Province | District | Subdistrict | Village) -> str:
    """ "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย" (the village first when one)."""
    return " › ".join(area_path(area))


def area_for_code(code: str, level: str) -> Province | District | Subdistrict | Village | None:
    """The sub-district (6 digits) or village (8 digits) a picker's value names — or, for
    level "area", the area of any level (2, 4, 6 or 8 digits) — with the parents its
    label needs; None when the value is not such a code."""
    code = (code or "").strip()
    if level == "area" and code.isdigit():
        if len(code) in (2, 4):
            return (
                _kind_queryset("province" if len(code) == 2 else "district")
                .filter(code=code)
                .first()
            )
        level = {6: "subdistrict", 8: "village"}.get(len(code), "")
    if level == "subdistrict" and len(code) == 6 and code.isdigit():
        return Subdistrict.objects.select_related("district", "province").filter(code=code).first()
    if level == "village" and len(code) == 8 and code.isdigit():
        return (
            Village.objects.select_related(
                "subdistrict", "subdistrict__district", "subdistrict__province"
            )
            .filter(code=code)
            .first()
        )
    return None


def areas_named(text: str, level: str, *, within: str = "", limit: int = 100) -> list:
    """The sub-districts or villages a name or code typed without choosing from the list
    names exactly: its code, or its own name (Thai or English, level words ignored), the
    other typed words naming its parents ("เวียง › เมืองเชียงราย" or a full label). A
    village is only looked for inside ``within`` (a sub-district code); without one,
    nothing is found."""
    text = (text or "").strip()
    words = _tokens(text)
    if level == "area":
        return _any_level_named(text, words, limit) if words else []
    if level not in LEVELS or not words:
        return []
    if level == "village":
        if not (within.isdigit() and len(within) == 6):
            return []
        qs: QuerySet = Village.objects.select_related(
            "subdistrict", "subdistrict__district", "subdistrict__province"
        ).filter(subdistrict_id=within)
        first = words[0]
        exact = Q(code=first) | Q(name_th=first) | Q(name_en__iexact=first)
        if first.isdigit() and len(first) <= 2:
            exact |= Q(number=int(first))
    else:
        qs = Subdistrict.objects.select_related("district", "province")
        first = words[0]
        exact = Q(code=first) | Q(name_th=first) | Q(name_en__iexact=first)
    qs = qs.filter(exact)
    for word in words[1:]:
        qs = qs.filter(_word_q(level, word))
    return list(qs.order_by("code")[:limit])


def _own_names(segment: str) -> set[str]:
    """A typed name as written and without its level word ("อำเภอเมืองเชียงราย" and
    "เมืองเชียงราย"; "Chiang Rai Province" and "Chiang Rai")."""
    segment = segment.strip()
    bare = _PREFIXES.sub("", segment).strip()
    english = re.sub(r"\s+(province|district|sub-district|tambon|amphoe)$", "", bare, flags=re.I)
    return {name for name in (segment, bare, english) if name}


def _any_level_named(text: str, words: list[str], limit: int) -> list:
    """The provinces, districts and sub-districts (or the village, by its code) a typed
    name or code names exactly: a code of any level; a whole name, Thai or English (a
    label "อำเภอเมืองเชียงราย › จังหวัดเชียงราย" too: its first part the area's own name,
    the others its parents'); else the first word its own name, the others its parents'."""
    if len(words) == 1 and words[0].isdigit():
        area = area_for_code(words[0], "area")
        return [area] if area is not None else []
    segments = [part for part in re.split(r"\s*[›>,/]\s*", text) if part.strip()]
    found = []
    for kind in AREA_KINDS:
        names = _own_names(segments[0]) if segments else set()
        exact = Q(name_th__in=names)
        for name in names:
            exact |= Q(name_en__iexact=name)
        qs = _kind_queryset(kind).filter(exact)
        for word in _tokens(" ".join(segments[1:])):
            qs = qs.filter(_word_q(kind, word))
        found += list(qs.order_by("code")[:limit])
    if found:
        return found[:limit]
    for kind in AREA_KINDS:
        first = words[0]
        qs = _kind_queryset(kind).filter(Q(name_th=first) | Q(name_en__iexact=first))
        for word in words[1:]:
            qs = qs.filter(_word_q(kind, word))
        found += list(qs.order_by("code")[:limit])
    return found[:limit]
