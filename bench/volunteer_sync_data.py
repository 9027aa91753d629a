"""Data of `bench/volunteer_sync.py`: bench volunteers of one province, each with a login,
assigned households of members, an earlier visit, and for half the households a plan with
open goals and a due visit; and the volunteers' API tokens (the phone's credentials).

Written with bulk_create (no services): the bench measures the app's restore and sync,
not the writing of its own fixture."""

import datetime as dt

HOUSEHOLDS, MEMBERS = 10, 4
TAG = "vsbench"  # usernames, person English names, organisation code


def generate(n: int, province: str) -> None:
    """n volunteers spread over the province's sub-districts (village 1 of each), each
    with 10 households of 4 assigned to them. Adds only the volunteers missing."""
    from django.db import transaction

    from onehome.access.models import Role, ScopeLevel, User
    from onehome.geo.models import Subdistrict, Village
    from onehome.orgs.models import Organisation, OrgKind
    from onehome.volunteers.models import Volunteer

    have = Volunteer.objects.filter(user__username__startswith=f"{TAG}_").count()
    if have >= n:
        print(f"{have} bench volunteers already present")
        return
    subs = list(
        Subdistrict.objects.filter(district__province_id=province)
        .order_by("code")
        .values_list("code", flat=True)
    )
    Village.objects.bulk_create(
        [Village(code=f"{s}01", subdistrict_id=s, number=1, name_th="หมู่ที่ 1") for s in subs],
        ignore_conflicts=True,
    )
    centre, _ = Organisation.objects.get_or_create(
        code=f"{TAG.upper()}-AC-{province}",
        defaults={"kind": OrgKind.ASSISTANCE_CENTRE, "name_th": "ศูนย์ช่วยเหลือสังคม (bench)",
                  "province_id": province, "location_id": subs[0]},
    )  # fmt: skip
    staff, _ = User.objects.get_or_create(
        username=f"{TAG}staff",
        defaults={"roles": [Role.CENTRE_STAFF], "scope_level": ScopeLevel.PROVINCE,
                  "scope_code": province},
    )  # fmt: skip
    step = 250
    for start in range(have, n, step):
        with transaction.atomic():
            _chunk(range(start, min(n, start + step)), subs, centre, staff)
        print(f"  volunteers {min(n, start + step)}/{n}", flush=True)


def _chunk(numbers, subs, centre, staff) -> None:
    from onehome.access.models import Role, ScopeLevel, User
    from onehome.cases.models import PlanGoal
    from onehome.registry.models import Household, Membership, Person
    from onehome.volunteers.models import (
        Assignment,
        AssignmentSource,
        FollowUp,
        HouseholdPlan,
        Visit,
        Volunteer,
        VolunteerStatus,
    )
    from onehome.volunteers.visits import questionnaire

    version = questionnaire.current().version
    today = dt.date.today()
    rels = ["head", "spouse", "child", "child"]

    def person(sub, i, k):
        return Person(
            id_type="thai_id", id_number=f"3{i:07d}{k:05d}",
            first_name_th=f"สมชาย{i % 997}", last_name_th=f"ใจดี{k}", first_name_en=TAG,
            name_key=f"{TAG}{i}-{k}", birth_date=dt.date(1960 + k % 50, 1 + k % 12, 1),
            subdistrict_id=sub, village_id=f"{sub}01", phone="0810000000",
        )  # fmt: skip

    users, vols, people, households = [], [], [], []
    for i in numbers:
        sub = subs[i % len(subs)]
        users.append(User(username=f"{TAG}_{i}", roles=[Role.VOLUNTEER],
                          scope_level=ScopeLevel.SUBDISTRICT, scope_code=sub))  # fmt: skip
        people.append(person(sub, i, 9999))
        for h in range(HOUSEHOLDS):
            households.append(Household(house_no=f"{i}/{h}", subdistrict_id=sub,
                                        village_id=f"{sub}01"))  # fmt: skip
            people += [person(sub, i, h * MEMBERS + m) for m in range(MEMBERS)]
    for u in users:
        u.set_unusable_password()
    User.objects.bulk_create(users)
    Person.objects.bulk_create(people, batch_size=2000)
    Household.objects.bulk_create(households, batch_size=2000)
    per = 1 + HOUSEHOLDS * MEMBERS
    for j, u in enumerate(users):
        vols.append(Volunteer(person=people[j * per], user=u, subdistrict_id=u.scope_code,
                              centre=centre, status=VolunteerStatus.ACTIVE,
                              appointed_on=dt.date(2025, 1, 15),
                              term_ends_on=dt.date(2029, 1, 14)))  # fmt: skip
    Volunteer.objects.bulk_create(vols)
    Volunteer.villages.through.objects.bulk_create(
        [
            Volunteer.villages.through(volunteer_id=v.pk, village_id=f"{v.subdistrict_id}01")
            for v in vols
        ]  # fmt: skip
    )
    members, assignments, visits, plans, follow_ups = [], [], [], [], []
    for j, v in enumerate(vols):
        for h in range(HOUSEHOLDS):
            hh = households[j * HOUSEHOLDS + h]
            first = j * per + 1 + h * MEMBERS
            members += [Membership(household=hh, person=people[first + m], relationship=rels[m],
                                   start_date=dt.date(2020, 1, 1))
                        for m in range(MEMBERS)]  # fmt: skip
            assignments.append(Assignment(household=hh, volunteer=v, assigned_by=staff,
                                          source=AssignmentSource.ONE_BY_ONE))  # fmt: skip
            visits.append(Visit(household=hh, volunteer=v, questionnaire=version,
                                visited_on=today - dt.timedelta(days=30 + h),
                                answers={"safe_food": True}, recorded_by=v.user))  # fmt: skip
            if h % 2 == 0:
                plans.append(HouseholdPlan(household=hh, agreed_on=today, created_by=staff))
                follow_ups.append(FollowUp(household=hh, due_on=today + dt.timedelta(days=h)))
    Membership.objects.bulk_create(members, batch_size=5000)
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    Visit.objects.bulk_create(visits, batch_size=5000)
    HouseholdPlan.objects.bulk_create(plans, batch_size=5000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
    by_household = {v.household_id: v.volunteer_id for v in assignments}
    PlanGoal.objects.bulk_create(
        [PlanGoal(household_plan=p, dimension=dim, goal="รายได้พอใช้", action="ฝึกอาชีพ",
                  volunteer_id=by_household[p.household_id], created_by=staff,
                  due_date=today + dt.timedelta(days=90)) for p in plans
         for dim in ("income", "health")],
        batch_size=5000,
    )  # fmt: skip


def volunteers_with_tokens(rng, count):
    """(token, household ids, {household id: [(person id, version)]}, household versions)
    for `count` bench volunteers drawn at random."""
    from onehome.access.tokens import services as tokens
    from onehome.registry.models import Membership
    from onehome.volunteers.models import Assignment, Volunteer

    ids = list(Volunteer.objects.filter(user__username__startswith=f"{TAG}_")
               .values_list("id", flat=True))  # fmt: skip
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
