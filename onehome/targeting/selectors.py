"""Reads for the targeting pages, API and exports that the result reader does not cover:
the catalogue of a run, indicator labels, who may see what, and the user's area as a
filter on a run's household file.

Households of a survey are rows in Parquet files, not ORM rows, so `access.scope.scoped()`
cannot filter them; :func:`household_scope` is its counterpart for those files: the same
roles and the same area (`access.scope.area_scope`), failing closed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml
from django.conf import settings
from django.utils.translation import get_language

from onehome.access.models import PERSONAL_DATA_ROLES, Role, ScopeLevel, User
from onehome.access.scope import area_scope
from onehome.errors import NotInScopeError
from onehome.geo.models import Province
from onehome.targeting.spec import Spec, load_spec

from .models import Run, RunStatus

BUILT_IN = Path(__file__).resolve().parent / "catalogues"
# Analysts read aggregates and start runs; personal-data roles also see households.
TARGETING_ROLES = frozenset({Role.ANALYST, Role.ADMIN}) | PERSONAL_DATA_ROLES
RUN_ROLES = frozenset({Role.ANALYST, Role.ADMIN})


def reads_targeting(user: User) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_active
        and (user.has_role(*TARGETING_ROLES))
    )


def runs_targeting(user: User) -> bool:
    """May import rounds and start runs."""
    return reads_targeting(user) and user.has_role(*RUN_ROLES)


def catalogue_path(name: str) -> Path:
    """The YAML file of a catalogue: an analyst's (in the data directory) or a built-in."""
    for folder in (Path(settings.ONEHOME_DATA_DIR) / "catalogues", BUILT_IN):
        path = folder / f"{name}.yaml"
        if path.exists():
            return path
    return BUILT_IN / f"{name}.yaml"


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


@dataclass(frozen=True)
class HouseholdScope:
    """Which villages of a run a user may see households in: everything (nation) or the
    villages whose code starts with one of ``prefixes``."""

    prefixes: tuple[str, ...] | None  # None = the whole country

    def allows(self, village_code: str) -> bool:
        return self.prefixes is None or str(village_code).startswith(self.prefixes)

    def overlaps(self, area: str) -> bool:
        """Whether the area ``area`` ("" = the nation) and the user's area overlap: only
        then can its household list show the user anyone."""
        if self.prefixes is None or not area:
            return True
        return any(area.startswith(p) or p.startswith(area) for p in self.prefixes)

    def sql(self, column: str = "village_code") -> tuple[str, list]:
        """A DuckDB predicate and its parameters."""
        if self.prefixes is None:
            return "TRUE", []
        width = len(self.prefixes[0])
        return f"list_contains(?, substr(CAST({column} AS VARCHAR), 1, {width}))", [
            list(self.prefixes)
        ]


def households_visible_in(user: User, area: str) -> bool:
    """Whether a household list of ``area`` would show the user anything at all."""
    try:
        return household_scope(user).overlaps(area)
    except NotInScopeError:
        return False


def household_scope(user: User) -> HouseholdScope:
    """The user's area as a filter on survey households; NotInScopeError (404) for users
    who may not see households at all."""
    scope = area_scope(user, PERSONAL_DATA_ROLES)
    if scope is None:
        raise NotInScopeError
    level, code = scope
    if level == ScopeLevel.NATION:
        return HouseholdScope(None)
    if level == ScopeLevel.REGION:
        provinces = tuple(Province.objects.filter(region_id=code).values_list("code", flat=True))
        if not provinces:
            raise NotInScopeError
        return HouseholdScope(provinces)
    return HouseholdScope((code,))


def finished_run(run_id: int) -> Run:
    """A run whose results can be read; anything else is 404."""
    run = Run.objects.select_related("survey_round", "welfare_list").filter(pk=run_id).first()
    if run is None or run.status != RunStatus.DONE or run.result_path is None:
        raise NotInScopeError
    return run


LEVEL_OF_WIDTH = {0: "nation", 2: "province", 4: "district", 6: "subdistrict", 8: "village"}
CHILD_LEVEL = {"nation": "province", "province": "district", "district": "subdistrict",
               "subdistrict": "village"}  # fmt: skip


def level_of(code: str) -> str:
    """The level an area code names by its length ("" is the nation); NotInScopeError for
    anything that is not an area code."""
    if code and not code.isdigit() or len(code) not in LEVEL_OF_WIDTH:
        raise NotInScopeError
    return LEVEL_OF_WIDTH[len(code)]


def area_measures(run: Run, code: str) -> tuple[dict | None, list[dict]]:
    """Measures of the area ``code`` ("" = nation) and of each area directly under it,
    from the run's ``areas.parquet`` (counts) through `engine.measures_frame`."""
    from .engine import measures_frame

    level = level_of(code)
    child = CHILD_LEVEL.get(level)
    sql = (
        "SELECT * FROM read_parquet(?) WHERE (level = ? AND code = ?) "
        "OR (level = ? AND starts_with(code, ?)) ORDER BY level, code"
    )
    with duckdb.connect() as con:
        counts = con.execute(
            sql, [str(run.result_path / "areas.parquet"), level, code, child or "", code]
        ).df()
    if counts.empty:
        return None, []
    frame = measures_frame(counts, run_spec(run), by=["level", "code"])
    for column in ("target_poor", "households", "poor_households", "target_households"):
        if column in counts:
            frame[column] = counts[column]
    records = frame.to_dict("records")
    this = next((r for r in records if r["level"] == level and r["code"] == code), None)
    return this, [r for r in records if r["level"] == child]


def subset_counts(run: Run, code: str) -> list[dict]:
    """Poor people per exact set of deprived dimensions in the area ("health+income" = poor
    in those two dimensions and no other), largest first; ``of`` is all the poor there."""
    from .subsets import subset_label

    level = level_of(code)
    sql = "SELECT subset, poor FROM read_parquet(?) WHERE level = ? AND code = ? ORDER BY poor DESC"
    with duckdb.connect() as con:
        rows = con.execute(sql, [str(run.result_path / "subsets.parquet"), level, code]).fetchall()
    dims = run_spec(run).dimensions
    total = sum(int(p) for _s, p in rows)
    return [
        {
            "subset": int(s),
            "label": subset_label(int(s), dims),
            "dimensions": [dim for d, dim in enumerate(dims) if int(s) >> d & 1],
            "poor": int(p),
            "of": total,
        }
        for s, p in rows
    ]
