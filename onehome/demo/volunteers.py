"""The demo province's volunteers (อพม.) and the households they follow.

In the provincial capital's sub-district and the few sub-districts with the most target
households of the latest demo targeting run: a club each, volunteers in every status
(candidate → trained → appointed → active → resting → left) with trainings, awards and
villages, the `volunteer` demo login tied to an active one (and named as its person); the
target households spread over the working volunteers by village and load (a few left
without a volunteer, so the coverage page has both, and a few reassigned, so the history
shows). What happens in the households afterwards — visits, the record book, plans, the
course, help requests and offline conflicts — is `volunteer_work`.

Written with bulk inserts where rows are many (the whole phase adds a few seconds to the
demo); runs after the survey phase (it needs the run's target list) in its own
transaction, and is skipped when the province already has volunteers.

    from onehome.demo.volunteers import build_volunteers
    counts = build_volunteers(province="57", seed=57)
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onehome.access.models import User
from onehome.cases.models import PlanGoal
from onehome.geo.models import Subdistrict, Village
from onehome.orgs.models import Organisation
from onehome.registry.models import Household, Person
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.results.target_lists import target_households
from onehome.volunteers.models import (
    Assignment,
    AssignmentSource,
    Conflict,
    Enrollment,
    FollowUp,
    HelpRequest,
    HouseholdPlan,
    OfflineChange,
    Recognition,
    RecordBookEntry,
    Training,
    Visit,
    Volunteer,
    VolunteerClub,
    VolunteerStatus,
)

from . import volunteer_work

DAY = dt.timedelta(days=1)
EXTRA_SUBDISTRICTS = 4  # besides the capital's
MIN_HOUSEHOLDS = 12  # topped up with other households when the target list is shorter
LOGIN_HOUSEHOLDS = 6  # the `volunteer` login follows at least these (when the load has them)
UNASSIGNED_SHARE = 0.1  # target households left without a volunteer (coverage)
# Each sub-district's volunteers: every status, most of them working.
STATUSES = (
    VolunteerStatus.CANDIDATE,
    VolunteerStatus.TRAINED,
    VolunteerStatus.APPOINTED,
    VolunteerStatus.ACTIVE,
    VolunteerStatus.ACTIVE,
    VolunteerStatus.ACTIVE,
    VolunteerStatus.RESTING,
    VolunteerStatus.LEFT,
)
TRAININGS = (("หลักสูตรพื้นฐาน อพม.", 18), ("การบันทึกสมุดพกครอบครัวอิเล็กทรอนิกส์", 6),
             ("การวางแผนพัฒนาครอบครัวรายครัวเรือน", 12))  # fmt: skip
AWARDS = (("เกียรติบัตร อพม. ดีเด่นระดับจังหวัด", "สำนักงานพัฒนาสังคมฯ จังหวัด"),
          ("โล่ อพม. ดีเด่นระดับประเทศ", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"))  # fmt: skip


@dataclass
class VolunteerCounts:
    volunteers: dict[str, int] = field(default_factory=dict)
    assignments: int = 0
    visits: int = 0
    plans: dict[str, int] = field(default_factory=dict)
    enrollments: dict[str, int] = field(default_factory=dict)
    help_requests: int = 0
    conflicts: int = 0


def province_has_volunteers(province: str) -> bool:
    return Volunteer.objects.filter(subdistrict__province_id=province).exists()


def reset_volunteers(province: str) -> dict[str, int]:
    """Delete the province's volunteer records and the work on its households (before the
    cases and the people: help requests point at reports, assignments at cases)."""
    homes = Q(household__subdistrict__province_id=province)
    counts = {}
    Conflict.objects.filter(homes).delete()
    OfflineChange.objects.filter(homes).delete()
    counts["help requests"], _ = HelpRequest.objects.filter(homes).delete()
    FollowUp.objects.filter(homes).delete()
    PlanGoal.objects.filter(household_plan__household__subdistrict__province_id=province).delete()
    HouseholdPlan.objects.filter(homes).delete()
    RecordBookEntry.objects.filter(homes).delete()
    counts["visits"], _ = Visit.objects.filter(homes).delete()
    Enrollment.objects.filter(homes).delete()
    Assignment.objects.filter(homes).delete()
    volunteers = Volunteer.objects.filter(subdistrict__province_id=province)
    PlanGoal.objects.filter(volunteer__in=volunteers).delete()
    Training.objects.filter(volunteer__in=volunteers).delete()
    Recognition.objects.filter(volunteer__in=volunteers).delete()
    counts["volunteers"], _ = volunteers.delete()
    VolunteerClub.objects.filter(subdistrict__province_id=province).delete()
    return {k: v for k, v in counts.items() if v}


def latest_run(province: str) -> Run | None:
    """The province's newest finished targeting run (the demo's later round)."""
    return (
        Run.objects.filter(status=RunStatus.DONE, survey_round__province_id=province)
        .select_related("survey_round")
        .order_by("-survey_round__year", "-pk")
        .first()
    )


@transaction.atomic
def build_volunteers(*, province: str, seed: int, today: dt.date | None = None) -> VolunteerCounts:
    """Build the volunteers and their households' story (after the logins and the survey)."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}:volunteers")
    users = {u.username: u for u in User.objects.filter(username__in=_LOGINS)}
    staff, worker = users["centre_staff"], users["social_worker"]
    run = latest_run(province)
    targets = _target_rows(worker, run, province)
    capital = f"{province}0101"
    subs = _subdistricts(capital, targets)
    pool = _pool(targets, subs, rng)
    volunteers = _roster(rng, subs, staff, users["volunteer"], today)
    login_volunteer = next(v for v in volunteers if v.user_id == users["volunteer"].pk)
    assignments = _assign(rng, pool, volunteers, login_volunteer, run, staff, today)
    counts = VolunteerCounts(
        volunteers={s: sum(v.status == s for v in volunteers) for s in VolunteerStatus.values},
        assignments=len(assignments),
    )
    work = volunteer_work.Work(
        rng=rng, today=today, run=run, staff=staff, worker=worker, login=users["volunteer"],
        supervisor=users["supervisor"],
    )  # fmt: skip
    work.build(assignments, {row["registry_household"]: row for row in targets}, counts)
    name_the_login_after_its_record(province)
    return counts


def name_the_login_after_its_record(province: str) -> None:
    """Give the `volunteer` demo login the name of the person on its volunteer record, so
    the page header and "my record" name the same person. Run after every load, also when
    the volunteers phase is skipped: `upsert_logins` writes the login's demo name again."""
    volunteer = (
        Volunteer.objects.filter(user__username="volunteer", subdistrict__province_id=province)
        .select_related("user", "person")
        .first()
    )
    if volunteer is None:
        return
    user, person = volunteer.user, volunteer.person
    names = (person.first_name_th, person.last_name_th)
    if (user.first_name, user.last_name) != names:
        user.first_name, user.last_name = names
        user.save(update_fields=["first_name", "last_name"])


_LOGINS = ("volunteer", "centre_staff", "social_worker", "supervisor")


def _target_rows(user: User, run: Run | None, province: str) -> list[dict]:
    """The run's target households of the province that are registry households."""
    if run is None:
        return []
    page = target_households(user=user, run=run, area=province, limit=None)
    return [row for row in page.rows if row["registry_household"]]


def _subdistricts(capital: str, targets: list[dict]) -> list[str]:
    """The capital's sub-district and those with the most target households."""
    per_sub: dict[str, int] = defaultdict(int)
    for row in targets:
        per_sub[row["village_code"][:6]] += 1
    busiest = sorted((s for s in per_sub if s != capital), key=lambda s: (-per_sub[s], s))
    return [capital, *busiest[:EXTRA_SUBDISTRICTS]]


@dataclass
class Home:
    household: Household
    target: bool


def _pool(targets: list[dict], subs: list[str], rng: random.Random) -> list[Home]:
    """The households to assign: the target households of ``subs`` (but a few left for the
    coverage page), topped up with other households of ``subs`` on a small demo load so
    every state of the story still appears."""
    ids = [r["registry_household"] for r in targets if r["village_code"][:6] in subs]
    keep = [h for h in ids if rng.random() >= UNASSIGNED_SHARE] or ids
    homes = Household.objects.filter(pk__in=keep, village__isnull=False).order_by("pk")
    pool = [Home(h, True) for h in homes]
    capital = sum(h.household.subdistrict_id == subs[0] for h in pool)
    if capital < LOGIN_HOUSEHOLDS:  # the phone app's demo login needs households to show
        others = (
            Household.objects.filter(subdistrict_id=subs[0], village__isnull=False)
            .exclude(pk__in=ids)
            .order_by("pk")[: LOGIN_HOUSEHOLDS - capital]
        )
        pool = [Home(h, False) for h in others] + pool
    if len(pool) < MIN_HOUSEHOLDS:
        others = (
            Household.objects.filter(subdistrict_id__in=subs, village__isnull=False)
            .exclude(pk__in=[*ids, *(h.household.pk for h in pool)])
            .order_by("pk")[: MIN_HOUSEHOLDS - len(pool)]
        )
        pool += [Home(h, False) for h in others]
    if len(pool) < MIN_HOUSEHOLDS:  # a very small load: the province's first households
        taken = {h.household.pk for h in pool}
        others = (
            Household.objects.filter(subdistrict__province_id=subs[0][:2], village__isnull=False)
            .exclude(pk__in=taken)
            .order_by("pk")[: MIN_HOUSEHOLDS - len(pool)]
        )
        pool += [Home(h, False) for h in others]
    return pool


def _roster(
    rng: random.Random, subs: list[str], staff: User, login: User, today: dt.date
) -> list[Volunteer]:
    """Each sub-district's club and volunteers (every status), their villages, trainings and
    awards; the `volunteer` login is the capital's first active volunteer. Kept by the
    centre's staff; the people are demo registry people (`_people`)."""
    centres = {
        o.location_id: o
        for o in Organisation.objects.filter(code__in=[f"CENTRE-AC-{s}" for s in subs])
    }
    fallback = staff.organisation
    villages = defaultdict(list)
    for v in Village.objects.filter(subdistrict_id__in=subs).order_by("code"):
        villages[v.subdistrict_id].append(v)
    clubs = VolunteerClub.objects.bulk_create(
        [VolunteerClub(name=f"ชมรม อพม. ตำบล {s.name_th}", subdistrict=s) for s in _subs(subs)]
    )
    club_of = {c.subdistrict_id: c for c in clubs}
    people = _people(rng, subs, len(STATUSES))
    rows: list[Volunteer] = []
    for sub in subs:
        for n, status in enumerate(STATUSES):
            person = people[sub][n]
            appointed = None
            if status not in (VolunteerStatus.CANDIDATE, VolunteerStatus.TRAINED):
                appointed = today - rng.randint(200, 1500) * DAY
            rows.append(
                Volunteer(
                    person=person,
                    subdistrict_id=sub,
                    centre=centres.get(sub) or fallback,
                    club=club_of[sub] if status != VolunteerStatus.CANDIDATE else None,
                    status=status,
                    appointed_on=appointed,
                    term_ends_on=appointed + 4 * 365 * DAY if appointed else None,
                    phone=f"08{rng.randint(10_000_000, 99_999_999)}",
                    created_by=staff,
                    created_at=timezone.now() - rng.randint(200, 1600) * DAY,
                )
            )
    first_active = next(v for v in rows if v.status == VolunteerStatus.ACTIVE)
    first_active.user = login  # the `volunteer` demo login (capital's sub-district first)
    volunteers = Volunteer.objects.bulk_create(rows)
    through = Volunteer.villages.through
    links, trainings, awards = [], [], []
    for n, vol in enumerate(volunteers):
        own = villages[vol.subdistrict_id]
        if own:
            picked = {own[n % len(own)], own[(n + 3) % len(own)]}
            links += [through(volunteer_id=vol.pk, village_id=v.code) for v in picked]
        if vol.status == VolunteerStatus.CANDIDATE:
            continue
        for course, hours in TRAININGS[: 1 + n % len(TRAININGS)]:
            done = today - rng.randint(30, 900) * DAY
            trainings.append(Training(volunteer=vol, course=course, completed_on=done, hours=hours))
        if vol.status == VolunteerStatus.ACTIVE and n % 3 == 0:
            award, by = AWARDS[n % len(AWARDS)]
            awards.append(
                Recognition(
                    volunteer=vol, award=award, given_on=today - rng.randint(20, 400) * DAY,
                    given_by=by,
                )
            )  # fmt: skip
    through.objects.bulk_create(links)
    Training.objects.bulk_create(trainings)
    Recognition.objects.bulk_create(awards)
    return volunteers


def _subs(codes: list[str]) -> list[Subdistrict]:
    found = Subdistrict.objects.in_bulk(codes)
    return [found[c] for c in codes if c in found]


def _people(rng: random.Random, subs: list[str], n: int) -> dict[str, list[Person]]:
    """``n`` adults (26–65) of the demo registry for each sub-district: its own residents,
    else, on a small load, residents of elsewhere in the province (never one twice, and no
    new people: the registry's counts stay the population's)."""
    born_before, born_after = dt.date(2000, 1, 1), dt.date(1960, 1, 1)
    adults = Person.objects.filter(
        merged_into__isnull=True, birth_date__lt=born_before, birth_date__gte=born_after
    ).order_by("pk")
    chosen: dict[str, list[Person]] = {}
    taken: set[int] = set()
    for sub in subs:
        found = list(adults.filter(subdistrict_id=sub)[: n * 4])
        rng.shuffle(found)
        chosen[sub] = [p for p in found if p.pk not in taken][:n]
        taken |= {p.pk for p in chosen[sub]}
    short = sum(n - len(people) for people in chosen.values())
    if short:
        others = iter(
            adults.filter(subdistrict__province_id=subs[0][:2]).exclude(pk__in=taken)[:short]
        )
        for sub in subs:
            chosen[sub] += [next(others) for _k in range(n - len(chosen[sub]))]
    return chosen


def _assign(
    rng: random.Random,
    pool: list[Home],
    volunteers: list[Volunteer],
    login_volunteer: Volunteer,
    run: Run | None,
    staff: User,
    today: dt.date,
) -> list[Assignment]:
    """Spread the households over the working volunteers by village, then by load (the
    login's volunteer first in the capital, so the phone app has households); one household
    in eight was followed by someone else before (an ended assignment)."""
    working = [v for v in volunteers if v.status in (VolunteerStatus.APPOINTED, "active")]
    villages = defaultdict(set)
    for vid, code in Volunteer.villages.through.objects.filter(volunteer__in=working).values_list(
        "volunteer_id", "village_id"
    ):
        villages[vid].add(code)
    load: dict[int, int] = defaultdict(int)
    rows: list[Assignment] = []  # ended ones (the history)
    done: list[Assignment] = []  # the open ones, in the pool's order (their stage's order)
    now = timezone.now()
    for n, home in enumerate(pool):
        h = home.household
        same_sub = [v for v in working if v.subdistrict_id == h.subdistrict_id] or working
        near = [v for v in same_sub if h.village_id in villages[v.pk]] or same_sub
        vol = min(near, key=lambda v: (load[v.pk], v.pk))
        mine = h.subdistrict_id == login_volunteer.subdistrict_id
        if mine and load[login_volunteer.pk] < LOGIN_HOUSEHOLDS:
            vol = login_volunteer  # the demo login's phone shows a full list
        load[vol.pk] += 1
        # A household just enrolled was assigned a few weeks ago; the others months ago.
        recent = volunteer_work.stage_of(len(done)) == volunteer_work.ENROLLED
        started = now - (rng.randint(15, 30) if recent else rng.randint(150, 200)) * DAY
        listed = home.target and run is not None
        source = AssignmentSource.TARGET_LIST if listed else AssignmentSource.ONE_BY_ONE
        if n % 8 == 5 and len(same_sub) > 1 and not recent:
            before = next(v for v in same_sub if v.pk != vol.pk)
            handover = started + rng.randint(30, 70) * DAY
            rows.append(
                Assignment(
                    household=h, volunteer=before, source=source, run=run if home.target else None,
                    started_at=started, ended_at=handover, assigned_by=staff,
                    end_reason="อาสาสมัครย้ายไปดูแลหมู่บ้านอื่น",
                )
            )  # fmt: skip
            started = handover
        done.append(
            Assignment(
                household=h, volunteer=vol, source=source, run=run if home.target else None,
                started_at=started, assigned_by=staff,
            )
        )  # fmt: skip
    Assignment.objects.bulk_create(rows)
    created = Assignment.objects.bulk_create(done)
    by_volunteer = {v.pk: v for v in volunteers}
    households = {home.household.pk: home.household for home in pool}
    for a in created:
        a.volunteer = by_volunteer[a.volunteer_id]
        a.household = households[a.household_id]
    return created
