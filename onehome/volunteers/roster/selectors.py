"""Reading volunteer records: always through the scoping function."""

from django.db.models import Count, Q, QuerySet

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.registry.models import Person
from onehome.volunteers.models import (
    WORKING,
    Assignment,
    Volunteer,
    VolunteerClub,
    VolunteerStatus,
)


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer record tied to this login, or None (a staff member, a left volunteer's
    login that was unlinked, an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).select_related("subdistrict", "centre").first()


def volunteers_in_scope(user: User) -> QuerySet[Volunteer]:
    """The volunteer records of the user's area (staff who may read them)."""
    return scoped(user, Volunteer.objects.all(), action=Action.READ_VOLUNTEERS)


def volunteers_to_manage(user: User) -> QuerySet[Volunteer]:
    """The volunteer records the user may change (their area, `manage_volunteers`)."""
    return scoped(user, Volunteer.objects.all(), action=Action.MANAGE_VOLUNTEERS)


def own_villages(user: User) -> frozenset[str] | None:
    """The village codes a volunteer's login works in: those of their record while it is
    working (appointed or active); empty for a record resting, left or a candidate; None
    when the login has no record at all."""
    volunteer = volunteer_of(user)
    if volunteer is None:
        return None
    if volunteer.status not in WORKING:
        return frozenset()
    return frozenset(volunteer.villages.values_list("code", flat=True))


def filter_volunteers(
    qs: QuerySet[Volunteer],
    *,
    status: str | None = None,
    area: str | None = None,
    club: int | None = None,
    text: str | None = None,
) -> QuerySet[Volunteer]:
    """Narrow by status, an area code (2/4/6 digits: by sub-district; 8: a village they
    work in), a club and a name or phone number."""
    if status in VolunteerStatus.values:
        qs = qs.filter(status=status)
    area = (area or "").strip()
    if area.isdigit() and len(area) == 8:
        qs = qs.filter(villages__code=area)
    elif area.isdigit() and len(area) == 6:
        qs = qs.filter(subdistrict_id=area)
    elif area.isdigit() and len(area) in (2, 4):
        qs = qs.filter(subdistrict__code__startswith=area)
    if club:
        qs = qs.filter(club_id=club)
    for word in (text or "").split()[:5]:
        qs = qs.filter(
            Q(person__first_name_th__icontains=word)
            | Q(person__last_name_th__icontains=word)
            | Q(phone__contains=word)
        )
    return qs.distinct() if area and len(area) == 8 else qs


def counts_by_status(qs: QuerySet[Volunteer]) -> dict[str, int]:
    """How many of ``qs`` are in each status (every status named, zero included)."""
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {status: found.get(status, 0) for status in VolunteerStatus.values}


def volunteer_in_scope(user: User, pk: int) -> Volunteer:
    """One record of the user's area, or `Volunteer.DoesNotExist` (the caller answers 404)."""
    return (
        volunteers_in_scope(user)
        .select_related("person", "subdistrict", "centre", "club", "user")
        .prefetch_related("villages")
        .get(pk=pk)
    )


def open_assignments(volunteer: Volunteer) -> QuerySet[Assignment]:
    """The households given to the volunteer now (read only: the assignments room writes)."""
    return (
        Assignment.objects.filter(volunteer=volunteer, ended_at__isnull=True)
        .select_related("household", "household__village")
        .order_by("household_id")
    )


def clubs_in_scope(user: User) -> QuerySet[VolunteerClub]:
    return scoped(user, VolunteerClub.objects.all(), action=Action.READ_VOLUNTEERS)


def clubs_with_members(user: User) -> QuerySet[VolunteerClub]:
    """The clubs of the user's area, each with ``members_count`` (volunteers not left)."""
    return (
        clubs_in_scope(user)
        .select_related("subdistrict")
        .annotate(members_count=Count("members", filter=~Q(members__status=VolunteerStatus.LEFT)))
        .order_by("subdistrict_id", "name")
    )


def chosen_person(user: User, pk: int) -> Person | None:
    """The person chosen on a refused form, to name them in the picker again; None outside
    the user's scope (not audited: the name is what the user typed or picked)."""
    return scoped(user, Person.objects.all()).filter(pk=pk).first()
