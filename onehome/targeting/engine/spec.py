"""Indicator catalogues ("specs") for the Alkire–Foster engine: load, validate, describe.

A spec is data, not code, so that a new survey year or a new catalogue is a YAML file,
reviewed like any other change, and never an edit to the engine. Every error a spec
author can make is a :class:`SpecError` whose message names the indicator at fault.

Rule semantics: an indicator's ``rule`` states when a unit is **deprived**.
``{column: income_pc, rule: lt, cutoff: 38000}`` means "deprived when income_pc < 38000".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

COMPARISON_RULES = frozenset({"lt", "le", "gt", "ge"})
EQUALITY_RULES = frozenset({"eq", "ne"})
BOOLEAN_RULES = frozenset({"is_true", "is_false"})
RULES = COMPARISON_RULES | EQUALITY_RULES | BOOLEAN_RULES
UNITS = frozenset({"person", "household"})
MISSING_POLICIES = frozenset({"report", "drop", "not_deprived"})
WEIGHT_TOLERANCE = 1e-9
# Scores are float sums of weights (1/6 + 1/6 is not exactly 1/3), so "score >= k"
# is evaluated as "score >= k - SCORE_TOLERANCE".
SCORE_TOLERANCE = 1e-9


class SpecError(ValueError):
    """A spec the user wrote cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: str
    column: str
    rule: str
    cutoff: Any
    weight: float
    unit: str = "person"
    age_min: float | None = None
    age_max: float | None = None

    @property
    def is_cardinal(self) -> bool:
        """A comparison against a non-zero number: a normalised gap is meaningful."""
        return (
            self.rule in COMPARISON_RULES
            and isinstance(self.cutoff, int | float)
            and not isinstance(self.cutoff, bool)
            and self.cutoff != 0
        )

    @property
    def has_age_range(self) -> bool:
        return self.age_min is not None or self.age_max is not None


@dataclass(frozen=True)
class Spec:
    indicators: tuple[Indicator, ...]
    k: float
    k_rule: str  # "union" or the number as given
    missing: str = "report"
    name: str = ""
    age_column: str = "age"
    household_column: str = "household_id"
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Dimensions in the order they first appear; this order fixes the subset bitmask."""
        seen: dict[str, None] = {}
        for ind in self.indicators:
            seen.setdefault(ind.dimension, None)
        return tuple(seen)

    @property
    def is_cardinal(self) -> bool:
        return all(ind.is_cardinal for ind in self.indicators)

    @property
    def needs_age(self) -> bool:
        return any(ind.has_age_range for ind in self.indicators)

    @property
    def needs_household(self) -> bool:
        return any(ind.unit == "household" for ind in self.indicators)

    def with_k(self, k: Any) -> Spec:
        """The same spec with another poverty cutoff (the CLI's ``--k``)."""
        value, rule = _parse_k(k, self.indicators)
        return replace(self, k=value, k_rule=rule)

    def with_missing(self, policy: str) -> Spec:
        return replace(self, missing=_missing_policy(policy))


def load_spec(source: str | Path | Mapping[str, Any], **settings: Any) -> Spec:
    """Load a spec from a YAML file path or a dict; ``settings`` override the spec's own."""
    if isinstance(source, Mapping):
        raw: Any = dict(source)
    else:
        path = Path(source)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SpecError(f"spec file not found: {path}") from exc
        except yaml.YAMLError as exc:
            raise SpecError(f"spec file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise SpecError("a spec must be a mapping with 'k' and 'indicators'")
    return _build_spec(raw, settings)


def check_columns(spec: Spec, columns: Iterable[str], *, by: Iterable[str] = ()) -> None:
    """Fail with a clear message if the data lacks a column the spec (or ``--by``) needs."""
    available = set(columns)
    for ind in spec.indicators:
        if ind.column not in available:
            raise SpecError(
                f"indicator {ind.id!r}: column {ind.column!r} is not in the data "
                f"(columns: {', '.join(sorted(available))})"
            )
    if spec.needs_age and spec.age_column not in available:
        users = [i.id for i in spec.indicators if i.has_age_range]
        raise SpecError(
            f"indicator {users[0]!r}: has an age range but the age column "
            f"{spec.age_column!r} is not in the data"
        )
    if spec.needs_household and spec.household_column not in available:
        users = [i.id for i in spec.indicators if i.unit == "household"]
        raise SpecError(
            f"indicator {users[0]!r}: unit is household but the household column "
            f"{spec.household_column!r} is not in the data"
        )
    for column in by:
        if column not in available:
            raise SpecError(f"--by column {column!r} is not in the data")


def _build_spec(raw: Mapping[str, Any], overrides: Mapping[str, Any]) -> Spec:
    settings = dict(raw.get("settings") or {})
    settings.update(overrides)
    items = raw.get("indicators")
    if not isinstance(items, list) or not items:
        raise SpecError("a spec needs a non-empty list 'indicators'")
    indicators = tuple(_build_indicator(item, pos, settings) for pos, item in enumerate(items))
    seen: set[str] = set()
    for ind in indicators:
        if ind.id in seen:
            raise SpecError(f"indicator {ind.id!r}: duplicate id")
        seen.add(ind.id)
    total = math.fsum(ind.weight for ind in indicators)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        detail = ", ".join(f"{i.id}={i.weight:g}" for i in indicators)
        raise SpecError(f"weights sum to {total:.12g}, not 1 ({detail})")
    if "k" not in raw:
        raise SpecError("a spec needs 'k' (a number in (0, 1] or 'union')")
    k, k_rule = _parse_k(raw["k"], indicators)
    return Spec(
        indicators=indicators,
        k=k,
        k_rule=k_rule,
        missing=_missing_policy(raw.get("missing", "report")),
        name=str(raw.get("name", "")),
        age_column=str(raw.get("age_column", "age")),
        household_column=str(raw.get("household_column", "household_id")),
        settings=settings,
    )


def _build_indicator(item: Any, pos: int, settings: Mapping[str, Any]) -> Indicator:
    if not isinstance(item, Mapping):
        raise SpecError(f"indicator #{pos + 1}: must be a mapping")
    ind_id = item.get("id")
    if not ind_id:
        raise SpecError(f"indicator #{pos + 1}: needs an 'id'")
    ind_id = str(ind_id)
    for key in ("dimension", "column", "rule", "weight"):
        if item.get(key) in (None, ""):
            raise SpecError(f"indicator {ind_id!r}: needs '{key}'")
    rule = str(item["rule"])
    if rule not in RULES:
        raise SpecError(f"indicator {ind_id!r}: unknown rule {rule!r} (use one of {sorted(RULES)})")
    cutoff = _resolve_cutoff(ind_id, item.get("cutoff"), settings)
    if rule in COMPARISON_RULES | EQUALITY_RULES and cutoff is None:
        raise SpecError(f"indicator {ind_id!r}: rule {rule!r} needs a 'cutoff'")
    if rule in COMPARISON_RULES and (
        isinstance(cutoff, bool) or not isinstance(cutoff, int | float)
    ):
        raise SpecError(f"indicator {ind_id!r}: rule {rule!r} needs a numeric cutoff")
    if rule in BOOLEAN_RULES and cutoff is not None:
        raise SpecError(f"indicator {ind_id!r}: rule {rule!r} takes no cutoff")
    unit = str(item.get("unit", "person"))
    if unit not in UNITS:
        raise SpecError(f"indicator {ind_id!r}: unit {unit!r} is not person or household")
    weight = _number(ind_id, "weight", item["weight"])
    if weight <= 0:
        raise SpecError(f"indicator {ind_id!r}: weight must be positive")
    age_min = _optional_number(ind_id, "age_min", item.get("age_min"))
    age_max = _optional_number(ind_id, "age_max", item.get("age_max"))
    if age_min is not None and age_max is not None and age_min > age_max:
        raise SpecError(f"indicator {ind_id!r}: age_min is above age_max")
    unknown = set(item) - {
        "id",
        "dimension",
        "column",
        "rule",
        "cutoff",
        "weight",
        "unit",
        "age_min",
        "age_max",
        "label",
        "label_th",
        "measure",
        "measure_th",
        "source",
    }
    if unknown:
        raise SpecError(f"indicator {ind_id!r}: unknown keys {sorted(unknown)}")
    return Indicator(
        id=ind_id,
        dimension=str(item["dimension"]),
        column=str(item["column"]),
        rule=rule,
        cutoff=cutoff,
        weight=weight,
        unit=unit,
        age_min=age_min,
        age_max=age_max,
    )


def _missing_policy(policy: Any) -> str:
    if policy not in MISSING_POLICIES:
        raise SpecError(f"missing: {policy!r} is not one of {sorted(MISSING_POLICIES)}")
    return policy


def _resolve_cutoff(ind_id: str, cutoff: Any, settings: Mapping[str, Any]) -> Any:
    """A cutoff may name a setting, ``{setting: income_threshold}``, fixed per survey year."""
    if isinstance(cutoff, Mapping):
        name = cutoff.get("setting")
        if name is None or set(cutoff) != {"setting"}:
            raise SpecError(f"indicator {ind_id!r}: a mapping cutoff must be {{setting: NAME}}")
        if name not in settings:
            raise SpecError(f"indicator {ind_id!r}: cutoff setting {name!r} is not defined")
        return settings[name]
    return cutoff


def _parse_k(value: Any, indicators: tuple[Indicator, ...]) -> tuple[float, str]:
    if isinstance(value, str) and value.strip().lower() == "union":
        return min(ind.weight for ind in indicators), "union"
    try:
        k = _fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise SpecError(f"k: {value!r} is not a number in (0, 1] or 'union'") from None
    if not 0 < k <= 1:
        raise SpecError(f"k: {value!r} is out of range; it must be in (0, 1] or 'union'")
    return k, str(value)


def _fraction(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, int | float):
        return float(value)
    return float(Fraction(str(value).strip()))


def _number(ind_id: str, key: str, value: Any) -> float:
    try:
        return _fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise SpecError(f"indicator {ind_id!r}: {key} {value!r} is not a number") from None


def _optional_number(ind_id: str, key: str, value: Any) -> float | None:
    return None if value is None else _number(ind_id, key, value)
