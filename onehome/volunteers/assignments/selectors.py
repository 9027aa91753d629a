"""Which households a volunteer follows."""

from django.db.models import QuerySet
from django.http import Http404

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.registry.models import Household
from onehome.volunteers.roster.selectors import volunteer_of


def assigned_households(*, user: User) -> QuerySet[Household]:
    """The households open-assigned to the volunteer record tied to ``user``, inside the
    user's area (a volunteer reads only these; anyone else gets none here)."""
    volunteer = volunteer_of(user)
    if volunteer is None or not may(user, Action.VISIT_HOUSEHOLDS):
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
