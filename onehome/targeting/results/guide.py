"""The help page's content generated from an indicator catalogue: its dimensions, and each
indicator with its label (in the page's language), dimension and weight, and the catalogue's
poverty cut-off k. Generated from the catalogue file, so the page never drifts from it."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from onehome.targeting import catalogue_files
from onehome.targeting.results.labels import DIMENSION_LABELS, catalogue_name

DEFAULT_CATALOGUE = "tpmap_2018"


def fraction(value: float) -> str:
    """0.05 → "1/20" (weights and k are written as fractions in the catalogues)."""
    f = Fraction(value).limit_denominator(1000)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def catalogue_guide(name: str = "") -> dict[str, Any]:
    """Everything the help page says about one catalogue (an unknown name: the default)."""
    known = catalogue_files.built_in_names()
    if not name or name not in known:
        name = DEFAULT_CATALOGUE if DEFAULT_CATALOGUE in known else known[0]
    spec = catalogue_files.catalogue(name)
    labels = catalogue_files.indicator_labels(name)
    indicators = [
        {
            "id": ind.id,
            "label": labels.get(ind.id, ind.id),
            "dimension": str(DIMENSION_LABELS.get(ind.dimension, ind.dimension)),
            "weight": fraction(ind.weight),
        }
        for ind in spec.indicators
    ]
    return {
        "catalogue": name,
        "catalogue_name": catalogue_name(name),
        "catalogues": [(n, catalogue_name(n)) for n in known],
        "indicators": indicators,
        "dimensions": [str(DIMENSION_LABELS.get(d, d)) for d in spec.dimensions],
        "union": spec.k_rule == "union",
        "k": fraction(spec.k) if spec.k_rule != "union" else "",
        "k_rule": spec.k_rule,
    }
