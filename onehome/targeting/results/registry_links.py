"""Survey households and the registry: which registry household a survey household is,
and creating it with its members when none is.

- :func:`linked_household_id` / :func:`linked_household_ids` find the registry household
  of a survey household: one linked before, else where most members with a national ID
  live now, else the house registration number.
- :func:`link_household` creates the registry household with its members from the survey
  rows when none matches, through the registry's services (rules, scope and audit apply).
- :func:`document_of` reads a survey person key as a registry document, and
  :func:`registry_people` finds the registry people holding a household's keys.

A link made for a household without any national ID cannot be found again by matching,
so every link is also written to the append-only audit log as
``targeting.householdlink`` keyed by village and survey household id, and that record is
consulted first: linking twice returns the same registry household.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Village
from onehome.registry import services as registry
from onehome.registry.identity import normalise_id
from onehome.registry.models import Household, IdType, Membership, Person, Relationship, Sex
from onehome.registry.selectors import people_with_documents
from onehome.targeting.models import Run
from onehome.targeting.results import selectors
from onehome.targeting.results.survey_rows import household_rows, key_value, plain_value

LINK_TYPE = "targeting.householdlink"


def document_of(key: str | None) -> tuple[str, str | None]:
    """(id type, normalised number) of a Thai or non-Thai ID card when the key (after any
    prefix) is a valid one, else (no document, None)."""
    number = key.split(":", 1)[-1] if key else ""
    if not number:
        return IdType.NONE, None
    for id_type in (IdType.THAI_ID, IdType.NON_THAI_ID):
        try:
            return id_type, normalise_id(id_type, number)
        except ValidationError:
            continue
    return IdType.NONE, None


def registry_people(user: User, person_keys: list[str]) -> dict[str, Person]:
    """Survey person key → the registry person holding that document, among the people
    the user may see (audited by the registry's look-up)."""
    documents = {key: document_of(key) for key in person_keys}
    found = people_with_documents(
        user, {d for d in documents.values() if d[1]}, purpose="explanation page"
    )
    return {key: found[d] for key, d in documents.items() if d in found}


def linked_household_id(
    *, household_id: str, person_keys: list[str], village_code: str = ""
) -> int | None:
    """The registry household of a survey household, or None when nothing matches."""
    return linked_household_ids([(village_code, household_id, person_keys)]).get(household_id)


LOOKUP_CHUNK = 2000  # values per IN (…): SQLite allows 32,766 parameters a statement


def linked_household_ids(households: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """The registry households of survey households, (village code, household id, person
    keys) each, in a few queries whatever their number (an export of a province lists
    thousands, too many for a look-up each: docs/performance.md). Survey household id →
    registry household id, for those that match, in this order: the household linked
    before (the audit log's link record, if it still exists), else where most of its
    members with a national ID live now, else the house registration number (an 11-digit
    household id)."""
    found: dict[str, int] = {}
    by_link = {_link_id(v, h): h for v, h, _keys in households if v}
    links: dict[str, int] = {}
    for chunk in _chunks(list(by_link)):
        for object_id, registry_id in (
            AuditEvent.objects.filter(object_type=LINK_TYPE, object_id__in=chunk)
            .order_by("at", "id")
            .values_list("object_id", "household_id")
        ):
            if registry_id:
                links[by_link[object_id]] = int(registry_id)  # the latest wins
    existing = set()
    for chunk in _chunks(sorted(set(links.values()))):
        existing |= set(Household.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    found.update({h: r for h, r in links.items() if r in existing})
    # A prefixed key ("card:0123…") carries a document number after the prefix.
    keys_of = {
        h: [k.split(":", 1)[-1] for k in keys if k] for _v, h, keys in households if h not in found
    }
    homes_of: dict[str, list[int]] = {}
    for chunk in _chunks(sorted({k for keys in keys_of.values() for k in keys})):
        for id_number, home in Membership.objects.filter(
            end_date__isnull=True, person__id_number__in=chunk, person__merged_into__isnull=True
        ).values_list("person__id_number", "household_id"):
            homes_of.setdefault(id_number, []).append(home)
    for h, keys in keys_of.items():
        homes = Counter(home for k in keys for home in homes_of.get(k, []))
        if homes:
            found[h] = homes.most_common(1)[0][0]
    numbers = [h for h in keys_of if h not in found and len(h) == 11 and h.isdigit()]
    for chunk in _chunks(numbers):
        for number, pk in (
            Household.objects.filter(registration_no__in=chunk)
            .order_by("pk")
            .values_list("registration_no", "pk")
        ):
            found.setdefault(number, pk)  # the oldest household with the number
    return found


def _chunks(values: list) -> list[list]:
    return [values[i : i + LOOKUP_CHUNK] for i in range(0, len(values), LOOKUP_CHUNK)]


def _link_id(village_code: str, household_id: str) -> str:
    return f"{village_code}/{household_id}"[:64]


@transaction.atomic
def link_household(
    *, actor: User, run_id: int, household_id: str, purpose: str = "target list"
) -> tuple[Household, bool]:
    """The registry household of a target household, created with its members from the
    survey rows when none matches. Returns (household, created)."""
    scope = selectors.household_scope(actor)
    run = selectors.finished_run(run_id)
    rows = household_rows(run.survey_round.path, household_id)
    if rows.empty:
        raise NotInScopeError
    village_code = str(rows["village_code"].iloc[0])
    if not scope.allows(village_code):
        raise NotInScopeError
    if not actor.writes_registry:
        raise NotInScopeError
    keys = [str(k) for k in rows.get("person_key", pd.Series(dtype=str)).dropna() if str(k)]
    existing = linked_household_id(
        household_id=str(household_id),
        person_keys=keys,
        village_code=village_code,
    )
    if existing is not None:
        return Household.objects.get(pk=existing), False
    household = _create_from_survey(actor, run, str(household_id), village_code, rows, purpose)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=LINK_TYPE,
        object_id=_link_id(village_code, str(household_id)),
        household_id=household.pk,
        subdistrict_code=village_code[:6],
        after={"household": household.pk, "run": run.pk, "survey_round": run.survey_round_id},
        purpose=purpose,
    )
    return household, True


def _create_from_survey(
    actor: User, run: Run, household_id: str, village_code: str, rows: pd.DataFrame, purpose: str
) -> Household:
    village = village_code if Village.objects.filter(code=village_code).exists() else None
    registration = household_id if len(household_id) == 11 and household_id.isdigit() else ""
    household = registry.create_household(
        actor=actor,
        subdistrict=village_code[:6],
        village=village,
        registration_no=registration,
        address_detail=_("From survey round %(name)s, household %(id)s")
        % {"name": run.survey_round.name, "id": household_id},
        purpose=purpose,
    )
    today = timezone.localdate()
    for number, row in enumerate(rows.to_dict("records"), start=1):
        year = run.survey_round.year
        person = _person_for(actor, row, number, village_code, village, year, purpose)
        registry.add_member(
            actor=actor,
            household_id=household.pk,
            person_id=person.pk,
            relationship=_relationship(row, number),
            since=today,
            purpose=purpose,
        )
    return household


def _person_for(
    actor: User,
    row: dict[str, Any],
    number: int,
    village_code: str,
    village: str | None,
    year: int,
    purpose: str,
) -> Person:
    key = key_value(row.get("person_key"))
    id_type, id_number = document_of(key)
    if id_number:
        found = Person.objects.filter(id_number=id_number, merged_into__isnull=True).first()
        if found is not None:
            return found
    age = plain_value(row.get("age"))
    first = plain_value(row.get("first_name_th")) or _("Survey member %(n)s") % {"n": number}
    return registry.register_person(
        actor=actor,
        id_type=id_type,
        id_number=id_number,
        first_name_th=str(first),
        last_name_th=str(plain_value(row.get("last_name_th")) or ""),
        subdistrict=village_code[:6],
        village=village,
        birth_year=int(year - age) if isinstance(age, int | float) else None,
        sex=_sex(row.get("sex")),
        acknowledge_duplicates=True,
        purpose=purpose,
    )


def _sex(value: Any) -> str:
    text = str(plain_value(value) or "").strip().lower()
    if text in {"f", "female", "2", "หญิง"}:
        return Sex.FEMALE
    if text in {"m", "male", "1", "ชาย"}:
        return Sex.MALE
    return Sex.UNKNOWN


def _relationship(row: dict[str, Any], number: int) -> str:
    if number == 1:  # the survey lists the head first
        return Relationship.HEAD
    value = str(plain_value(row.get("relationship")) or "")
    if value in Relationship.values and value != Relationship.HEAD:
        return value
    return Relationship.RELATIVE
