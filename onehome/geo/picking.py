"""Areas found by name for the area pickers (`onehome.core.pickers`): a sub-district or a
village typed as a Thai or English name — its own or its district's or province's — with
the labels people read ("ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย"). Areas are
public facts, so nothing here is scoped; the user's own area only comes first."""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import District, Province, Subdistrict, Village

PICK_LIMIT = 20
LEVELS = ("subdistrict", "village")
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
    if level == "subdistrict":
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


def pick_areas(
    text: str, *, level: str, within: str = "", user=None, limit: int = PICK_LIMIT
) -> list[Subdistrict] | list[Village]:
    """Sub-districts or villages matching every typed word, inside ``within`` (a code
    prefix: a province, district or sub-district) when given: the user's own area first,
    then exact names, names that begin with the first word, and the rest by code."""
    words = _tokens(text)
    if level not in LEVELS or not (words or (level == "village" and len(within) == 6)):
        return []
    if level == "subdistrict":
        qs: QuerySet = Subdistrict.objects.select_related("district", "province")
        if within.isdigit() and len(within) in (2, 4):
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
    qs = qs.annotate(
        in_scope=_scope_rank(level, user),
        closeness=Case(
            When(Q(name_th=first) | Q(name_en__iexact=first), then=Value(0)),
            When(Q(name_th__startswith=first) | Q(name_en__istartswith=first), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
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


def area_path(area: Subdistrict | Village) -> list[str]:
    """The area's name then its parents' (village › ตำบล › อำเภอ › จังหวัด)."""
    parts = []
    if isinstance(area, Village):
        parts.append(village_label(area))
        area = area.subdistrict
    parts += [subdistrict_label(area), district_label(area.district), province_label(area.province)]
    return parts


def area_label(area: Subdistrict | Village) -> str:
    """ "ตำบลเวียง › อำเภอเมืองเชียงราย › จังหวัดเชียงราย" (the village first when one)."""
    return " › ".join(area_path(area))


def area_for_code(code: str, level: str) -> Subdistrict | Village | None:
    """The sub-district (6 digits) or village (8 digits) a picker's value names, with the
    parents its label needs; None when the value is not such a code."""
    code = (code or "").strip()
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
