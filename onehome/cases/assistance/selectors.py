"""Reads of services on the cases a user may see (whether one is visible, the cash-aid
requests a supervisor may decide on), and the stock of in-kind aid a user may look at (no
personal data)."""

from django.db.models import QuerySet

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.assistance.stock import stock_of
from onehome.cases.models import Service, ServiceStatus, Stock, StockItem
from onehome.cases.visibility.selectors import can_work_on, visible_cases
from onehome.errors import NotInScopeError


def service_is_visible(*, user: User, service_id: int) -> bool:
    """Whether the service is on a case the user may see (404 otherwise, before anything
    else about the request is looked at)."""
    return Service.objects.filter(pk=service_id, case__in=visible_cases(user)).exists()


def services_awaiting_approval(*, user: User) -> QuerySet[Service]:
    """Requests the user may decide on: on cases they see, asked for by someone else."""
    if not may(user, Action.APPROVE_CASH_AID):
        return Service.objects.none()
    qs = Service.objects.filter(
        status=ServiceStatus.AWAITING_APPROVAL, case__in=visible_cases(user)
    ).exclude(requested_by=user)
    return qs.select_related("case", "provider", "requested_by").order_by("requested_at")


def stock_shown_to(user: User, *, organisation: int | str | None) -> QuerySet[Stock]:
    """What a centre holds (``organisation``, an id as the caller sent it), by item, for
    those who work on cases; nothing for others or without a centre. NotInScopeError (404)
    for an id that is not a number, asked by someone who may look."""
    if not can_work_on(user) or organisation is None:
        return Stock.objects.none()
    try:
        organisation_id = int(organisation)
    except (TypeError, ValueError):
        raise NotInScopeError from None
    if not 0 < organisation_id < 2**63:  # past a bigint: no such centre (SQLite would raise)
        raise NotInScopeError
    return stock_of(organisation_id=organisation_id).order_by("item__name_th")


def stock_items() -> QuerySet[StockItem]:
    """The catalogue of in-kind items, by Thai name."""
    return StockItem.objects.order_by("name_th")
