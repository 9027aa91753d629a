"""The project's progress per area and fiscal year (ปีงบประมาณ, 1 October – 30 September),
beside the year-over-year targeting comparison of the same area.

For a fiscal year and an area (the user's area or one inside it) and each area directly
under it, counted over the households enrolled in the project:

- enrolled: in the project during the year (enrolled by its end, not graduated or left
  before its start),
- visited this month: of those, visited in the month (this month for the current year,
  else the year's last month, September),
- with a plan: of those, with a development plan agreed by the year's end,
- graduated: out of poverty during the year.

Counts are read through `scoped()` (the volunteer reading action), in one grouped query.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from onehome.access.models import ScopeLevel, User
from onehome.access.roles import Action
from onehome.access.scope import area_scope, scoped
from onehome.cases.models import Assessment
from onehome.cases.visibility.selectors import visible_cases
from onehome.core.thai_dates import FiscalYear, fiscal_year
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Province
from onehome.registry.models import Household
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.results.comparison_report import comparison_counts
from onehome.targeting.results.labels import area_names
from onehome.volunteers.models import CourseStatus, Enrollment, HouseholdPlan, Visit

FIGURES = ("enrolled", "visited", "with_plan", "graduated")
AREA_WIDTHS = (2, 4, 6, 8)


@dataclass
class Row:
    code: str
    name: str
    enrolled: int = 0
    visited: int = 0
    with_plan: int = 0
    graduated: int = 0
    # From the year-over-year comparison: households that left / entered poverty.
    left_poverty: Any = None
    entered_poverty: Any = None


@dataclass
class Progress:
    area: str
    area_name: str
    year: FiscalYear
    month: tuple[dt.date, dt.date]
    total: Row
    rows: list[Row] = field(default_factory=list)
    earlier: Any = None  # the runs compared, when two are
    later: Any = None


def check_area(user: User, area: str) -> str:
    """The area asked for, inside the user's area ("" = all of the user's area); else
    NotInScopeError (404)."""
    scope = area_scope(user, Action.READ_VOLUNTEERS)
    if scope is None:
        raise NotInScopeError
    level, code = scope
    if area and (not area.isdigit() or len(area) not in AREA_WIDTHS):
        raise NotInScopeError
    if level == ScopeLevel.NATION:
        return area
    if level == ScopeLevel.REGION:
        provinces = set(Province.objects.filter(region_id=code).values_list("code", flat=True))
        if area and area[:2] not in provinces:
            raise NotInScopeError
        return area
    if not area:
        return code
    if not area.startswith(code):
        raise NotInScopeError
    return area


def _month(year: FiscalYear, today: dt.date) -> tuple[dt.date, dt.date]:
    day = today if year.start <= today <= year.end else year.end
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _enrollments(user: User, area: str) -> QuerySet[Enrollment]:
    rows = scoped(user, Enrollment.objects.all(), action=Action.READ_VOLUNTEERS)
    if area:
        rows = rows.filter(household__subdistrict__code__startswith=area[:6])
    if len(area) == 8:
        rows = rows.filter(household__village_id=area)
    return rows


def progress(
    *, user: User, area: str = "", year: int | None = None, runs: tuple | None = None
) -> Progress:
    """The figures of ``area`` and of each area under it for fiscal year ``year``, beside
    the comparison of ``runs`` (earlier, later; the newest comparable two by default)."""
    area = check_area(user, area)
    today = timezone.localdate()
    fy = FiscalYear(year) if year else fiscal_year(today)
    month = _month(fy, today)
    in_year = Q(enrolled_on__lte=fy.end) & ~Q(left_on__lt=fy.start) & ~Q(graduated_on__lt=fy.start)
    width = len(area) + 2
    key = (
        Coalesce("household__village_id", Substr("household__subdistrict_id", 1, 6))
        if width == 8
        else Substr("household__subdistrict_id", 1, width)
    )
    visited = Visit.objects.filter(household=OuterRef("household"), visited_on__range=month).values(
        "pk"
    )
    planned = HouseholdPlan.objects.filter(
        household=OuterRef("household"), agreed_on__lte=fy.end
    ).values("pk")
    grouped = (
        _enrollments(user, area)
        .annotate(key=key, was_visited=Exists(visited), has_plan=Exists(planned))
        .values("key")
        .annotate(
            enrolled=Count("pk", filter=in_year),
            visited=Count("pk", filter=in_year & Q(was_visited=True)),
            with_plan=Count("pk", filter=in_year & Q(has_plan=True)),
            graduated=Count(
                "pk",
                filter=Q(status=CourseStatus.GRADUATED, graduated_on__range=(fy.start, fy.end)),
            ),
        )
        .order_by("key")
    )
    found = {r["key"]: r for r in grouped}
    names = area_names([area, *found])
    rows = [
        Row(code=k, name=names.get(k, k), **{f: r[f] for f in FIGURES}) for k, r in found.items()
    ]
    total = Row(code=area, name=names.get(area, area))
    for f in FIGURES:
        setattr(total, f, sum(getattr(r, f) for r in rows))
    report = Progress(area, total.name, fy, month, total, rows)
    _join_comparison(user, report, *(runs or (None, None)))
    return report


def _join_comparison(user: User, report: Progress, earlier=None, later=None) -> None:
    """Beside each area, the households that left and entered poverty between the two
    newest comparable runs (small cells suppressed as on the comparison page)."""
    if earlier is None or later is None:
        earlier, later = yoy.default_runs()
    if earlier is None or later is None:
        return
    try:
        result = yoy.compare_runs(earlier=earlier, later=later, area=report.area)
    except (ValidationError, NotInScopeError):
        return
    counts = comparison_counts(user=user, result=result)
    report.earlier, report.later = earlier, later
    report.total.left_poverty = counts["totals"].get("left")
    report.total.entered_poverty = counts["totals"].get("entered")
    by_code = {c["code"]: c for c in counts["children"]}
    for row in report.rows:
        child = by_code.get(row.code)
        if child is not None:
            row.left_poverty, row.entered_poverty = child.get("left"), child.get("entered")


def enrollment_of(household: Household) -> Enrollment | None:
    """The household's course, if it was enrolled (the household was already read through
    the scope)."""
    return Enrollment.objects.filter(household=household).select_related("run").first()


def assessments_of(user: User, household: Household) -> QuerySet[Assessment]:
    """The assessments of the household's cases the user may see: the evidence a graduation
    may name (cases through `cases.visibility`, so the sensitive-case rule holds)."""
    return Assessment.objects.filter(
        case__in=visible_cases(user).filter(household=household)
    ).select_related("case")
