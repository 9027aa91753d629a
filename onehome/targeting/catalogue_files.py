"""Indicator catalogues by name: the analyst's (``ONEHOME_DATA_DIR/catalogues``) before the
built-in ones (``catalogues/``), loaded as the engine's `Spec`; the spec exactly as a run
used it; and the indicators' labels and units in the page's language.

The engine (`engine.spec`) reads a catalogue from a path; this module is where the project
decides which path a name means, so the engine needs no Django settings.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onehome.errors import ValidationError
from onehome.targeting.engine.spec import Spec, SpecError, load_spec
from onehome.targeting.models import Run

BUILT_IN = Path(__file__).resolve().parent / "catalogues"


def catalogue_path(name: str) -> Path:
    """The YAML file of a catalogue: an analyst's (in the data directory) or a built-in."""
    for folder in (Path(settings.ONEHOME_DATA_DIR) / "catalogues", BUILT_IN):
        path = folder / f"{name}.yaml"
        if path.exists():
            return path
    return BUILT_IN / f"{name}.yaml"


def built_in_names() -> list[str]:
    """The names of the built-in catalogues, sorted."""
    return [p.stem for p in sorted(BUILT_IN.glob("*.yaml"))]


def catalogue(name: str, **settings: Any) -> Spec:
    """An indicator catalogue by name (an analyst's in the data directory, or built in)."""
    valid_name = re.fullmatch(r"[a-z0-9_]+", name or "")
    path = catalogue_path(name) if valid_name else None
    if path is None or not path.exists():
        known = ", ".join(sorted(p.stem for p in BUILT_IN.glob("*.yaml")))
        raise ValidationError(
            _("Unknown indicator catalogue %(name)s (known: %(known)s).")
            % {"name": name, "known": known},
            code="unknown_catalogue",
        )
    try:
        return load_spec(path, **settings)
    except SpecError as exc:
        raise ValidationError(str(exc), code="bad_catalogue") from exc


def run_spec(run: Run) -> Spec:
    """The catalogue exactly as the run used it (its settings and k)."""
    spec = load_spec(catalogue_path(run.spec_name), **(run.spec_settings or {}))
    return spec.with_k(run.k) if run.k else spec


@cache
def _raw_labels(path: str, mtime: float) -> dict[str, dict[str, dict[str, str]]]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        key: {
            str(item.get("id")): {
                "en": str(item.get(key, "")),
                "th": str(item.get(f"{key}_th", "")),
            }
            for item in raw.get("indicators") or []
        }
        for key in ("label", "measure")
    }


def indicator_labels(spec_name: str) -> dict[str, str]:
    """Indicator id → label in the current language (Thai first, English, else the id)."""
    return {i: text or i for i, text in _indicator_texts(spec_name, "label").items()}


def indicator_measures(spec_name: str) -> dict[str, str]:
    """Indicator id → the unit of its value in the current language ("บาท/คน/ปี"), "" when
    the catalogue gives none."""
    return _indicator_texts(spec_name, "measure")


def _indicator_texts(spec_name: str, key: str) -> dict[str, str]:
    path = catalogue_path(spec_name)
    if not path.exists():
        return {}
    texts = _raw_labels(str(path), path.stat().st_mtime)[key]
    first = "en" if (get_language() or "th").startswith("en") else "th"
    other = "th" if first == "en" else "en"
    return {i: text[first] or text[other] for i, text in texts.items()}
