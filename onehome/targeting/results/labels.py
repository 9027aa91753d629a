"""What the targeting pages call areas and dimensions, in the page's language (Thai by
default): area names from the geography, and the TPMAP dimensions' names."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy

from onehome.geo.models import District, Province, Subdistrict, Village

MODELS = {2: Province, 4: District, 6: Subdistrict, 8: Village}

DIMENSION_LABELS = {  # in the page's language (Thai by default)
    "health": gettext_lazy("Health"),
    "living": gettext_lazy("Living conditions"),
    "living_standards": gettext_lazy("Living standards"),
    "education": gettext_lazy("Education"),
    "income": gettext_lazy("Income"),
    "access": gettext_lazy("Access to public services"),
}

# The built-in indicator catalogues' names (an analyst's own catalogue shows its file name).
CATALOGUE_NAMES = {
    "tpmap_2018": gettext_lazy("TPMAP 2018 (basic minimum needs survey)"),
    "global_mpi": gettext_lazy("Global MPI (UNDP and OPHI)"),
}


def catalogue_name(name: str) -> str:
    """A catalogue's name in the page's language, else its id."""
    return str(CATALOGUE_NAMES.get(name, name))


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


def province_names() -> dict[str, str]:
    """Every province's code → name (the nation page's tile map)."""
    return area_names(list(Province.objects.values_list("code", flat=True)))
