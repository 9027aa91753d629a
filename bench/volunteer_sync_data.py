"""Data of `bench/volunteer_sync.py`: bench volunteers spread over the country's
sub-districts, each with a login, assigned households of members, an earlier visit, and for
half the households a plan with two open goals and a due visit; households beyond the
volunteers' (no volunteer yet) up to a total; and the volunteers' API tokens (the phone's
credentials).

The issue's scale is 97,508 volunteers and 1,000,000 households (about 3.2 million people),
too many for the ORM in a bench's patience, so each table is filled by one
`INSERT ... SELECT ... FROM generate_series` per chunk of volunteers (`insert_select`: the
columns the bench sets are SQL expressions of the row number `g`, every other column its
model default, so a new model field does not break the bench). Ids are given explicitly
(the table's next id + g) so that one chunk's rows can point at each other without reading
them back. PostgreSQL only; no services run: the bench measures the app's restore and sync,
not the writing of its own fixture."""

import time

HOUSEHOLDS = 10  # per volunteer
TAG = "vsbench"  # usernames, person English names, organisation code
CHUNK = 5000  # volunteers per transaction (50,000 households)
# Every 50th volunteer follows 20 more households (30 in all): the issue's restore size.
PACKAGE_EVERY, PACKAGE_EXTRA = 50, 20


def insert_select(cursor, model, count: int, exprs: dict[str, str], params: dict) -> None:
    """INSERT `count` rows into `model`'s table: the columns named in `exprs` from their SQL
    (over `g`, 0..count-1, and `params`), every other column its model default (now() for
    auto_now fields; the id the table's own unless given)."""
    from django.db import connection

    columns, values, params = [], [], {**params, "count": count}
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in exprs:
            continue  # the table's own next id
        columns.append(field.column)
        if field.column in exprs:
            values.append(exprs[field.column])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("now()")
        else:
            name = f"default_{field.column}"
            params[name] = field.get_db_prep_save(field.get_default(), connection)
            values.append(f"%({name})s")
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM generate_series(0, %(count)s - 1) AS g",
        params,
    )


def _next_id(cursor, model) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
    return cursor.fetchone()[0]


def _reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


def generate(volunteers: int, households: int, members: int) -> None:
    """`volunteers` bench volunteers (10 households of `members` each) round the country's
    sub-districts, 20 more households for every 50th of them (`_fuller_packages`), then
    unassigned households up to `households` in all. Adds only what is missing, so an
    interrupted run resumes."""
    from django.db import connection, transaction

    from onehome.access.models import Role, ScopeLevel, User
    from onehome.geo.models import Subdistrict, Village
    from onehome.orgs.models import Organisation, OrgKind
    from onehome.registry.models import Household
    from onehome.volunteers.models import Volunteer

    assert connection.vendor == "postgresql", "the bench data is written in PostgreSQL's SQL"
    subs = list(Subdistrict.objects.order_by("code").values_list("code", "district__province_id"))
    Village.objects.bulk_create(
        [Village(code=f"{s}01", subdistrict_id=s, number=1, name_th="หมู่ที่ 1") for s, _ in subs],
        ignore_conflicts=True,
    )
    centres = {}
    for _, province in subs:
        if province not in centres:
            centres[province] = Organisation.objects.get_or_create(
                code=f"{TAG.upper()}-AC-{province}",
                defaults={"kind": OrgKind.ASSISTANCE_CENTRE, "province_id": province,
                          "name_th": "ศูนย์ช่วยเหลือสังคม (bench)", "location_id": subs[0][0]},
            )[0].pk  # fmt: skip
    staff, _ = User.objects.get_or_create(
        username=f"{TAG}staff",
        defaults={"roles": [Role.CENTRE_STAFF], "scope_level": ScopeLevel.NATION},
    )
    area = {
        "subs": [s for s, _ in subs],
        "centres": [centres[p] for _, p in subs],
        "staff": staff.pk,
        "members": members,
    }
    have = Volunteer.objects.filter(user__username__startswith=f"{TAG}_").count()
    started = time.perf_counter()
    for start in range(have, volunteers, CHUNK):
        end = min(volunteers, start + CHUNK)
        with transaction.atomic(), connection.cursor() as cursor:
            _volunteers_chunk(cursor, start, end, area)
        _progress("volunteers", end, volunteers, started)
    with transaction.atomic(), connection.cursor() as cursor:
        _fuller_packages(cursor, area)
    _progress(f"{PACKAGE_EXTRA} more households for every {PACKAGE_EVERY}th volunteer", 1, 1,
              started)  # fmt: skip
    bench_households = Household.objects.filter(house_no__startswith=f"{TAG}-").count()
    extra = households - bench_households
    if extra > 0:
        with transaction.atomic(), connection.cursor() as cursor:
            _unassigned(cursor, extra, area, first=bench_households)
        _progress("unassigned households", extra, extra, started)
    print(f"  households in all: {Household.objects.count():,}")
    with connection.cursor() as cursor:
        from onehome.cases.models import PlanGoal
        from onehome.registry.models import Membership, Person
        from onehome.volunteers.models import Assignment, FollowUp, HouseholdPlan, Visit

        _reset_sequences(cursor, [User, Person, Household, Membership, Volunteer, Assignment,
                                  Visit, HouseholdPlan, FollowUp, PlanGoal])  # fmt: skip


def _progress(what: str, done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(f"  [{'#' * filled}{'.' * (width - filled)}] {what} {done:,}/{total:,} "
          f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip


_SUB = "(%(subs)s::text[])[1 + ({v}) %% cardinality(%(subs)s::text[])]"


def _households(cursor, count: int, area: dict, sub_of, *, params: dict, prefix: str) -> int:
    """`count` households of `members` people each; `sub_of(row)` is the SQL of the
    sub-district of household row `row` (an SQL expression over g). Returns the first id."""
    from onehome.registry.models import Household, Membership, Person

    m = area["members"]
    h0, p0 = _next_id(cursor, Household), _next_id(cursor, Person)
    params = {**area, **params, "h0": h0, "p0": p0, "tag": TAG, "prefix": f"{TAG}-{prefix}"}
    sub = sub_of("g")
    insert_select(cursor, Household, count, {
        "id": "%(h0)s + g", "house_no": "%(prefix)s::text || (%(h0)s + g)",
        "subdistrict_id": sub, "village_id": f"{sub} || '01'",
    }, params)  # fmt: skip
    member_sub = sub_of(f"(g / {m})")
    insert_select(cursor, Person, count * m, {
        "id": "%(p0)s + g", "id_type": "'thai_id'",
        "id_number": "'9' || lpad((%(p0)s + g)::text, 12, '0')",
        "first_name_th": "'สมชาย' || (g %% 997)", "last_name_th": "'ใจดี' || (g %% 89)",
        "first_name_en": "%(tag)s::text", "name_key": "%(tag)s::text || (%(p0)s + g)",
        "birth_date": "date '1950-01-01' + ((g * 37) %% 25000)", "phone": "'0810000000'",
        "subdistrict_id": member_sub, "village_id": f"{member_sub} || '01'",
    }, params)  # fmt: skip
    insert_select(cursor, Membership, count * m, {
        "household_id": f"%(h0)s + g / {m}", "person_id": "%(p0)s + g",
        "relationship": f"CASE g %% {m} WHEN 0 THEN 'head' WHEN 1 THEN 'spouse' ELSE 'child' END",
        "start_date": "date '2020-01-01'",
    }, params)  # fmt: skip
    return h0


def _work(cursor, count: int, params: dict, volunteer_of, user_of) -> None:
    """The volunteers' work on households %(h0)s.. (`count` of them; `volunteer_of(row)`
    and `user_of(row)`: SQL of the volunteer and their login for household row `row`):
    assignments, one visit a month ago each, and for every other household a plan with two
    open goals and a due visit."""
    from onehome.cases.models import PlanGoal
    from onehome.volunteers.models import Assignment, FollowUp, HouseholdPlan, Visit
    from onehome.volunteers.visits import questionnaire

    params = {**params, "pl0": _next_id(cursor, HouseholdPlan),
              "version": questionnaire.current().version}  # fmt: skip
    insert_select(cursor, Assignment, count, {
        "household_id": "%(h0)s + g", "volunteer_id": volunteer_of("g"),
        "source": "'one_by_one'", "assigned_by_id": "%(staff)s",
    }, params)  # fmt: skip
    insert_select(cursor, Visit, count, {
        "client_id": "gen_random_uuid()", "household_id": "%(h0)s + g",
        "volunteer_id": volunteer_of("g"), "visited_on": "current_date - (30 + g %% 10)",
        "questionnaire": "%(version)s", "answers": "'{\"safe_food\": true}'::jsonb",
        "recorded_by_id": user_of("g"),
    }, params)  # fmt: skip
    # Plans for every other household (plan row g: household row 2g).
    insert_select(cursor, HouseholdPlan, count // 2, {
        "id": "%(pl0)s + g", "household_id": "%(h0)s + 2 * g", "agreed_on": "current_date",
        "created_by_id": "%(staff)s",
    }, params)  # fmt: skip
    insert_select(cursor, FollowUp, count // 2, {
        "household_id": "%(h0)s + 2 * g", "due_on": "current_date + (2 * g) %% 10",
    }, params)  # fmt: skip
    insert_select(cursor, PlanGoal, count, {
        "household_plan_id": "%(pl0)s + g / 2",
        "dimension": "CASE g %% 2 WHEN 0 THEN 'income' ELSE 'health' END",
        "goal": "'รายได้พอใช้'", "action": "'ฝึกอาชีพ'",
        "volunteer_id": volunteer_of("(g / 2) * 2"), "created_by_id": "%(staff)s",
        "due_date": "current_date + 90",
    }, params)  # fmt: skip


def _volunteers_chunk(cursor, start: int, end: int, area: dict) -> None:
    """Volunteers start..end-1 with their logins, people and villages, 10 households each
    and the work on them (`_work`)."""
    from onehome.access.models import User
    from onehome.registry.models import Person
    from onehome.volunteers.models import Volunteer

    n, H = end - start, HOUSEHOLDS
    u0, p0, v0 = _next_id(cursor, User), _next_id(cursor, Person), _next_id(cursor, Volunteer)
    params = {**area, "u0": u0, "p0": p0, "v0": v0, "start": start, "tag": TAG}
    sub = _SUB.format(v="%(start)s + g")
    insert_select(cursor, User, n, {
        "id": "%(u0)s + g", "username": "%(tag)s::text || '_' || (%(start)s + g)",
        "password": "'!bench'", "roles": "'[\"volunteer\"]'::jsonb",
        "scope_level": "'subdistrict'", "scope_code": sub,
    }, params)  # fmt: skip
    insert_select(cursor, Person, n, {
        "id": "%(p0)s + g", "id_type": "'thai_id'",
        "id_number": "'8' || lpad((%(p0)s + g)::text, 12, '0')",
        "first_name_th": "'อาสา' || (g %% 997)", "last_name_th": "'ใจดี'",
        "first_name_en": "%(tag)s::text", "name_key": "%(tag)s::text || (%(p0)s + g)",
        "phone": "'0810000000'", "subdistrict_id": sub, "village_id": f"{sub} || '01'",
    }, params)  # fmt: skip
    centre = "(%(centres)s::bigint[])[1 + (%(start)s + g) %% cardinality(%(subs)s::text[])]"
    insert_select(cursor, Volunteer, n, {
        "id": "%(v0)s + g", "person_id": "%(p0)s + g", "user_id": "%(u0)s + g",
        "subdistrict_id": sub, "centre_id": centre, "status": "'active'",
        "appointed_on": "date '2025-01-15'", "term_ends_on": "date '2029-01-14'",
    }, params)  # fmt: skip
    cursor.execute(
        f"INSERT INTO {Volunteer.villages.through._meta.db_table} (volunteer_id, village_id) "  # noqa: S608
        f"SELECT %(v0)s + g, {sub} || '01' FROM generate_series(0, %(n)s - 1) AS g",
        {**params, "n": n},
    )
    sub_of = lambda row: _SUB.format(v=f"%(start)s + ({row}) / {H}")  # noqa: E731
    h0 = _households(cursor, n * H, area, sub_of, params=params, prefix="")
    _work(cursor, n * H, {**params, "h0": h0},
          volunteer_of=lambda row: f"%(v0)s + ({row}) / {H}",
          user_of=lambda row: f"%(u0)s + ({row}) / {H}")  # fmt: skip


def _unassigned(cursor, count: int, area: dict, first: int) -> None:
    """Households no volunteer follows yet, round the country's sub-districts."""
    sub_of = lambda row: _SUB.format(v=f"%(first)s + {row}")  # noqa: E731
    _households(cursor, count, area, sub_of, params={"first": first}, prefix="u")


def _fuller_packages(cursor, area: dict) -> None:
    """Every `PACKAGE_EVERY`th volunteer gets `PACKAGE_EXTRA` more households of their own
    sub-district, and the work on them: the issue's restore of 30 households."""
    from onehome.registry.models import Household
    from onehome.volunteers.models import Volunteer

    if Household.objects.filter(house_no__startswith=f"{TAG}-p").exists():
        return
    chosen = list(
        Volunteer.objects.filter(user__username__startswith=f"{TAG}_")
        .order_by("id")
        .values_list("id", "user_id", "subdistrict_id")[::PACKAGE_EVERY]
    )
    params = {"vols": [c[0] for c in chosen], "users": [c[1] for c in chosen],
              "vol_subs": [c[2] for c in chosen]}  # fmt: skip
    k = PACKAGE_EXTRA
    count = len(chosen) * k
    sub_of = lambda row: f"(%(vol_subs)s::text[])[1 + ({row}) / {k}]"  # noqa: E731
    h0 = _households(cursor, count, area, sub_of, params=params, prefix="p")
    _work(cursor, count, {**area, **params, "h0": h0},
          volunteer_of=lambda row: f"(%(vols)s::bigint[])[1 + ({row}) / {k}]",
          user_of=lambda row: f"(%(users)s::bigint[])[1 + ({row}) / {k}]")  # fmt: skip


def volunteers_with_tokens(rng, count, households=HOUSEHOLDS):
    """(token, household ids, {household id: [(person id, version)]}, household versions)
    for `count` bench volunteers drawn at random among those following `households`."""
    from django.db.models import Count, Q

    from onehome.access.tokens import services as tokens
    from onehome.registry.models import Membership
    from onehome.volunteers.models import Assignment, Volunteer

    ids = list(
        Volunteer.objects.filter(user__username__startswith=f"{TAG}_")
        .annotate(n=Count("assignments", filter=Q(assignments__ended_at__isnull=True)))
        .filter(n=households)
        .values_list("id", flat=True)
    )
    picked = Volunteer.objects.filter(id__in=rng.sample(ids, min(count, len(ids))))
    out = []
    for v in picked.select_related("user"):
        hh = list(Assignment.objects.filter(volunteer=v, ended_at__isnull=True)
                  .order_by("household_id")
                  .values_list("household_id", "household__version",
                               "household__house_no"))  # fmt: skip
        people = {}
        for hid, pid, ver, phone in Membership.objects.filter(
            household_id__in=[h[0] for h in hh], end_date__isnull=True
        ).values_list("household_id", "person_id", "person__version", "person__phone"):
            people.setdefault(hid, []).append((pid, ver, phone))
        out.append({"token": tokens.issue(user=v.user)[1], "households": hh, "people": people})
    return out
