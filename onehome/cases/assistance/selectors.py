"""Reads of services and payments on the cases a user may see: a case's services, the
cash-aid requests a supervisor may decide on, and payments for the registers."""

import datetime as dt

from django.db.models import QuerySet

from onehome.access.models import User
from onehome.access.roles import Action, may
from onehome.cases.models import Payment, Service, ServiceStatus
from onehome.cases.visibility.selectors import visible_cases


def services_of(*, user: User, case_id: int) -> QuerySet[Service]:
    qs = Service.objects.filter(case_id=case_id, case__in=visible_cases(user))
    return qs.select_related("provider", "item", "requested_by", "approved_by")


def services_awaiting_approval(*, user: User) -> QuerySet[Service]:
    """Requests the user may decide on: on cases they see, asked for by someone else."""
    if not may(user, Action.APPROVE_CASH_AID):
        return Service.objects.none()
    qs = Service.objects.filter(
        status=ServiceStatus.AWAITING_APPROVAL, case__in=visible_cases(user)
    ).exclude(requested_by=user)
    return qs.select_related("case", "provider", "requested_by").order_by("requested_at")


def paid_between(*, user: User, start: dt.datetime, end: dt.datetime) -> QuerySet[Payment]:
    """Payments on cases the user sees, for the approvals and payment registers."""
    qs = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
    qs = qs.filter(service__case__in=visible_cases(user))
    return qs.select_related("service__case", "paid_by", "approved_by")
