"""Reading volunteer records: always through the scoping function."""

from django.db.models import QuerySet

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.volunteers.models import Volunteer


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer record tied to this login, or None (a staff member, a left volunteer's
    login that was unlinked, an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).select_related("subdistrict", "centre").first()


def volunteers_in_scope(user: User) -> QuerySet[Volunteer]:
    """The volunteer records of the user's area (staff who may read them)."""
    return scoped(user, Volunteer.objects.all(), action=Action.READ_VOLUNTEERS)
