"""Reads of the request register, and the DPO's search for a person."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.privacy.consent.selectors import one_or_404
from onehome.privacy.models import DataRequest
from onehome.privacy.models.requests import OPEN_REQUEST
from onehome.registry.models import Person

HANDLE = Action.HANDLE_DATA_REQUESTS


def person_for_request(user: User, person_id: int) -> Person:
    """A person of the DPO's area (404 outside it, or for anyone else)."""
    return one_or_404(
        scoped(user, Person.objects.select_related("subdistrict"), action=HANDLE), pk=person_id
    )


def requests_in_area(user: User) -> QuerySet[DataRequest]:
    return scoped(user, DataRequest.objects.select_related("person"), action=HANDLE)


def request_in_area(user: User, pk: int) -> DataRequest:
    return one_or_404(requests_in_area(user), pk=pk)


def open_requests(user: User) -> QuerySet[DataRequest]:
    return requests_in_area(user).filter(status__in=OPEN_REQUEST).order_by("due_on", "id")


def overdue_requests(user: User) -> QuerySet[DataRequest]:
    return open_requests(user).filter(due_on__lt=timezone.localdate())


def search_people(user: User, q: str) -> QuerySet[Person]:
    """People of the DPO's area by name or document number (at most 30)."""
    q = (q or "").strip()
    if len(q) < 2:
        return Person.objects.none()
    qs = scoped(user, Person.objects.select_related("subdistrict"), action=HANDLE)
    words = q.split()
    cond = Q(id_number=q.replace("-", ""))
    name = Q()
    for w in words:
        name &= Q(first_name_th__icontains=w) | Q(last_name_th__icontains=w)
    return qs.filter(cond | name, merged_into__isnull=True)[:30]
