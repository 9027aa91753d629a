"""Who lives together: household compositions drawn like a northern Thai province's.

Pure Python, no database. Each draw returns the members' relationship to the head, sex and
age. The mix of compositions is tuned so that a large draw has a mean size of about 3
(1–7 people), about 20% children under 18 and about 20% people aged 60+, with many
grandparents raising grandchildren while the parents work elsewhere (common in Chiang Rai)
and some single parents.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from onehome.registry.models import Relationship, Sex

MAX_SIZE = 7


@dataclass(frozen=True)
class Member:
    relationship: str
    sex: str
    age: int


def _elderly_age(rng: random.Random) -> int:
    return 60 + min(int(rng.expovariate(1 / 9)), 38)


def _other_sex(sex: str) -> str:
    return Sex.FEMALE if sex == Sex.MALE else Sex.MALE


def _sex(rng: random.Random, p_male: float) -> str:
    return Sex.MALE if rng.random() < p_male else Sex.FEMALE


def _spouse(rng: random.Random, head: Member) -> Member:
    gap = rng.randint(-2, 7)  # wives are usually a few years younger
    age = head.age - gap if head.sex == Sex.MALE else head.age + gap
    return Member(Relationship.SPOUSE, _other_sex(head.sex), max(18, age))


def _children(rng: random.Random, parent_age: int, n: int, rel: str, max_age: int = 99):
    ages = sorted(
        (a for a in (parent_age - rng.randint(19, 40) for _ in range(n)) if 0 <= a <= max_age),
        reverse=True,
    )
    return [Member(rel, _sex(rng, 0.51), a) for a in ages]


def _alone_elderly(rng: random.Random) -> list[Member]:
    return [Member(Relationship.HEAD, _sex(rng, 0.35), _elderly_age(rng))]


def _alone_adult(rng: random.Random) -> list[Member]:
    return [Member(Relationship.HEAD, _sex(rng, 0.6), rng.randint(19, 59))]


def _couple_elderly(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.75), _elderly_age(rng))
    return [head, _spouse(rng, head)]


def _couple_young(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.7), rng.randint(22, 59))
    return [head, _spouse(rng, head)]


def _nuclear(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.75), rng.randint(27, 62))
    n = rng.choices([1, 2, 3, 4], weights=[30, 40, 20, 10])[0]
    return [head, _spouse(rng, head), *_children(rng, head.age, n, Relationship.CHILD)]


def _single_parent(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.2), rng.randint(22, 52))
    n = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
    kids = _children(rng, head.age, n, Relationship.CHILD, max_age=17)
    if not kids:  # a single-parent family has at least one child under 18
        kids = [Member(Relationship.CHILD, _sex(rng, 0.51), rng.randint(0, min(17, head.age - 18)))]
    return [head, *kids]


def _three_generations(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.65), rng.randint(52, 80))
    members = [head]
    if rng.random() < 0.7:
        members.append(_spouse(rng, head))
    child = Member(Relationship.CHILD, _sex(rng, 0.45), max(20, head.age - rng.randint(20, 35)))
    members.append(child)
    if rng.random() < 0.6:  # the child's husband or wife: a relative of the head by marriage
        members.append(Member(Relationship.RELATIVE, _other_sex(child.sex), child.age))
    n = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
    members += _children(rng, child.age, n, Relationship.GRANDCHILD, max_age=17)
    return members


def _skipped_generation(rng: random.Random) -> list[Member]:
    """Grandparents raising grandchildren while the parents work in the city."""
    head = Member(Relationship.HEAD, _sex(rng, 0.3), rng.randint(52, 80))
    members = [head]
    if rng.random() < 0.5:
        members.append(_spouse(rng, head))
    n = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
    kids = [Member(Relationship.GRANDCHILD, _sex(rng, 0.51), rng.randint(0, 17)) for _ in range(n)]
    return members + sorted(kids, key=lambda m: -m.age)


def _with_parents(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.6), rng.randint(30, 55))
    members = [head]
    if rng.random() < 0.6:
        members.append(_spouse(rng, head))
    parent_age = max(60, head.age + rng.randint(20, 35))
    members.append(Member(Relationship.PARENT, _sex(rng, 0.35), parent_age))
    if rng.random() < 0.3:
        members.append(Member(Relationship.PARENT, _sex(rng, 0.65), parent_age + rng.randint(0, 4)))
    n = rng.choices([0, 1, 2], weights=[40, 35, 25])[0]
    return members + _children(rng, head.age, n, Relationship.CHILD)


def _siblings_or_lodgers(rng: random.Random) -> list[Member]:
    head = Member(Relationship.HEAD, _sex(rng, 0.55), rng.randint(22, 65))
    rel = rng.choice([Relationship.SIBLING, Relationship.SIBLING, Relationship.NON_RELATIVE])
    others = [Member(rel, _sex(rng, 0.5), max(18, head.age + rng.randint(-10, 10)))]
    if head.age < 45 and rng.random() < 0.3:
        grandparent_age = head.age + rng.randint(40, 52)
        others.append(Member(Relationship.GRANDPARENT, _sex(rng, 0.3), grandparent_age))
    return [head, *others]


COMPOSITIONS: dict[str, tuple[Callable[[random.Random], list[Member]], int]] = {
    "alone_elderly": (_alone_elderly, 6),
    "alone_adult": (_alone_adult, 7),
    "couple_elderly": (_couple_elderly, 7),
    "couple_young": (_couple_young, 7),
    "nuclear": (_nuclear, 29),
    "single_parent": (_single_parent, 7),
    "three_generations": (_three_generations, 14),
    "skipped_generation": (_skipped_generation, 8),
    "with_parents": (_with_parents, 11),
    "siblings_or_lodgers": (_siblings_or_lodgers, 4),
}
_KINDS = list(COMPOSITIONS)
_WEIGHTS = [w for _f, w in COMPOSITIONS.values()]


def draw_household(rng: random.Random) -> tuple[str, list[Member]]:
    """(composition name, members with the head first), at most MAX_SIZE people."""
    kind = rng.choices(_KINDS, weights=_WEIGHTS)[0]
    members = COMPOSITIONS[kind][0](rng)
    return kind, [Member(m.relationship, m.sex, min(m.age, 104)) for m in members[:MAX_SIZE]]
