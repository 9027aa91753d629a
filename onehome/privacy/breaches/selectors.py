"""Reads of the breach register."""

from django.db.models import QuerySet

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.privacy.consent.selectors import one_or_404
from onehome.privacy.models import Breach, BreachStatus


def breaches_in_area(user: User) -> QuerySet[Breach]:
    return scoped(user, Breach.objects.select_related("subdistrict"), action=Action.RECORD_BREACHES)


def breach_in_area(user: User, pk: int) -> Breach:
    return one_or_404(breaches_in_area(user), pk=pk)


def open_breaches(user: User) -> QuerySet[Breach]:
    return breaches_in_area(user).exclude(status=BreachStatus.CLOSED)
