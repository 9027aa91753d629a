"""What the load generator asks for: tokens of workers and operators (issued here), cases
each worker may see, and sub-districts, villages and people each operator may name in a
report. Read once through the app's own scoping, so every request is one the app should
answer with 200/201."""

import random
from dataclasses import dataclass, field

from django.db.models import Max

from onehome.access.models import User
from onehome.access.tokens import services as tokens
from onehome.cases.models import Case
from onehome.cases.visibility.selectors import visible_cases
from onehome.registry.models import Person

CASES_PER_WORKER = 40


@dataclass
class Sample:
    workers: list[tuple[str, list[int]]] = field(default_factory=list)  # token, case ids
    operators: list[tuple[str, list[tuple[str, str, int]]]] = field(default_factory=list)


def draw(*, workers: int = 120, operators: int = 40, seed: int = 7) -> Sample:
    rng = random.Random(seed)
    users = list(User.objects.filter(username__startswith="bench_").order_by("id"))
    case_workers = [u for u in users if "social_worker" in u.roles and "_sup" not in u.username]
    ops = [u for u in users if u.username.endswith("_op")]
    sample = Sample()
    last_case = Case.objects.aggregate(m=Max("id"))["m"] or 1
    last_person = Person.objects.aggregate(m=Max("id"))["m"] or 1
    for user in rng.sample(case_workers, min(workers, len(case_workers))):
        ids: list[int] = []
        for _ in range(4):  # a few spots of the id range: not only the newest cases
            start = rng.randrange(1, last_case)
            ids += visible_cases(user).filter(id__gte=start).order_by("id").values_list(
                "id", flat=True)[: CASES_PER_WORKER // 4]  # fmt: skip
        if ids:
            sample.workers.append((_token(user), ids))
    for user in rng.sample(ops, min(operators, len(ops))):
        people = list(
            Person.objects.filter(subdistrict__province_id=user.scope_code)
            .filter(id__gte=rng.randrange(1, last_person))
            .order_by("id")
            .values_list("id", "subdistrict_id", "village_id")[:20]
        )
        places = [(sub, vil or "", pid) for pid, sub, vil in people]
        if places:
            sample.operators.append((_token(user), places))
    return sample


def _token(user: User) -> str:
    """A fresh API token for a sampled user, issued as `POST /api/token/` issues one (the
    database keeps only its digest; it expires after ONEHOME_TOKEN_TTL_HOURS)."""
    _row, token = tokens.issue(user=user)
    return token
