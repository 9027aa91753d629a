"""Why a household is poor: for each member, the indicators they failed, with their value,
the cutoff and the rule in words.

The explanation re-runs the engine's own per-person expressions (`deprivation.annotate`) on
the household's rows of the survey round, so it cannot disagree with the run: a second,
hand-written evaluation of the rules would. Household indicators are deprived for every
member when any applicable member fails; the explanation names the member whose own
value failed (from the same catalogue with every indicator judged per person).

Survey rows are personal data: reading them needs a personal-data role and the household's
village in the user's area (else NotInScopeError → 404), and every read is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import ibis
import pandas as pd
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.errors import NotInScopeError
from onehome.targeting.catalogue_files import indicator_labels, run_spec
from onehome.targeting.engine.deprivation import annotate, dep_col, miss_col
from onehome.targeting.engine.spec import Indicator, Spec
from onehome.targeting.results import selectors
from onehome.targeting.results.registry_links import linked_household_id
from onehome.targeting.results.survey_rows import (
    household_rows,
    key_value,
    plain_value,
    welfare_members,
)

PERSON_KEY = "person_key"
VILLAGE = "village_code"


@dataclass
class Failure:
    indicator: str
    label: str
    dimension: str
    unit: str
    weight: float
    member: int  # 1-based position in the household
    person_key: str | None
    age: Any
    value: str
    cutoff: str
    rule: str


@dataclass
class Member:
    number: int
    person_key: str | None
    age: Any
    sex: str
    score: float
    poor: bool
    target: bool
    deprived: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    household_id: str
    village_code: str
    members: list[Member]
    failures: list[Failure]
    k_rule: str
    registry_household_id: int | None = None
    run_id: int | None = None

    @property
    def poor(self) -> bool:
        return any(m.poor for m in self.members)

    @property
    def target(self) -> bool:
        return any(m.target for m in self.members)

    @property
    def dimensions(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.failures:
            seen.setdefault(f.dimension, None)
        return list(seen)

    @property
    def person_keys(self) -> list[str]:
        return [m.person_key for m in self.members if m.person_key]


def explain_people(
    people: pd.DataFrame,
    spec: Spec,
    *,
    welfare_keys: set[str] | frozenset[str] = frozenset(),
    labels: dict[str, str] | None = None,
) -> Explanation:
    """The explanation of one household from its survey rows (one row per person)."""
    labels = labels or {}
    people = people.reset_index(drop=True).assign(_member=lambda f: range(1, len(f) + 1))
    spread = _annotated(people, spec)
    own = _annotated(people, _per_person(spec))
    members: list[Member] = []
    failures: list[Failure] = []
    for i, row in spread.iterrows():
        key = key_value(row.get(PERSON_KEY))
        poor = bool(row["_poor"])
        member = Member(
            number=int(row["_member"]),
            person_key=key,
            age=plain_value(row.get(spec.age_column)),
            sex=str(plain_value(row.get("sex")) or ""),
            score=float(row["_score"]),
            poor=poor,
            target=poor and key is not None and key in welfare_keys,
        )
        for j, ind in enumerate(spec.indicators):
            if row[dep_col(j)]:
                member.deprived.append(ind.id)
            if row[miss_col(j)]:
                member.missing.append(ind.id)
            if own.loc[i, dep_col(j)]:
                failures.append(_failure(ind, member, row, labels))
        members.append(member)
    village = str(people[VILLAGE].dropna().iloc[0]) if VILLAGE in people and len(people) else ""
    household = people[spec.household_column].iloc[0] if len(people) else ""
    return Explanation(
        household_id=str(household),
        village_code=village,
        members=members,
        failures=sorted(failures, key=lambda f: (_position(spec, f.indicator), f.member)),
        k_rule=spec.k_rule,
    )


def household_explanation(
    *, user: User, run_id: int, household_id: str, purpose: str
) -> Explanation:
    """The explanation of a household of a finished run, scoped to the user and audited."""
    scope = selectors.household_scope(user)
    run = selectors.finished_run(run_id)
    spec = run_spec(run)
    people = household_rows(run.survey_round.path, household_id)
    if people.empty or not scope.allows(str(people[VILLAGE].iloc[0])):
        raise NotInScopeError
    keys = [k for k in (key_value(v) for v in people.get(PERSON_KEY, [])) if k]
    on_list = welfare_members(run.welfare_list.path, keys) if run.welfare_list else set()
    result = explain_people(
        people, spec, welfare_keys=on_list, labels=indicator_labels(run.spec_name)
    )
    result.run_id = run.pk
    result.registry_household_id = linked_household_id(
        household_id=result.household_id,
        person_keys=keys,
        village_code=result.village_code,
    )
    audit.record(
        actor=user,
        action=AuditAction.READ,
        object_type="targeting.surveyhousehold",
        object_id=f"{run.survey_round_id}/{result.household_id}"[:64],
        household_id=result.registry_household_id,
        subdistrict_code=result.village_code[:6],
        purpose=purpose,
    )
    return result


def rule_text(ind: Indicator, label: str = "") -> str:
    """The deprivation rule in words, e.g. "deprived when bmn22_income_per_person is below
    38,000 (people aged 15–59)"."""
    subject = label or ind.column
    cutoff = _show(ind.cutoff)
    text = {
        "lt": _("deprived when %(subject)s is below %(cutoff)s"),
        "le": _("deprived when %(subject)s is at most %(cutoff)s"),
        "gt": _("deprived when %(subject)s is above %(cutoff)s"),
        "ge": _("deprived when %(subject)s is at least %(cutoff)s"),
        "eq": _("deprived when %(subject)s equals %(cutoff)s"),
        "ne": _("deprived when %(subject)s is not %(cutoff)s"),
        "is_true": _("deprived when this is so: %(subject)s"),
        "is_false": _("deprived when this is not met: %(subject)s"),
    }[ind.rule] % {"subject": subject, "cutoff": cutoff}
    if ind.has_age_range:
        low = "" if ind.age_min is None else _show(ind.age_min)
        high = "" if ind.age_max is None else _show(ind.age_max)
        if low and high:
            ages = _("people aged %(low)s–%(high)s") % {"low": low, "high": high}
        elif low:
            ages = _("people aged %(low)s and over") % {"low": low}
        else:
            ages = _("people aged up to %(high)s") % {"high": high}
        text = f"{text} ({ages})"
    if ind.unit == "household":
        text = f"{text}; " + _("a household indicator: every member counts as deprived")
    return text


def _failure(ind: Indicator, member: Member, row: pd.Series, labels: dict[str, str]) -> Failure:
    label = labels.get(ind.id) or ind.id
    return Failure(
        indicator=ind.id,
        label=label,
        dimension=ind.dimension,
        unit=ind.unit,
        weight=ind.weight,
        member=member.number,
        person_key=member.person_key,
        age=member.age,
        value=_show(plain_value(row.get(ind.column))),
        cutoff=_cutoff(ind),
        rule=rule_text(ind, label),
    )


def _cutoff(ind: Indicator) -> str:
    """What passes: the cutoff, or for a yes/no indicator the answer that is needed."""
    if ind.cutoff is not None:
        return _show(ind.cutoff)
    return _show(ind.rule == "is_false")


def _annotated(people: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    table = ibis.duckdb.connect().create_table("household", ibis.memtable(people))
    return annotate(table, spec).order_by("_member").to_pandas().reset_index(drop=True)


def _per_person(spec: Spec) -> Spec:
    return replace(spec, indicators=tuple(replace(i, unit="person") for i in spec.indicators))


def _position(spec: Spec, indicator_id: str) -> int:
    return next(j for j, ind in enumerate(spec.indicators) if ind.id == indicator_id)


def _show(value: Any) -> str:
    if value is None:
        return _("missing")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
