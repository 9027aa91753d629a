"""The demo province's villages, households, people and memberships, written in bulk.

The registry services write one audited row at a time, which is right for clerks and far
too slow for 60,000 people; here rows are built in memory and inserted with `bulk_create`,
filling the same derived columns the services fill (search keys, as in
`registry.matching.set_search_keys`). The whole load is one audit event (see `build`).
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import ProtectedError, Q

from onehome.geo.models import Subdistrict, Village
from onehome.registry import matching
from onehome.registry.models import (
    Disability,
    Household,
    IdType,
    Membership,
    Person,
    PersonMerge,
    Relationship,
    Sex,
)
from onehome.registry.target_groups import years_ago

from .documents import Documents, digits
from .households import Member, draw_household
from .names import PersonNames, romanised, title_for, village_name_en, village_names

BATCH_SIZE = 5000
CHUNK_HOUSEHOLDS = 2000  # households built in memory and written together
HOUSEHOLDS_PER_HOMELESS = 400  # ≈50 homeless people for the default 20,000 households
# Districts in the highlands where many people hold cards for non-Thai / stateless people.
HIGHLAND_DISTRICTS = {"5713", "5715", "5708", "5709"}
# Where homeless people are met: town centres and the border market towns.
URBAN_SUBDISTRICTS = ["570101", "570102", "570901", "570801", "570513", "570701"]
_DISABILITY_SHARES = {
    Disability.PHYSICAL: 48,
    Disability.HEARING: 16,
    Disability.VISUAL: 10,
    Disability.INTELLECTUAL: 10,
    Disability.MENTAL: 9,
    Disability.LEARNING: 4,
    Disability.AUTISM: 3,
}
_DISABILITIES, _DISABILITY_WEIGHTS = list(_DISABILITY_SHARES), list(_DISABILITY_SHARES.values())
_CHILDREN = {Relationship.CHILD, Relationship.GRANDCHILD}
# How likely each member carries the household's surname (married women often take their
# husband's; grandchildren through a daughter carry their father's).
_SHARES_SURNAME = {
    Relationship.HEAD: 1.0,
    Relationship.SPOUSE: 0.7,
    Relationship.CHILD: 0.9,
    Relationship.GRANDCHILD: 0.6,
    Relationship.PARENT: 0.6,
    Relationship.GRANDPARENT: 0.6,
    Relationship.SIBLING: 0.8,
    Relationship.RELATIVE: 0.4,
    Relationship.NON_RELATIVE: 0.0,
}

Progress = Callable[[int], None]


class ResetBlockedError(Exception):
    """Other records still point at the demo people; the reset changed nothing."""


@dataclass
class PopulationCounts:
    villages: int = 0
    households: int = 0
    people: int = 0
    memberships: int = 0
    homeless: int = 0


def province_has_people(province: str) -> bool:
    return Person.objects.filter(subdistrict__province_id=province).exists()


def reset_population(province: str) -> dict[str, int]:
    """Delete the province's memberships, merges, people, households and villages.

    The audit log stays: it has no foreign keys and is append-only. Records of other apps
    that protect a person or household stop the reset with ResetBlockedError; the caller's
    transaction then rolls everything back.
    """
    people = Person.objects.filter(subdistrict__province_id=province)
    households = Household.objects.filter(subdistrict__province_id=province)
    counts = {}
    counts["memberships"], _ = Membership.objects.filter(
        Q(household__in=households) | Q(person__in=people)
    ).delete()
    PersonMerge.objects.filter(Q(kept__in=people) | Q(duplicate__in=people)).delete()
    Person.objects.filter(merged_into__in=people).update(merged_into=None)
    try:
        # Only the keys: the collector checks every relation, and full rows are not needed.
        counts["people"], _ = people.only("pk").delete()
        counts["households"], _ = households.only("pk").delete()
        counts["villages"], _ = Village.objects.filter(subdistrict__province_id=province).delete()
    except ProtectedError as exc:
        models = sorted({type(obj)._meta.label for obj in exc.protected_objects})
        raise ResetBlockedError(
            f"cannot reset province {province}: records in {', '.join(models)} still refer "
            "to its people, households or villages; delete those first"
        ) from exc
    return counts


def create_villages(*, province: str, seed: int, progress: Progress | None = None) -> int:
    """8–20 villages (หมู่ 1..N) in each sub-district; existing codes are left as they are."""
    rng = random.Random(f"{seed}:villages")
    villages = []
    for sub in Subdistrict.objects.filter(province_id=province).order_by("code"):
        names = village_names(rng, rng.randint(8, 20))
        villages += [
            Village(
                code=f"{sub.code}{number:02d}",
                subdistrict_id=sub.code,
                number=number,
                name_th=name,
                name_en=village_name_en(name),
            )
            for number, name in enumerate(names, start=1)
        ]
        if progress:
            progress(1)
    Village.objects.bulk_create(villages, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return Village.objects.filter(subdistrict__province_id=province).count()


class _PopulationBuilder:
    """Turns drawn household compositions into unsaved model rows."""

    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(f"{seed}:people")
        self.names = PersonNames(seed)
        self.docs = Documents(random.Random(f"{seed}:documents"))
        self.today = today

    def birth(self, age: int) -> tuple[dt.date, bool]:
        born = years_ago(self.today, age) - dt.timedelta(days=self.rng.randint(0, 364))
        if age >= 45 and self.rng.random() < 0.055:  # only the year is known
            return dt.date(born.year, 7, 1), True
        return born, False

    def document(self, *, age: int, birth_year: int, district: str) -> tuple[str, str | None]:
        r = self.rng.random()
        non_thai = 0.08 if district in HIGHLAND_DISTRICTS else 0.012
        if r < non_thai:
            return IdType.NON_THAI_ID, self.docs.non_thai_id(district=district)
        if age >= 18 and r < non_thai + 0.008:
            return IdType.PASSPORT, self.docs.passport()
        return IdType.THAI_ID, self.docs.thai_id(birth_year=birth_year, district=district)

    def phone(self, age: int) -> str:
        if age < 15 or self.rng.random() > (0.85 if age < 60 else 0.55):
            return ""
        return self.rng.choice(["06", "08", "09"]) + digits(self.rng, 8)

    def person(
        self, m: Member, *, surname: str, couple: bool, village: Village
    ) -> tuple[Person, dt.date]:
        rng = self.rng
        first = self.names.first(m.sex)
        last = surname if rng.random() < _SHARES_SURNAME[m.relationship] else self.names.last()
        born, approximate = self.birth(m.age)
        married = (couple and m.relationship in (Relationship.HEAD, Relationship.SPOUSE)) or (
            m.age >= 28 and rng.random() < 0.6
        )
        id_type, id_number = self.document(
            age=m.age, birth_year=born.year, district=village.subdistrict_id[:4]
        )
        disability = ""
        if rng.random() < (0.065 if m.age >= 60 else 0.018):
            disability = rng.choices(_DISABILITIES, _DISABILITY_WEIGHTS)[0]
        phone = self.phone(m.age)
        line_id = ""
        if phone and m.age < 50 and rng.random() < 0.3:
            line_id = f"{romanised(first).lower()}{rng.randint(1, 99)}"
        p = Person(
            id_type=id_type,
            id_number=id_number,
            title=title_for(sex=m.sex, age=m.age, married=married),
            first_name_th=first,
            last_name_th=last,
            first_name_en=romanised(first),
            last_name_en=romanised(last),
            sex=m.sex,
            birth_date=born,
            birth_date_approximate=approximate,
            disability=disability,
            phone=phone,
            line_id=line_id,
            subdistrict_id=village.subdistrict_id,
            village_id=village.code,
        )
        matching.set_search_keys(p)
        return p, born

    def household(
        self, village: Village, house_no: str
    ) -> tuple[Household, list[tuple[Person, str, dt.date]]]:
        """A household with its members: (person, relationship, living here since)."""
        rng = self.rng
        _kind, members = draw_household(rng)
        district = village.subdistrict_id[:4]
        household = Household(
            house_no=house_no,
            registration_no=self.docs.house_registration(district=district)
            if rng.random() < 0.92
            else "",
            subdistrict_id=village.subdistrict_id,
            village_id=village.code,
        )
        surname = self.names.last()
        couple = any(m.relationship == Relationship.SPOUSE for m in members)
        formed = self.today - dt.timedelta(days=rng.randint(180, 25 * 365))
        rows = []
        for m in members:
            person, born = self.person(m, surname=surname, couple=couple, village=village)
            came_of_age = born if m.relationship in _CHILDREN else years_ago(born, -18)
            since = min(max(formed, came_of_age), self.today)
            rows.append((person, m.relationship, since))
        return household, rows

    def homeless(self, subdistrict: str) -> Person:
        rng = self.rng
        sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
        age = rng.randint(22, 78)
        born, approximate = self.birth(age)
        if rng.random() < 0.25:  # they could not tell their age at all
            born, approximate = None, False
        elif not approximate and rng.random() < 0.4:
            born, approximate = dt.date(born.year, 7, 1), True
        first = self.names.first(sex)
        last = self.names.last() if rng.random() < 0.6 else ""
        p = Person(
            id_type=IdType.NONE,
            id_number=None,
            title=title_for(sex=sex, age=age, married=False),
            first_name_th=first,
            last_name_th=last,
            sex=sex,
            birth_date=born,
            birth_date_approximate=approximate,
            disability=Disability.MENTAL if rng.random() < 0.15 else "",
            no_fixed_address=True,
            subdistrict_id=subdistrict,
        )
        matching.set_search_keys(p)
        return p


def _house_numbers(rng: random.Random, villages: list[Village], total: int) -> list:
    """(village, house number) for each household, villages of different sizes, in order."""
    weights = [rng.uniform(0.4, 1.6) for _ in villages]
    picks = sorted(rng.choices(range(len(villages)), weights=weights, k=total))
    next_no: dict[int, int] = {}
    out = []
    for i in picks:
        n = next_no.get(i, 0) + rng.randint(1, 4)
        next_no[i] = n
        out.append((villages[i], f"{n}/{rng.randint(1, 9)}" if rng.random() < 0.25 else str(n)))
    return out


def create_population(
    *,
    province: str,
    households: int,
    seed: int,
    today: dt.date,
    progress: Progress | None = None,
) -> PopulationCounts:
    """`households` households with their members, plus homeless people with no household."""
    builder = _PopulationBuilder(seed=seed, today=today)
    villages = list(Village.objects.filter(subdistrict__province_id=province).order_by("code"))
    if not villages:
        raise ValueError(f"province {province} has no villages; create them first")
    counts = PopulationCounts()
    addresses = _house_numbers(builder.rng, villages, households)
    for start in range(0, households, CHUNK_HOUSEHOLDS):
        chunk = [builder.household(v, no) for v, no in addresses[start : start + CHUNK_HOUSEHOLDS]]
        Household.objects.bulk_create([h for h, _rows in chunk], batch_size=BATCH_SIZE)
        people = [p for _h, rows in chunk for p, _rel, _since in rows]
        Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
        memberships = [
            Membership(household=h, person=p, relationship=rel, start_date=since)
            for h, rows in chunk
            for p, rel, since in rows
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        counts.households += len(chunk)
        counts.people += len(people)
        counts.memberships += len(memberships)
        if progress:
            progress(len(chunk))
    urban = [c for c in URBAN_SUBDISTRICTS if c.startswith(province)] or [
        v.subdistrict_id for v in villages[:3]
    ]
    homeless = [
        builder.homeless(builder.rng.choice(urban))
        for _ in range(max(5, round(households / HOUSEHOLDS_PER_HOMELESS)))
    ]
    Person.objects.bulk_create(homeless, batch_size=BATCH_SIZE)
    counts.homeless = len(homeless)
    counts.people += len(homeless)
    counts.villages = len(villages)
    return counts
