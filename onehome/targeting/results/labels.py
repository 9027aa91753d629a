"""What the targeting pages call areas, dimensions, catalogues and survey rounds, in the
page's language (Thai by default): area names from the geography, the TPMAP dimensions'
names, the built-in catalogues' names and "รอบสำรวจ จปฐ. ปี 2568"."""

from __future__ import annotations

from django.utils.translation import get_language, gettext, gettext_lazy

from onehome.core.thai_dates import era_year
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


def round_label(survey_round) -> str:
    """A survey round as people name it: "รอบสำรวจ จปฐ. ปี 2568" (Buddhist era in Thai),
    with its province for a provincial round, whatever name it was imported under."""
    if survey_round is None:
        return ""
    label = gettext("BMN survey round %(year)s") % {"year": era_year(survey_round.year)}
    if survey_round.province_id:  # read with the round (select_related) by the selectors
        province = survey_round.province
        english = (get_language() or "th").startswith("en")
        label += " · " + (province.name_en if english and province.name_en else province.name_th)
    return label


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
