"""Every write to people, households and memberships. One transaction each, audited.

Callers pass the acting user; a write outside the user's area or role raises
NotInScopeError (shown as 404) before anything changes.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope
from onehome.core import thai_dates
from onehome.errors import (
    DuplicateError,
    LikelyDuplicatesError,
    NotInScopeError,
    StaleVersionError,
    ValidationError,
)
from onehome.geo.selectors import resolve_area
from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.roster.selectors import own_villages

from . import identity, matching
from .models import Household, IdType, Membership, Person, Relationship
from .selectors import likely_duplicates

PERSON_EDITABLE = [
    "title",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "sex",
    "disability",
    "phone",
    "line_id",
    "no_fixed_address",
]


def _refuse_unknown(fields, allowed: list[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _check_writer(
    actor: User,
    subdistrict_code: str,
    village_code: str | None,
    *,
    household_ids: Iterable[int] = (),
) -> None:
    """``household_ids``: the households whose data the write changes (none for a new
    record); a volunteer may change one open-assigned to them wherever its village lies."""
    if not actor.writes_registry or not in_scope(actor, subdistrict_code=subdistrict_code):
        raise NotInScopeError
    if may(actor, Action.WRITE_REGISTRY_IN_WHOLE_AREA):
        return
    if household_ids and _assigned_to_volunteer(actor, household_ids):
        return
    _check_volunteer_village(actor, village_code)


def _assigned_to_volunteer(actor: User, household_ids: Iterable[int]) -> bool:
    """Whether one of the households is open-assigned to the actor's volunteer record while
    it is working: the assignment is the grant to edit that household's and its members'
    details (bulk assignment may give a household outside the volunteer's own villages).
    Registering new records stays limited to their own villages."""
    return assigned_households(user=actor).filter(pk__in=list(household_ids)).exists()


def _check_volunteer_village(actor: User, village_code: str | None) -> None:
    """A volunteer (อพม.) registers people and households only in the villages of their
    own record, and only while it is working (appointed or active): the village is where
    they know the families. The same words for a record missing, resting or left."""
    villages = own_villages(actor)
    if not villages:
        raise ValidationError(
            _(
                "Only a volunteer whose record is appointed or active may register people "
                "and households. Ask the centre's staff."
            ),
            code="volunteer_village",
        )
    if village_code not in villages:
        raise ValidationError(
            _(
                "Volunteers register people and households only in their own villages; "
                "choose one of them."
            ),
            code="volunteer_village",
        )


def _existing_with_document(id_type: str, id_number: str | None) -> Person | None:
    if not id_number:
        return None
    return Person.objects.filter(id_type=id_type, id_number=id_number).first()


def _refuse_taken_document(actor: User, existing: Person | None) -> NoReturn:
    """Refuse a document number another record holds. Inside the actor's area the answer
    names that record (DuplicateError), so the clerk opens it instead. Outside it, or when
    the record is gone, the answer is the registry's refusal of a document number, the same
    words for every such case: naming the record, or even answering "duplicate", would let
    anyone who registers people ask whether an ID exists anywhere in the country."""
    if existing is not None and in_scope(actor, subdistrict_code=existing.subdistrict_id):
        raise DuplicateError(
            _("A person with this document number is already registered."), existing=existing
        )
    raise identity.refused_document()


@transaction.atomic
def register_person(
    *,
    actor: User,
    id_type: str,
    id_number: str | None = None,
    first_name_th: str,
    last_name_th: str = "",
    subdistrict: str,
    village: str | None = None,
    birth_date: dt.date | None = None,
    birth_year: int | None = None,
    acknowledge_duplicates: bool = False,
    purpose: str = "registration",
    **details: Any,
) -> Person:
    """Register a person. Refuses a second record with the same document (DuplicateError,
    carrying the existing one when it lies in the actor's area, else the plain refusal of
    `identity.refused_document`) and, unless acknowledged, similar people
    (LikelyDuplicatesError)."""
    sub, vil = resolve_area(subdistrict, village)
    _check_writer(actor, sub.code, vil.code if vil else None)
    if id_type not in IdType.values:
        raise ValidationError(_("Unknown identity document type."), code="id_type")
    number = identity.normalise_id(id_type, id_number)
    first_name_th = (first_name_th or "").strip()
    if not first_name_th:
        raise ValidationError(_("Enter the first name in Thai."), code="first_name_th")
    born, approximate = identity.resolve_birth(
        birth_date=birth_date, birth_year=birth_year, today=timezone.localdate()
    )
    if existing := _existing_with_document(id_type, number):
        _refuse_taken_document(actor, existing)
    _refuse_unknown(details, PERSON_EDITABLE)
    if not acknowledge_duplicates:
        similar = likely_duplicates(
            user=actor,
            first_name_th=first_name_th,
            last_name_th=last_name_th,
            birth_year=born.year if born else None,
            subdistrict=sub,
        )
        if similar:
            raise LikelyDuplicatesError(similar)
    person = Person(
        id_type=id_type,
        id_number=number,
        first_name_th=first_name_th,
        last_name_th=(last_name_th or "").strip(),
        subdistrict=sub,
        village=vil,
        birth_date=born,
        birth_date_approximate=approximate,
        created_by=actor,
        **details,
    )
    matching.set_search_keys(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # a concurrent registration of the same document won the race
        _refuse_taken_document(actor, _existing_with_document(id_type, number))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=person,
        person_id=person.pk,
        after=audit.snapshot(person),
        purpose=purpose,
    )
    return person


def _current_households(person: Person) -> list[int]:
    return list(
        Membership.objects.filter(person=person, end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )


def _check_version(obj: Person | Household, expected_version: int | None) -> None:
    if expected_version is None or int(expected_version) != obj.version:
        raise StaleVersionError(current_version=obj.version, given_version=expected_version)


@transaction.atomic
def update_person(
    *,
    actor: User,
    person_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
    purpose: str = "update",
) -> Person:
    """Change a person's details. The caller's `expected_version` must be current: a write
    based on an old copy is refused (StaleVersionError) instead of overwriting another's."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or person.merged_into_id:
        raise NotInScopeError
    _check_writer(actor, person.subdistrict_id, person.village_id,
                  household_ids=_current_households(person))  # fmt: skip
    _check_version(person, expected_version)
    before = audit.snapshot(person)
    changes = dict(changes)
    if "id_type" in changes or "id_number" in changes:
        id_type = changes.pop("id_type", person.id_type)
        number = identity.normalise_id(id_type, changes.pop("id_number", person.id_number))
        other = _existing_with_document(id_type, number)
        if other and other.pk != person.pk:
            _refuse_taken_document(actor, other)
        person.id_type, person.id_number = id_type, number
    if "birth_date" in changes or "birth_year" in changes:
        person.birth_date, person.birth_date_approximate = identity.resolve_birth(
            birth_date=changes.pop("birth_date", None),
            birth_year=changes.pop("birth_year", None),
            today=timezone.localdate(),
        )
    _refuse_unknown(changes, PERSON_EDITABLE)
    for name, value in changes.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if not person.first_name_th:
        raise ValidationError(_("Enter the first name in Thai."), code="first_name_th")
    matching.set_search_keys(person)
    person.version += 1
    person.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=person,
        person_id=person.pk,
        before=before,
        after=audit.snapshot(person),
        purpose=purpose,
    )
    return person


@transaction.atomic
def create_household(
    *,
    actor: User,
    subdistrict: str,
    village: str | None = None,
    house_no: str = "",
    registration_no: str = "",
    address_detail: str = "",
    purpose: str = "registration",
) -> Household:
    sub, vil = resolve_area(subdistrict, village)
    _check_writer(actor, sub.code, vil.code if vil else None)
    household = Household(subdistrict=sub, village=vil)
    _set_address(household, house_no=house_no, registration_no=registration_no,
                 address_detail=address_detail)  # fmt: skip
    household.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=household,
        household_id=household.pk,
        after=audit.snapshot(household),
        purpose=purpose,
    )
    return household


def _set_address(household: Household, *, house_no: str, registration_no: str,
                 address_detail: str) -> None:  # fmt: skip
    registration_no = (registration_no or "").strip()
    if registration_no and not (len(registration_no) == 11 and registration_no.isdigit()):
        raise ValidationError(
            _("A house registration number has 11 digits."), code="registration_no"
        )
    household.house_no = (house_no or "").strip()
    household.registration_no = registration_no
    household.address_detail = (address_detail or "").strip()


HOUSEHOLD_EDITABLE = ["village", "house_no", "registration_no", "address_detail"]


@transaction.atomic
def update_household(
    *,
    actor: User,
    household_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
    purpose: str = "update",
) -> Household:
    """Correct a household's address within its sub-district. A family that moves to
    another sub-district gets a new household (members move, history stays). A new village
    is copied to the current members, whose area follows their household."""
    household = Household.objects.select_for_update().filter(pk=household_id).first()
    if household is None:
        raise NotInScopeError
    _check_writer(actor, household.subdistrict_id, household.village_id,
                  household_ids=[household.pk])  # fmt: skip
    _check_version(household, expected_version)
    _refuse_unknown(changes, HOUSEHOLD_EDITABLE)
    before = audit.snapshot(household)
    if "village" in changes:
        _sub, vil = resolve_area(household.subdistrict_id, changes["village"] or None)
        if (vil.code if vil else None) != household.village_id:
            # Moving a household to another village: a volunteer only into their own.
            _check_writer(actor, household.subdistrict_id, vil.code if vil else None)
        household.village = vil
    _set_address(
        household,
        house_no=changes.get("house_no", household.house_no),
        registration_no=changes.get("registration_no", household.registration_no),
        address_detail=changes.get("address_detail", household.address_detail),
    )
    household.version += 1
    household.save()
    if household.village_id != before["village_id"]:
        Person.objects.filter(
            memberships__household=household, memberships__end_date__isnull=True
        ).update(village=household.village_id, version=F("version") + 1)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        household_id=household.pk,
        before=before,
        after=audit.snapshot(household),
        purpose=purpose,
    )
    return household


@transaction.atomic
def add_member(
    *,
    actor: User,
    household_id: int,
    person_id: int,
    relationship: str,
    since: dt.date | None = None,
    purpose: str = "registration",
) -> Membership:
    """Put a person into a household. A person already living elsewhere is moved: their
    current membership ends the day before, so the history shows where they lived when."""
    household = Household.objects.select_for_update().filter(pk=household_id).first()
    person = Person.objects.select_for_update().filter(pk=person_id, merged_into=None).first()
    if household is None or person is None:
        raise NotInScopeError
    _check_writer(actor, household.subdistrict_id, household.village_id)
    _check_writer(actor, person.subdistrict_id, person.village_id)
    if relationship not in Relationship.values:
        raise ValidationError(_("Unknown relationship."), code="relationship")
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise ValidationError(_("The start date cannot be in the future."), code="future_date")
    current = Membership.objects.filter(person=person, end_date__isnull=True).first()
    if current and current.household_id == household.pk:
        raise ValidationError(_("This person already lives in this household."), code="member")
    if (
        relationship == Relationship.HEAD
        and Membership.objects.filter(
            household=household, end_date__isnull=True, relationship=Relationship.HEAD
        ).exists()
    ):
        raise ValidationError(_("This household already has a head."), code="head")
    if current:
        if since <= current.start_date:
            raise ValidationError(
                _("The move date must be after %(date)s, when the current stay began.")
                % {"date": thai_dates.format_date(current.start_date)},
                code="move_date",
            )
        current.end_date = since - dt.timedelta(days=1)
        current.end_reason = _("moved to household %(id)s") % {"id": household.pk}
        current.save(update_fields=["end_date", "end_reason"])
    membership = Membership.objects.create(
        household=household, person=person, relationship=relationship, start_date=since
    )
    before = {"subdistrict": person.subdistrict_id, "village": person.village_id}
    person.subdistrict_id, person.village_id = household.subdistrict_id, household.village_id
    person.no_fixed_address = False
    person.version += 1
    person.save(
        update_fields=["subdistrict", "village", "no_fixed_address", "version", "updated_at"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        person_id=person.pk,
        household_id=household.pk,
        before={"household": current.household_id if current else None, **before},
        after={"household": household.pk, "relationship": relationship, "since": since.isoformat()},
        purpose=purpose,
    )
    return membership


@transaction.atomic
def end_membership(
    *, actor: User, membership_id: int, on: dt.date, reason: str, purpose: str = "update"
) -> Membership:
    m = Membership.objects.select_for_update().filter(pk=membership_id).first()
    if m is None:
        raise NotInScopeError
    _check_writer(actor, m.household.subdistrict_id, m.household.village_id)
    if m.end_date is not None:
        raise ValidationError(_("This stay has already ended."), code="ended")
    if on < m.start_date or on > timezone.localdate():
        raise ValidationError(_("The end date must be between the start and today."), code="date")
    if not (reason or "").strip():
        raise ValidationError(_("Say why the person left."), code="reason")
    m.end_date, m.end_reason = on, reason.strip()
    m.save(update_fields=["end_date", "end_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=m,
        person_id=m.person_id,
        household_id=m.household_id,
        after={"end_date": on.isoformat(), "end_reason": m.end_reason},
        purpose=purpose,
    )
    return m
