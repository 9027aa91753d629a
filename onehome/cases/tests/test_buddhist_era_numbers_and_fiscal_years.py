"""Case numbers carry the Buddhist-era year (C2569-000001), old Gregorian numbers are moved by
the migration and still found when typed; the work list groups cases by fiscal year
(ปีงบประมาณ, 1 October – 30 September)."""

import datetime as dt
import importlib
import re

from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from onehome.cases.intake import triage
from onehome.cases.lifecycle import fiscal_years
from onehome.cases.lifecycle.selectors import visible_case_numbered, work_cases
from onehome.cases.models import Case

MIGRATION = importlib.import_module("onehome.cases.migrations.0008_case_numbers_buddhist_era")


def test_a_new_case_number_carries_the_buddhist_era_year(make_case):
    case = make_case()
    year = timezone.localdate().year + 543
    assert re.fullmatch(rf"C{year}-\d{{6}}", case.number)
    assert triage.next_case_number(2026).startswith("C2569-")


def test_the_migration_moves_gregorian_numbers_to_the_buddhist_era_and_back(make_case):
    old, new = make_case(), make_case()
    Case.objects.filter(pk=old.pk).update(number="C2026-000042")
    Case.objects.filter(pk=new.pk).update(number="C2569-000043")
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.TO_BUDDHIST)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.number, new.number) == ("C2569-000042", "C2569-000043")
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.TO_GREGORIAN)
    old.refresh_from_db()
    assert old.number == "C2026-000042"


def test_a_case_is_found_by_its_old_gregorian_number_or_in_thai_digits(make_case, case_supervisor):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(number="C2569-000042")
    assert visible_case_numbered(case_supervisor, "C2026-000042").pk == case.pk
    assert visible_case_numbered(case_supervisor, " c๒๕๖๙-๐๐๐๐๔๒ ").pk == case.pk
    assert visible_case_numbered(case_supervisor, "C2569-000043") is None


def _opened(case: Case, day: dt.date) -> None:
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())
    Case.objects.filter(pk=case.pk).update(opened_at=moment)


def test_cases_are_counted_per_fiscal_year_opened(make_case, case_supervisor):
    a, b, c = make_case(), make_case(), make_case()
    _opened(a, dt.date(2026, 9, 30))  # FY 2026 (2569)
    _opened(b, dt.date(2026, 10, 1))  # FY 2027 (2570)
    _opened(c, dt.date(2027, 3, 1))  # FY 2027 (2570)
    listed = work_cases(case_supervisor)
    counts = [(fy.year, n) for fy, n in fiscal_years.opened_per_fiscal_year(listed)]
    assert counts == [(2027, 2), (2026, 1)]
    in_2570 = set(fiscal_years.opened_in_fiscal_year(listed, 2027).values_list("pk", flat=True))
    assert in_2570 == {b.pk, c.pk}
    assert fiscal_years.chosen_fiscal_year("2570") == fiscal_years.chosen_fiscal_year("2027")
    assert fiscal_years.chosen_fiscal_year("x") is None


def test_my_work_filters_by_fiscal_year_named_in_the_buddhist_era(
    client, make_case, case_supervisor
):
    a, b = make_case(), make_case()
    _opened(a, dt.date(2026, 9, 30))
    _opened(b, dt.date(2026, 10, 1))
    client.force_login(case_supervisor)
    with translation.override("th"):
        page = client.get(reverse("cases:my_work"), {"fy": "2570"})
    html = page.content.decode()
    assert [c.pk for c in page.context["cases"]] == [b.pk]
    assert "ปีงบประมาณ 2570" in html and "ปีงบประมาณ 2569" in html
    assert 'value="2027" selected' in html
    everything = client.get(reverse("cases:my_work"))
    assert {c.pk for c in everything.context["cases"]} == {a.pk, b.pk}
