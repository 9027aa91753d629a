"""Which households a volunteer follows, who followed a household before, and a
volunteer's load. Coverage of a target list per area is in `coverage`."""

from django.db.models import QuerySet
from django.http import Http404

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.registry.models import Household
from onehome.volunteers.assignments.spread import Slot, working_volunteers
from onehome.volunteers.models import WORKING, Assignment, Volunteer
from onehome.volunteers.roster.selectors import volunteer_of


def assigned_households(*, user: User, volunteer: Volunteer | None = None) -> QuerySet[Household]:
    """The households open-assigned to the volunteer record tied to ``user``, inside the
    user's area (a volunteer reads only these; anyone else gets none here). Only a working
    volunteer (appointed or active) reads them: one resting or gone keeps no household
    data, even while an assignment is still open. ``volunteer``: that record, when the
    caller has read it already (`volunteer_of`)."""
    if volunteer is None or volunteer.user_id != user.pk:
        volunteer = volunteer_of(user)
    if (
        volunteer is None
        or volunteer.status not in WORKING
        or not may(user, Action.VISIT_HOUSEHOLDS)
    ):
        return Household.objects.none()
    return scoped(user, Household.objects.all()).filter(
        volunteer_assignments__volunteer=volunteer,
        volunteer_assignments__ended_at__isnull=True,
    )


def household_for_work_or_404(*, user: User, pk: int) -> Household:
    """A household the user may work on: for a volunteer, one assigned to them; for staff,
    any in their area. 404 otherwise (out of scope looks like missing)."""
    if volunteer_of(user) is not None:
        qs = assigned_households(user=user)
    else:
        qs = scoped(user, Household.objects.all())
    try:
        return qs.get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def assignment_history(*, user: User, household_id: int) -> list[Assignment]:
    """Every assignment of a household in the user's area, newest first: who followed it,
    from when to when, and why it ended."""
    return list(
        scoped(user, Assignment.objects.all(), action=Action.READ_VOLUNTEERS)
        .filter(household_id=household_id)
        .select_related("volunteer__person", "assigned_by", "run__survey_round")
        .order_by("-started_at", "-id")
    )


def assignment_in_scope_or_404(*, user: User, pk: int) -> Assignment:
    try:
        return (
            scoped(user, Assignment.objects.all(), action=Action.READ_VOLUNTEERS)
            .select_related("volunteer__person", "household")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def assignments_in_scope(
    *,
    user: User,
    open_only: bool = True,
    volunteer_id: int | None = None,
    household_id: int | None = None,
    subdistrict: str = "",
) -> QuerySet[Assignment]:
    """Assignments of the user's area (staff who read volunteer records), newest first."""
    qs = scoped(user, Assignment.objects.all(), action=Action.READ_VOLUNTEERS)
    if open_only:
        qs = qs.filter(ended_at__isnull=True)
    if volunteer_id is not None:
        qs = qs.filter(volunteer_id=volunteer_id)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if subdistrict:
        qs = qs.filter(household__subdistrict_id=subdistrict)
    return qs.select_related("volunteer__person", "household").order_by("-started_at", "-id")


def volunteer_households(*, user: User, volunteer_id: int) -> tuple[Volunteer, list[Assignment]]:
    """A volunteer of the user's area and their open assignments (their load is the
    list's length); 404 for a volunteer outside it."""
    try:
        volunteer = (
            scoped(user, Volunteer.objects.all(), action=Action.READ_VOLUNTEERS)
            .select_related("person", "subdistrict")
            .get(pk=volunteer_id)
        )
    except (Volunteer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    rows = list(
        volunteer.assignments.filter(ended_at__isnull=True)
        .select_related("household__village")
        .order_by("household__village_id", "household_id")
    )
    return volunteer, rows


def volunteers_to_assign(*, user: User, subdistrict: str) -> list[Slot]:
    """The working volunteers of one sub-district the user may give households to, with
    their villages and open load: the choices of an assignment form (a sub-district's
    few dozen, never the province's hundreds)."""
    if not may(user, Action.ASSIGN_HOUSEHOLDS):
        return []
    return working_volunteers(
        subdistrict, scoped(user, Volunteer.objects.all(), action=Action.ASSIGN_HOUSEHOLDS)
    )
