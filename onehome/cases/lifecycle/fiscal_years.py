"""Cases grouped by the fiscal year they were opened in (ปีงบประมาณ, 1 October – 30
September, `onehome.core.thai_dates.FiscalYear`): the period every yearly figure uses."""

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from onehome.cases.models import Case
from onehome.core.thai_dates import FISCAL_YEAR_START_MONTH, FiscalYear, typed_year_in_gregorian


def opened_per_fiscal_year(cases: QuerySet[Case]) -> list[tuple[FiscalYear, int]]:
    """(fiscal year, cases opened in it) for the given cases, newest year first; one
    grouped query (the opening date in Bangkok time)."""
    rows = (
        cases.order_by()
        .annotate(
            fy=ExtractYear("opened_at")
            + SqlCase(
                When(opened_at__month__gte=FISCAL_YEAR_START_MONTH, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("fy")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-fy")
    )
    return [(FiscalYear(row["fy"]), row["n"]) for row in rows]


def opened_in_fiscal_year(cases: QuerySet[Case], year: int) -> QuerySet[Case]:
    """The cases opened in fiscal year `year` (Gregorian number, the year it ends)."""
    fy = FiscalYear(year)
    return cases.filter(opened_at__date__gte=fy.start, opened_at__date__lte=fy.end)


def chosen_fiscal_year(value: str | None) -> int | None:
    """The fiscal year asked for in `?fy=` (either era: 2570 or 2027), or None."""
    try:
        year = int((value or "").strip())
    except ValueError:
        return None
    year = typed_year_in_gregorian(year)
    return year if 1900 < year < 2400 else None
