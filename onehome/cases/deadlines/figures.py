"""Deadline figures per responsible unit: open, overdue and breached cases, and reports
waiting past their first-contact deadline ("overdue" and "breached" as defined in `sla`).

Counts only, in two grouped queries (cases by owner, waiting reports by routed unit),
over the user's area scope. Sensitive cases count like any other: a number names nobody,
and a unit must see its whole backlog.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from onehome.access.models import User
from onehome.access.roles import Action
from onehome.access.scope import scoped
from onehome.cases.deadlines.sla import breached_q, overdue_q, report_overdue_q
from onehome.cases.models import OPEN_STATUSES, Case, Report, ReportStatus


@dataclass
class UnitDeadlines:
    unit_id: int | None
    unit_name: str
    open: int = 0
    overdue: int = 0
    breached: int = 0
    reports_waiting: int = 0
    reports_overdue: int = 0


def deadlines_by_unit(user: User, *, now: dt.datetime | None = None) -> list[UnitDeadlines]:
    """One row per unit with cases or waiting reports in the user's area, most overdue
    first. Reports not routed yet are one row with ``unit_id=None``."""
    now = now or timezone.now()
    units: dict[int | None, UnitDeadlines] = {}

    cases = (
        scoped(user, Case.objects.all(), action=Action.READ_CASES)
        .values("owner_id", "owner__name_th")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_q(now)),
            breached=Count("pk", filter=breached_q(now)),
        )
        .order_by()
    )
    for row in cases:
        units[row["owner_id"]] = UnitDeadlines(
            unit_id=row["owner_id"],
            unit_name=row["owner__name_th"],
            open=row["open"],
            overdue=row["overdue"],
            breached=row["breached"],
        )

    reports = (
        scoped(user, Report.objects.filter(status=ReportStatus.WAITING), action=Action.READ_CASES)
        .values("routed_to_id", "routed_to__name_th")
        .annotate(waiting=Count("pk"), overdue=Count("pk", filter=report_overdue_q(now)))
        .order_by()
    )
    for row in reports:
        unit = units.setdefault(
            row["routed_to_id"],
            UnitDeadlines(unit_id=row["routed_to_id"], unit_name=row["routed_to__name_th"] or ""),
        )
        unit.reports_waiting = row["waiting"]
        unit.reports_overdue = row["overdue"]

    return sorted(
        units.values(),
        key=lambda u: (-(u.overdue + u.reports_overdue), -u.open, u.unit_name),
    )


def totals(rows: list[UnitDeadlines]) -> UnitDeadlines:
    """The sum of the rows (for a footer line)."""
    total = UnitDeadlines(unit_id=None, unit_name="")
    for row in rows:
        total.open += row.open
        total.overdue += row.overdue
        total.breached += row.breached
        total.reports_waiting += row.reports_waiting
        total.reports_overdue += row.reports_overdue
    return total
