"""Build the benchmark database: migrate, load the geography, then villages, organisations,
workers with tokens, people and cases, all through COPY, then VACUUM ANALYZE. Every step skips
what is already there, so running it again resumes or does nothing."""

import os
import time

from . import db, network
from .cases import create_cases
from .people import create_people
from .plan import Population, load_geography_arrays


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it is missing (connects to the server's `postgres` database)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    info = conninfo_to_dict(url)
    name = info["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def generate(url: str, *, people: int, households: int, cases: int) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from onehome.geo.models import Province

    if not Province.objects.exists():
        call_command("load_geography")
    with db.connect(url) as conn, conn.cursor() as cur:
        geo = load_geography_arrays(cur)
        pop = Population(geo=geo, households=households, people=people)
        print(f"villages created: {network.create_villages(cur, geo)}")
        network.create_organisations(cur)
        network.create_users(cur)
        conn.commit()
        offices, centres = network.organisation_ids(cur)
        workers = network.workers(cur)
        db.reserve_ids(cur, "registry_household", households)
        db.reserve_ids(cur, "registry_person", people)
        db.reserve_ids(cur, "registry_membership", people)
        conn.commit()
        create_people(cur, conn, pop)
        create_cases(cur, conn, pop, cases, offices, centres, workers)
    with db.connect(url) as conn:
        conn.autocommit = True
        # VACUUM too: it sets the visibility map, without which no index-only scan is used
        # until autovacuum gets round to the freshly copied tables.
        conn.execute("VACUUM (ANALYZE)")
    check_search_keys()
    print(f"generated in {time.perf_counter() - started:.0f} s (VACUUM ANALYZE done)")


def database_url() -> str:
    return os.environ["DATABASE_URL"]


def check_search_keys(n: int = 2000) -> None:
    """The vectorised keys must equal what `registry.matching.set_search_keys` writes."""
    from onehome.registry.matching import set_search_keys
    from onehome.registry.models import Person

    keys = ("name_key", "first_sdx", "last_sdx", "first_fold", "last_fold", "first_rom",
            "last_rom")  # fmt: skip
    people = list(Person.objects.filter(id__lte=n).only("first_name_th", "last_name_th", *keys))
    wrong = 0
    for person in people:
        stored = [getattr(person, k) for k in keys]
        set_search_keys(person)
        wrong += stored != [getattr(person, k) for k in keys]
    print(f"search keys checked against set_search_keys: {len(people) - wrong}/{len(people)} equal")
