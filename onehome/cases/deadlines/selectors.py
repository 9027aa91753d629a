"""Reads ordered and flagged by deadline: work queues most urgent first, the user's cases
past their deadline, and rows marked overdue for a page."""

import datetime as dt

from django.db.models import Case as CaseWhen
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from onehome.access.models import User
from onehome.cases.deadlines import sla
from onehome.cases.models import URGENCY_RANK, Case, Report
from onehome.cases.visibility.selectors import visible_cases

_URGENCY_ORDER = CaseWhen(
    *[When(urgency=u, then=Value(rank)) for u, rank in URGENCY_RANK.items()],
    default=Value(9),
    output_field=IntegerField(),
)


def by_urgency_and_deadline(qs: QuerySet) -> QuerySet:
    """Most urgent first, then the nearest deadline (none last), then the oldest."""
    date_field = "received_at" if qs.model is Report else "opened_at"
    return qs.annotate(urgency_rank=_URGENCY_ORDER).order_by(
        "urgency_rank", F("due_at").asc(nulls_last=True), date_field
    )


def overdue_cases(user: User) -> QuerySet[Case]:
    """Open cases of the user's work (assigned, or their unit's) past their deadline."""
    qs = visible_cases(user).filter(sla.overdue_q(timezone.now()))
    mine = Q(assignments__user=user)
    if user.organisation_id:
        mine |= Q(owner_id=user.organisation_id)
    return by_urgency_and_deadline(qs.filter(mine).distinct().select_related("subdistrict"))


def mark_overdue(rows, now: dt.datetime | None = None) -> list:
    """The rows as a list, each with `overdue` set (for the pages' red marks)."""
    now = now or timezone.now()
    rows = list(rows)
    for row in rows:
        row.overdue = sla.is_overdue(row, now)
    return rows
