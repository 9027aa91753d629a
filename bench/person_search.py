"""Person-search latency: median and p95 of `registry.selectors.search_people`.

    # over the demo province (after `make demo`, SQLite in var/):
    .venv/bin/python bench/person_search.py
    # over 1,000,000 generated people on PostgreSQL (creates the rows once):
    .venv/bin/python bench/person_search.py --people 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/onehome_bench

Queries are names with one typo (a dropped or swapped character), names misspelt the
common Thai ways (ฤ/รึ/ริ, ศ/ษ/ส, ณ/น, tone marks, ะ/ั…), names typed in Latin letters
(the royal transliteration, as a user would type it), exact national IDs and 8-digit ID
prefixes, searched as a province-scoped social worker. Two baselines are measured in the
same run: the straightforward name query a first version would write (a case-insensitive
substring scan of first and last names in scope, which misses typos) and the ID-prefix
query as it was before issue 15 (`LIKE 'prefix%'`). Prints the figures, how many of the
searched people were among the results (the page shows 20), and the peak memory of this
process. For the acceptance run of issue 15 use `--queries 1000`.
"""

import argparse
import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=0, help="generate this many people first")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from onehome.geo.models import Province

    if not Province.objects.exists():
        call_command("load_geography")
    if args.people:
        generate(args.people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run(args.queries)
    print(f"database: {connection.vendor}")


def generate(n: int) -> None:
    """n people over all of Thailand's sub-districts, 25% of them in Chiang Rai."""
    from faker import Faker
    from stdnum.th import pin
    from tqdm import tqdm

    from onehome.geo.models import Subdistrict
    from onehome.registry import matching
    from onehome.registry.models import Person

    have = Person.objects.filter(first_name_en="bench").count()
    if have >= n:
        print(f"{have} generated people already present")
        return
    rng = random.Random(1)
    fake = Faker("th_TH")
    Faker.seed(1)
    firsts = list({fake.first_name() for _ in range(4000)})
    lasts = list({fake.last_name() for _ in range(8000)})
    subs = list(Subdistrict.objects.values_list("code", flat=True))
    chiang_rai = [s for s in subs if s.startswith("57")]
    batch = []
    with tqdm(total=n - have, desc="people", unit="person") as bar:
        for i in range(have, n):
            first, last = rng.choice(firsts), rng.choice(lasts)
            body = f"{rng.randint(1, 8)}{i:011d}"
            sub = rng.choice(chiang_rai) if rng.random() < 0.25 else rng.choice(subs)
            person = Person(
                id_type="thai_id",
                id_number=body + pin.calc_check_digit(body),
                first_name_th=first,
                last_name_th=last,
                first_name_en="bench",
                subdistrict_id=sub,
            )
            matching.set_search_keys(person)
            batch.append(person)
            if len(batch) == 10_000:
                Person.objects.bulk_create(batch)
                bar.update(len(batch))
                batch = []
        Person.objects.bulk_create(batch)
        bar.update(len(batch))


def typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, max(2, len(text) - 1))
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


MISSPELLINGS = [
    ("ฤ", "รึ"),
    ("ฤ", "ริ"),
    ("ศ", "ส"),
    ("ษ", "ส"),
    ("ส", "ศ"),
    ("ณ", "น"),
    ("น", "ณ"),
    ("ั", "ะ"),
    ("่", ""),
    ("้", ""),
    ("์", ""),
    ("ใ", "ไ"),
]


def misspelt(rng: random.Random, first: str, last: str) -> str | None:
    """The name with one common Thai misspelling in the first or last name, or None."""
    options = [
        (where, typed, wrong)
        for where, word in ((0, first), (1, last))
        for typed, wrong in MISSPELLINGS
        if typed in word
    ]
    if not options:
        return None
    where, typed, wrong = rng.choice(options)
    words = [first, last]
    words[where] = words[where].replace(typed, wrong, 1)
    return " ".join(words)


def latin_letters(name: str) -> str:
    """The name as a user would type it in Latin letters: its royal transliteration
    (PyThaiNLP's rule-based engine leaves a Thai mark now and then; a user would not)."""
    from pythainlp.transliterate import romanize

    return re.sub(r"[^A-Za-z]", "", romanize(name, engine="royin")).title()


def timed(fn, queries, results: list | None = None) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        found = fn(q)
        out.append((time.perf_counter() - t) * 1000)
        if results is not None:
            results.append(found)
    return out


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return f"{name:<34} n={len(ms):4d} median={statistics.median(ms):8.1f} ms  p95={p95:8.1f} ms"


def run(n_queries: int) -> None:
    from django.db.models import Q

    from onehome.access.models import Role, User
    from onehome.access.scope import scoped
    from onehome.registry.models import Person
    from onehome.registry.selectors import search_people

    user, _ = User.objects.get_or_create(
        username="bench_worker",
        defaults={"roles": [Role.SOCIAL_WORKER], "scope_level": "province", "scope_code": "57"},
    )
    rng = random.Random(2)
    in_scope = scoped(user, Person.objects.filter(merged_into__isnull=True))
    total = Person.objects.count()
    scope_n = in_scope.count()
    sample = list(
        in_scope.exclude(id_number=None)
        .order_by("?")
        .values_list("first_name_th", "last_name_th", "id_number")[:n_queries]
    )
    names = [f"{typo(rng, f)} {last}" for f, last, _ in sample]
    ids = [i for _, _, i in sample]
    prefixes = [i[:8] for i in ids]
    spelt = [(q, f, last) for f, last, _ in sample if (q := misspelt(rng, f, last))]
    latin = [(f"{latin_letters(f)} {latin_letters(last)}", f, last) for f, last, _ in sample]
    search_people(user, names[0])  # warm caches and connections

    def baseline(q: str) -> list:
        first, _, last = q.partition(" ")
        cond = Q(first_name_th__icontains=first) | Q(last_name_th__icontains=last or first)
        return list(in_scope.filter(cond)[:20])

    def baseline_prefix(q: str) -> list:
        return list(in_scope.filter(id_number__startswith=q).order_by("id_number")[:20])

    def search(q: str) -> list:
        return search_people(user, q)

    def found(results, people) -> int:
        return sum(
            any(p.first_name_th == f and p.last_name_th == last for p in got)
            for got, (f, last) in zip(results, people, strict=True)
        )

    print(f"people in database: {total:,}; in the worker's scope (province 57): {scope_n:,}")
    typo_results, spelt_results, latin_results = [], [], []
    print(summary("name with a typo (ours)", timed(search, names, typo_results)))
    print(summary("name misspelt (ours)", timed(search, [q for q, *_ in spelt], spelt_results)))
    print(
        summary(
            "name in Latin letters (ours)", timed(search, [q for q, *_ in latin], latin_results)
        )
    )
    print(summary("national ID, exact (ours)", timed(search, ids)))
    print(summary("national ID, 8-digit prefix (ours)", timed(search, prefixes)))
    # The baselines are slow: 200 queries are enough for their median and p95.
    print(summary("baseline: icontains scan", timed(baseline, names[:200])))
    print(summary("baseline: ID prefix LIKE (before)", timed(baseline_prefix, prefixes[:200])))
    sampled = [(f, last) for f, last, _ in sample]
    hits = found(typo_results, sampled)
    print(f"typo'd names whose person is in the first 20 results: {hits}/{len(names)}")
    hits = found(spelt_results, [(f, last) for _q, f, last in spelt])
    print(f"misspelt names whose person is in the first 20 results: {hits}/{len(spelt)}")
    hits = found(latin_results, [(f, last) for _q, f, last in latin])
    print(f"Latin-letter names whose person is in the first 20 results: {hits}/{len(latin)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
