"""Every read of people and households, always through `access.scope.scoped()`.

Functions named `*_for_view` are the detail reads a person sees on screen or through the
API; each writes an audit record with its purpose.
"""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import ScopeLevel, User
from onehome.access.scope import get_scoped_or_404, scoped
from onehome.geo.models import Subdistrict
from onehome.geo.selectors import subdistrict_codes

from . import matching
from .models import Household, Membership, Person, PersonMerge
from .target_groups import (
    HOUSEHOLD_GROUPS,
    PERSON_GROUPS,
    age,
    household_group_q,
    person_group_q,
)

SEARCH_CANDIDATES = 2000


def people_in_scope(user: User) -> QuerySet[Person]:
    """People the user may see; merged-away duplicates are hidden."""
    return scoped(user, Person.objects.filter(merged_into__isnull=True)).select_related(
        "subdistrict", "village"
    )


def target_group_counts(user: User) -> dict[str, int]:
    """How many people of the user's area are in each target group, in one query.

    Aggregates only: personal-data roles count what `scoped()` lets them see; other roles
    with an area (analysts, fund officers…) get the numbers of their area, never rows —
    the page suppresses small cells for them."""
    if user.reads_personal_data:
        people = people_in_scope(user)
    else:
        level, code = user.scope_level, user.scope_code
        if level not in ScopeLevel.values or (level != ScopeLevel.NATION and not code):
            return {}
        people = Person.objects.filter(merged_into__isnull=True)
        if level != ScopeLevel.NATION:
            people = people.filter(subdistrict_id__in=subdistrict_codes(level=level, code=code))
    today = timezone.localdate()
    aggregates = {"all": Count("pk")}
    for group in PERSON_GROUPS:
        aggregates[group] = Count("pk", filter=person_group_q(group, today=today))
    return people.order_by().aggregate(**aggregates)


def households_in_scope(user: User) -> QuerySet[Household]:
    return scoped(user, Household.objects.all()).select_related("subdistrict", "village")


def filter_people(
    qs: QuerySet[Person], *, area: str | None = None, group: str | None = None
) -> QuerySet[Person]:
    """Narrow by an area code (2/4/6/8 digits) and a target group."""
    if area:
        qs = qs.filter(_area_q(area, "subdistrict", "village"))
    if group in PERSON_GROUPS:
        qs = qs.filter(person_group_q(group, today=timezone.localdate()))
    return qs


def filter_households(
    qs: QuerySet[Household], *, area: str | None = None, group: str | None = None
) -> QuerySet[Household]:
    if area:
        qs = qs.filter(_area_q(area, "subdistrict", "village"))
    if group in HOUSEHOLD_GROUPS:
        qs = qs.filter(household_group_q(group, today=timezone.localdate()))
    return qs


def _area_q(code: str, sub_field: str, village_field: str) -> Q:
    code = (code or "").strip()
    if len(code) == 8:
        return Q(**{f"{village_field}_id": code})
    if len(code) == 6:
        return Q(**{f"{sub_field}_id": code})
    if len(code) == 4:
        return Q(**{f"{sub_field}__district_id": code})
    if len(code) == 2:
        return Q(**{f"{sub_field}__province_id": code})
    return Q(pk__in=[])


def search_people(
    user: User,
    query: str,
    *,
    area: str | None = None,
    group: str | None = None,
    limit: int = 20,
    audited: bool = True,
) -> list[Person]:
    """A national ID finds its person exactly; a Thai or English name finds people whose
    name sounds alike (typos included), best match first. Only people in scope, narrowed
    by `area` and `group` like `filter_people`. Each search is audited (who, which results;
    the query itself is not stored, since a typed ID or name is personal data)."""
    query = (query or "").strip()
    if not query:
        return []
    base = filter_people(people_in_scope(user), area=area, group=group)
    if digits := _id_digits(query):
        if len(digits) == 13:
            found = list(base.filter(id_number=digits)[:limit])
        else:
            low, high = _prefix_bounds(digits)
            by_prefix = base.filter(id_number__gte=low, id_number__startswith=digits)
            if high:
                by_prefix = by_prefix.filter(id_number__lt=high)
            found = list(by_prefix.order_by("id_number")[:limit])
    else:
        found = _by_name(base, query, limit=limit)
    if audited:
        audit.record(
            actor=user,
            action="search",
            object_type="registry.person",
            object_id="search",
            purpose=audit.current_purpose("search"),
            after={"results": len(found), "ids": [p.pk for p in found]},
        )
    return found


def search_people_and_households(
    user: User, query: str, *, area: str | None = None, group: str | None = None, limit: int
) -> tuple[list[Person], list[Household], bool]:
    """The search page: the best `limit` people (`search_people`) and the households
    (`search_households`) for one query, and whether more people matched; one audit row
    names the people and households returned."""
    people = search_people(user, query, area=area, group=group, limit=limit + 1, audited=False)
    more = len(people) > limit
    people = people[:limit]
    households = search_households(user, query, area=area)
    audit.record_list(
        actor=user,
        action="search",
        object_type="registry.person",
        object_id="search",
        ids={
            "registry.person": [p.pk for p in people],
            "registry.household": [h.pk for h in households],
        },
        purpose=audit.current_purpose("search"),
    )
    return people, households, more


def search_households(
    user: User, query: str, *, area: str | None = None, limit: int = 20
) -> list[Household]:
    """Households in scope whose house registration number starts with the typed digits."""
    digits = _id_digits(query or "")
    if not digits:
        return []
    qs = filter_households(households_in_scope(user), area=area)
    return list(qs.filter(registration_no__startswith=digits)[:limit])


def _prefix_bounds(digits: str) -> tuple[str, str]:
    """The range of numbers starting with `digits`: [digits, next) where next is the
    following number of the same length ('' when there is none: all nines). A range on
    the plain index, unlike LIKE 'digits%', is estimated right by PostgreSQL's planner, so
    it reads the few numbers in the range instead of scanning the whole area."""
    following = str(int(digits) + 1).zfill(len(digits))
    return digits, following if len(following) == len(digits) else ""


def _id_digits(query: str) -> str:
    """The digits of a query that is a (partial) identity or registration number, else ''."""
    digits = query.replace("-", "").replace(" ", "")
    return digits if digits.isdigit() and len(digits) >= 6 else ""


def _by_name(
    qs: QuerySet[Person], name: str, *, limit: int, cutoff: float = 60, strict: bool = False
) -> list[Person]:
    """People of `qs` whose name is like `name`, best first.

    `strict` (likely duplicates before a registration): blocked by the soundex of each word
    and ranked by rapidfuzz's WRatio of the whole name. Otherwise (search): a Latin-script
    name is looked up by its romanised key (`_by_latin_name`); a Thai name is blocked by
    the soundex and the folded spelling of each word and by key prefix, and ranked word by
    word (`matching.rank_thai`) so that the person typed, misspelt or not, comes first. A
    query of two words or more needs one of them spelt alike, or both sounding alike."""
    key = matching.normalise_name(name)
    if not key:
        return []
    if strict:
        words = key.split(" ")
        codes = {matching.sdx(w) for w in words} - {""}
        block = Q(first_sdx__in=codes) | Q(last_sdx__in=codes)
        candidates = list(
            qs.filter(block).order_by().values_list("pk", "name_key")[:SEARCH_CANDIDATES]
        )
        ranked = matching.rank(key, candidates, limit=limit, cutoff=cutoff)
        return _people_in_order(qs, [m.person_id for m in ranked])
    if matching.is_latin(key):
        return _by_latin_name(qs, key, limit=limit, cutoff=cutoff)
    words = key.split(" ")
    codes = {matching.sdx(w) for w in words} - {""}
    folds = {matching.fold(w) for w in words} - {""}
    first_alike = Q(first_sdx__in=codes) | Q(first_fold__in=folds)
    last_alike = Q(last_sdx__in=codes) | Q(last_fold__in=folds)
    # Candidates in tiers, from the most to the least precise block, each read up to the
    # cap, so that a broad block (a soundex code shared by thousands) cannot crowd out the
    # people who are spelt like the query:
    tiers = []
    if len(words) > 1:
        tiers.append(first_alike & last_alike)  # both names alike
    spelt = Q(first_fold__in=folds) | Q(last_fold__in=folds) | Q(name_key__startswith=key)
    if any(not ("\u0e00" <= ch <= "\u0e7f") for ch in key.replace(" ", "")):
        spelt |= Q(first_name_en__iexact=words[0]) | Q(last_name_en__iexact=words[-1])
    tiers.append(spelt)  # one name spelt alike (misspellings forgiven), or the key's start
    if len(words) == 1:
        tiers.append(Q(first_sdx__in=codes) | Q(last_sdx__in=codes))  # one name sounds alike
    columns = ("pk", "first_name_th", "last_name_th", "first_fold", "last_fold")
    rows = []
    for block in tiers:
        rows += qs.filter(block).order_by().values_list(*columns)[:SEARCH_CANDIDATES]
    ranked = matching.rank_thai(key, rows, limit=limit, cutoff=cutoff)
    return _people_in_order(qs, ranked)


def _by_latin_name(qs: QuerySet[Person], key: str, *, limit: int, cutoff: float) -> list[Person]:
    """A name typed in Latin letters: its folded words against the folded royal
    transliteration of first and last names, and against the English names as typed."""
    words = matching.fold_latin(key).split(" ")
    words = [w for w in words if w]
    if not words:
        return []
    raw = key.split(" ")
    block = (
        Q(first_rom__in=words)
        | Q(last_rom__in=words)
        | Q(first_name_en__iexact=raw[0])
        | Q(last_name_en__iexact=raw[-1])
    )
    columns = ("pk", "first_rom", "last_rom", "first_name_en", "last_name_en")
    rows = list(qs.filter(block).order_by().values_list(*columns)[:SEARCH_CANDIDATES])
    ranked = matching.rank_latin(key, rows, limit=limit, cutoff=cutoff)
    return _people_in_order(qs, ranked)


def _people_in_order(qs: QuerySet[Person], ids: list[int]) -> list[Person]:
    by_id = qs.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def likely_duplicates(
    *,
    user: User,
    first_name_th: str,
    last_name_th: str,
    birth_year: int | None,
    subdistrict: Subdistrict,
    limit: int = 5,
) -> list[Person]:
    """People in the user's scope who may be the one about to be registered: a similar Thai
    name, the same birth year (when known) and the same district."""
    qs = people_in_scope(user).filter(subdistrict__district_id=subdistrict.district_id)
    if birth_year:
        qs = qs.filter(birth_date__year=birth_year)
    name = matching.name_key(first_name_th, last_name_th)
    return _by_name(qs, name, limit=limit, cutoff=85, strict=True)


def record_candidates_shown(user: User, candidates: list[Person]) -> None:
    """The likely duplicates a registration was refused for are shown to the user (the
    form, the API's 409): one search row naming them. Written after the refusal, outside
    the registration's transaction, which the refusal rolls back."""
    audit.record_list(
        actor=user,
        action="search",
        object_type="registry.person",
        object_id="likely duplicates",
        ids=[p.pk for p in candidates],
        purpose=audit.current_purpose("registration"),
    )


def people_with_documents(
    user: User, documents: set[tuple[str, str]], *, purpose: str
) -> dict[tuple[str, str], Person]:
    """The people the user may see among those holding ``documents`` ((id type, number)
    pairs), by document; the look-up is audited with the ids it found, as a search is."""
    if not documents:
        return {}
    numbers = {number for _type, number in documents}
    found = {
        (p.id_type, p.id_number): p
        for p in people_in_scope(user).filter(id_number__in=numbers)
        if (p.id_type, p.id_number) in documents
    }
    audit.record(
        actor=user,
        action="search",
        object_type="registry.person",
        object_id="documents",
        purpose=purpose,
        after={"results": len(found), "ids": sorted(p.pk for p in found.values())},
    )
    return found


def person_for_view(user: User, person_id: int, *, purpose: str) -> Person:
    person = get_scoped_or_404(
        user, Person.objects.select_related("subdistrict", "village"), pk=person_id
    )
    audit.record_read(actor=user, obj=person, purpose=purpose, person_id=person.pk)
    return person


def household_for_view(user: User, household_id: int, *, purpose: str) -> Household:
    household = get_scoped_or_404(
        user,
        Household.objects.select_related("subdistrict", "village").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person").order_by(
                    "end_date", "start_date"
                ),
            )
        ),
        pk=household_id,
    )
    audit.record_read(actor=user, obj=household, purpose=purpose, household_id=household.pk)
    return household


def person_in_scope(user: User, person_id: int) -> Person:
    """The person (404 when out of scope), before a write: not audited, the write is."""
    return get_scoped_or_404(user, Person.objects.all(), pk=person_id)


def household_in_scope(user: User, household_id: int) -> Household:
    """The household (404 when out of scope), before a write: not audited, the write is."""
    return get_scoped_or_404(user, Household.objects.all(), pk=household_id)


def merges_in_scope(user: User) -> QuerySet[PersonMerge]:
    return scoped(user, PersonMerge.objects.all())


def with_current_household(people: list[Person]) -> list[Person]:
    """Attach `current` (the open membership or None) and `age` to each listed person
    (people already read through scope), in one query for the whole list."""
    prefetch_related_objects(
        people,
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(end_date__isnull=True).select_related("household"),
            to_attr="current_memberships",
        ),
    )
    now = today()
    for p in people:
        p.current = p.current_memberships[0] if p.current_memberships else None
        p.age = age(p.birth_date, now)
    return people


def memberships_of(person: Person) -> QuerySet[Membership]:
    """A person's households over time (the person was already read through scope)."""
    return person.memberships.select_related("household", "household__village").order_by(
        "-start_date"
    )


def current_household_id(person: Person) -> int | None:
    m = person.memberships.filter(end_date__isnull=True).only("household_id").first()
    return m.household_id if m else None


def merges_of(user: User, person: Person) -> QuerySet[PersonMerge]:
    return scoped(user, PersonMerge.objects.filter(Q(kept=person) | Q(duplicate=person)))


def today() -> dt.date:
    return timezone.localdate()
