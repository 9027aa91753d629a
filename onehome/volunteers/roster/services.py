"""Keeping the volunteer records (อพม.): registering a volunteer from the registry, editing
the record, trainings, awards and clubs. Every write is one transaction, audited, by
someone whose role may manage volunteers (`manage_volunteers`) on a record of their area;
anything else is 404. The statuses are in `statuses.py`, the login tied to the record in
`logins.py`."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, ScopeLevel, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope, scoped
from onehome.core import thai_dates
from onehome.core.state_machine import check_version
from onehome.errors import DuplicateError, NotInScopeError, ValidationError
from onehome.geo.models import Subdistrict, Village
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation
from onehome.registry.models import Person
from onehome.volunteers.models import (
    Recognition,
    Training,
    Volunteer,
    VolunteerClub,
    VolunteerStatus,
)

S = VolunteerStatus
MANAGE = Action.MANAGE_VOLUNTEERS
TEXT_MAX = 200
EDITABLE = ("subdistrict", "villages", "centre_id", "club_id", "appointed_on", "term_ends_on",
            "phone")  # fmt: skip


# --- reading a record to write it --------------------------------------------------------


def _check_manager(actor: User, subdistrict_code: str) -> None:
    """The actor may manage volunteers and the sub-district lies in their area (else 404)."""
    if not may(actor, MANAGE) or not in_scope(actor, subdistrict_code=subdistrict_code,
                                              action=MANAGE):  # fmt: skip
        raise NotInScopeError


def locked_for_write(actor: User, pk: int) -> Volunteer:
    """The record locked for a write, or NotInScopeError outside the actor's area."""
    qs = scoped(actor, Volunteer.objects.select_for_update(), action=MANAGE)
    try:
        return qs.get(pk=pk)
    except (Volunteer.DoesNotExist, ValueError, TypeError):
        raise NotInScopeError from None


def _snapshot(volunteer: Volunteer) -> dict[str, Any]:
    return {
        **audit.snapshot(volunteer),
        "villages": sorted(volunteer.villages.values_list("code", flat=True)),
    }


# --- the fields' rules -------------------------------------------------------------------


def _subdistrict(actor: User, code: str) -> Subdistrict:
    sub = Subdistrict.objects.filter(pk=(code or "").strip()).first()
    if sub is None:
        raise ValidationError(_("Choose the volunteer's sub-district."), code="subdistrict")
    _check_manager(actor, sub.code)
    return sub


def _villages(sub: Subdistrict, codes) -> list[Village]:
    codes = sorted({str(c).strip() for c in codes or [] if str(c).strip()})
    if not codes:
        raise ValidationError(_("Choose the villages the volunteer works in."), code="villages")
    found = list(Village.objects.filter(code__in=codes, subdistrict=sub))
    if len(found) != len(codes):
        raise ValidationError(
            _("Choose villages of the volunteer's own sub-district (%(sub)s) only.")
            % {"sub": sub.name_th},
            code="villages",
        )
    return found


def _centre(centre_id: int | None, sub: Subdistrict) -> Organisation:
    """A centre or an office of the ministry in the volunteer's province (or national)."""
    centre = Organisation.objects.filter(
        pk=centre_id, kind__in=CENTRE_KINDS | AGENCY_KINDS
    ).first() if centre_id else None  # fmt: skip
    if centre is None or (centre.province_id and centre.province_id != sub.code[:2]):
        raise ValidationError(
            _("Choose the centre the volunteer works with, in their province."), code="centre"
        )
    return centre


def _club(club_id: int | None, sub: Subdistrict) -> VolunteerClub | None:
    if not club_id:
        return None
    club = VolunteerClub.objects.filter(pk=club_id).first()
    # A club of the volunteer's district: usually one per district or sub-district.
    if club is None or club.subdistrict_id[:4] != sub.code[:4]:
        raise ValidationError(_("Choose a club of the volunteer's district."), code="club")
    return club


def check_term(appointed_on: dt.date | None, term_ends_on: dt.date | None) -> None:
    if term_ends_on and not appointed_on:
        raise ValidationError(
            _("Enter the appointment date before the end of the term."), code="appointed_on"
        )
    if appointed_on and term_ends_on and term_ends_on <= appointed_on:
        raise ValidationError(
            _("The term must end after the appointment date (%(date)s).")
            % {"date": thai_dates.format_date(appointed_on)},
            code="term_ends_on",
        )


def _phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and not (phone.replace("-", "").isdigit() and 9 <= len(phone) <= 20):
        raise ValidationError(_("Enter the phone number in digits."), code="phone")
    return phone


# --- registering and editing -------------------------------------------------------------


@transaction.atomic
def register_volunteer(
    *,
    actor: User,
    person_id: int,
    subdistrict: str,
    villages: list[str],
    centre_id: int,
    club_id: int | None = None,
    appointed_on: dt.date | None = None,
    term_ends_on: dt.date | None = None,
    phone: str = "",
) -> Volunteer:
    """A new volunteer record (a candidate) for a person of the registry in the actor's
    area; the person may hold one record only."""
    sub = _subdistrict(actor, subdistrict)
    person = (
        scoped(actor, Person.objects.select_for_update())
        .filter(pk=person_id, merged_into__isnull=True)
        .first()
    )
    if person is None:
        raise ValidationError(_("Choose a person of the registry in your area."), code="person")
    existing = Volunteer.objects.filter(person=person).first()
    if existing is not None:
        if in_scope(actor, subdistrict_code=existing.subdistrict_id, action=MANAGE):
            raise DuplicateError(_("This person is already a volunteer."), existing=existing)
        raise ValidationError(_("This person is already a volunteer elsewhere."), code="person")
    check_term(appointed_on, term_ends_on)
    volunteer = Volunteer.objects.create(
        person=person,
        subdistrict=sub,
        centre=_centre(centre_id, sub),
        club=_club(club_id, sub),
        appointed_on=appointed_on,
        term_ends_on=term_ends_on,
        phone=_phone(phone),
        created_by=actor,
    )
    volunteer.villages.set(_villages(sub, villages))
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=volunteer,
        person_id=person.pk,
        after=_snapshot(volunteer),
        purpose="volunteer registered",
    )
    return volunteer


@transaction.atomic
def update_volunteer(
    *, actor: User, volunteer_id: int, version: int | None, **changes: Any
) -> Volunteer:
    """Change a record's area, villages, centre, club, appointment, term or phone. A new
    sub-district moves the tied login's area scope with it (the user change is audited and
    told to them); it must lie in the actor's area too."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    volunteer = locked_for_write(actor, volunteer_id)
    check_version(volunteer, version)
    if volunteer.status == S.LEFT:
        raise ValidationError(_("This volunteer has left; the record is kept as it was."))
    before = _snapshot(volunteer)
    sub = volunteer.subdistrict
    if "subdistrict" in changes and changes["subdistrict"] != volunteer.subdistrict_id:
        sub = _subdistrict(actor, changes["subdistrict"])
    villages = changes.get("villages", before["villages"])
    appointed_on = changes.get("appointed_on", volunteer.appointed_on)
    term_ends_on = changes.get("term_ends_on", volunteer.term_ends_on)
    check_term(appointed_on, term_ends_on)
    volunteer.subdistrict = sub
    volunteer.centre = _centre(changes.get("centre_id", volunteer.centre_id), sub)
    volunteer.club = _club(changes.get("club_id", volunteer.club_id), sub)
    volunteer.appointed_on, volunteer.term_ends_on = appointed_on, term_ends_on
    volunteer.phone = _phone(changes.get("phone", volunteer.phone))
    volunteer.version += 1
    volunteer.save()
    volunteer.villages.set(_villages(sub, villages))
    if volunteer.user_id and volunteer.user.scope_code != sub.code:
        login = volunteer.user
        login.scope_level, login.scope_code = ScopeLevel.SUBDISTRICT, sub.code
        login.save(update_fields=["scope_level", "scope_code"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=volunteer,
        person_id=volunteer.person_id,
        before=before,
        after=_snapshot(volunteer),
        purpose="volunteer changed",
    )
    return volunteer


# --- trainings, awards, clubs ------------------------------------------------------------


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Enter the %(field)s.") % {"field": label})
    if len(value) > TEXT_MAX:
        raise ValidationError(
            _("The %(field)s is too long (%(n)d characters at most).")
            % {"field": label, "n": TEXT_MAX}
        )
    return value


def _past(day: dt.date | None, label: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise ValidationError(_("Enter the %(field)s.") % {"field": label})
    if day > timezone.localdate():
        raise ValidationError(_("The %(field)s cannot be in the future.") % {"field": label})
    return day


@transaction.atomic
def record_training(
    *, actor: User, volunteer_id: int, course: str, completed_on: dt.date,
    hours: int | None = None,
) -> Training:  # fmt: skip
    """A course the volunteer completed."""
    volunteer = locked_for_write(actor, volunteer_id)
    if hours is not None and not 0 < hours <= 1000:
        raise ValidationError(_("The hours must be between 1 and 1000."), code="hours")
    training = Training.objects.create(
        volunteer=volunteer,
        course=_text(course, _("course")),
        completed_on=_past(completed_on, _("completion date")),
        hours=hours,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=training,
        person_id=volunteer.person_id,
        after=audit.snapshot(training),
        purpose="volunteer training",
    )
    return training


@transaction.atomic
def record_award(
    *, actor: User, volunteer_id: int, award: str, given_on: dt.date, given_by: str = ""
) -> Recognition:
    """An award or certificate of honour given to the volunteer."""
    volunteer = locked_for_write(actor, volunteer_id)
    given_by = (given_by or "").strip()
    if len(given_by) > TEXT_MAX:
        raise ValidationError(_("The giver's name is too long."), code="given_by")
    recognition = Recognition.objects.create(
        volunteer=volunteer,
        award=_text(award, _("award")),
        given_on=_past(given_on, _("date given")),
        given_by=given_by,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=recognition,
        person_id=volunteer.person_id,
        after=audit.snapshot(recognition),
        purpose="volunteer award",
    )
    return recognition


@transaction.atomic
def create_club(*, actor: User, name: str, subdistrict: str) -> VolunteerClub:
    """A volunteers' club (ชมรม อพม.) of a sub-district of the actor's area."""
    sub = _subdistrict(actor, subdistrict)
    name = _text(name, _("club name"))
    if VolunteerClub.objects.filter(subdistrict__district_id=sub.district_id, name=name).exists():
        raise ValidationError(_("A club of this name already exists in the district."))
    club = VolunteerClub.objects.create(name=name, subdistrict=sub)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=club,
        after=audit.snapshot(club),
        purpose="volunteer club",
    )
    return club
