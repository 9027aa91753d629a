"""The family record book's questions as the demo answers them: the questionnaire in force
(`volunteers.visits.questionnaire.current()`), each answer drawn to be deprived or not by
the question's own rule, then passed through the questionnaire's `clean_answers` like any
visit's. So the record book's entries mean what a real visit's would.
"""

import random
from typing import Any

from onehome.volunteers.visits import questionnaire
from onehome.volunteers.visits.questionnaire import Question

# The need a volunteer ticks when a dimension is found deprived (when the questionnaire
# knows it).
NEED_OF = {"health": "health", "living": "housing", "education": "education",
           "income": "job", "access": "welfare_rights"}  # fmt: skip


def questions() -> tuple[Question, ...]:
    return questionnaire.current().questions


def version() -> str:
    return questionnaire.current().version


def _answer(rng: random.Random, q: Question, fails: bool) -> Any:
    rule = q.deprived_rule
    if not rule:  # recorded, never deprived: the plain answer
        plain = {"yes_no": True, "number": int(q.minimum or 0)}
        return plain.get(q.kind, q.choices[0] if q.choices else None)
    if q.kind == "yes_no":
        bad = rule.get("when", False)
        return bad if fails else not bad
    if q.kind == "choice":
        bad = [c for c in q.choices if c in rule.get("in", ())]
        good = [c for c in q.choices if c not in bad and c != "na"] or list(q.choices)
        return bad[0] if fails and bad else good[0]
    if q.kind == "number":
        low = float(q.minimum or 0)
        if "lt" in rule:
            cut = float(rule["lt"])
            low_high = (0.45, 0.95) if fails else (1.05, 2.4)
            return round(cut * rng.uniform(*low_high), -2)
        cut = float(rule["gt"])
        return round(cut + rng.uniform(1, cut or 10)) if fails else low
    return None  # text: the demo leaves notes to the visit's own notes


def answers(rng: random.Random, dims: list[str], ease: float) -> dict[str, Any]:
    """One visit's answers: deprived at first where targeting found the household
    deprived (and rarely elsewhere), less and less as ``ease`` goes from 0 to 1."""
    form = questionnaire.current()
    given: dict[str, Any] = {}
    for q in form.questions:
        p = (0.6 if q.dimension in dims else 0.05) * (1 - ease)
        value = _answer(rng, q, rng.random() < p)
        if value is not None:
            given[q.id] = value
    return form.clean_answers(given)


def needs(given: dict[str, Any]) -> list[str]:
    known = questionnaire.current().needs
    codes = [NEED_OF[d] for d in deprived_dimensions(given) if d in NEED_OF]
    return [c for c in codes if c in known]


def deprived_dimensions(given: dict[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    for q in questions():
        if q.is_deprived(given.get(q.id)):
            seen.setdefault(q.dimension, None)
    return list(seen)
