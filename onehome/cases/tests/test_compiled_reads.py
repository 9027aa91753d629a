"""The case reads compiled once (`onehome.core.compiled.queries`) answer what their querysets
answer: the same rows, fields, related rows and converted values (SQLite returns datetimes
as text and booleans as integers, which the converters must turn back), for the second
and later calls too, when only the bound values change."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from onehome.cases.lifecycle import selectors
from onehome.cases.lifecycle.pagination import CasePagination
from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.cases.models import Case, CaseEvent, CaseWorker, Party, PartyRole
from onehome.cases.visibility.selectors import case_by_id_query
from onehome.core.compiled.queries import CompiledQuery, RowsById

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _same_instances(got: list, expected: list, related: tuple[str, ...] = ()) -> None:
    assert [type(o) for o in got] == [type(o) for o in expected]
    assert [_fields(o) for o in got] == [_fields(o) for o in expected]
    for name in related:
        for g, e in zip(got, expected, strict=True):
            for hop in name.split("__"):
                g, e = getattr(g, hop), getattr(e, hop)
            assert (g is None) == (e is None)
            if e is not None:
                assert _fields(g) == _fields(e)
                assert g._state.adding is False and g._state.db == e._state.db


@pytest.fixture
def two_cases(busy_case, make_case):
    other = make_case(category="violence", subcategory="violence_child")
    return busy_case, other


def test_a_case_by_its_key_with_its_related_rows_is_the_querysets(two_cases):
    related = ("owner", "subdistrict", "village")
    for case in two_cases:
        expected = list(Case.objects.select_related(*related).filter(pk=case.pk))
        _same_instances(case_by_id_query(related)(case.pk), expected, related)
        _same_instances(case_by_id_query(())(case.pk), list(Case.objects.filter(pk=case.pk)))
    assert case_by_id_query(related)(10**9) == []


def test_the_parts_of_a_detail_are_the_querysets(two_cases):
    for case in two_cases:
        workers = CaseWorker.objects.filter(case_id=case.pk)
        _same_instances(
            selectors.CASE_ASSIGNMENTS(case.pk),
            list(workers.select_related("user", "user__organisation")),
            ("user", "user__organisation"),
        )
        parties = Party.objects.filter(report__case_id=case.pk).select_related("person")
        _same_instances(
            selectors.CASE_PARTIES(case.pk), list(parties.order_by("role", "id")), ("person",)
        )
        without = parties.exclude(role=PartyRole.ALLEGED_OFFENDER).order_by("role", "id")
        _same_instances(selectors.CASE_PARTIES_BUT_OFFENDERS(case.pk), list(without), ("person",))
        events = CaseEvent.objects.filter(case_id=case.pk).select_related("actor", "organisation")
        _same_instances(
            selectors.case_timeline(case),
            list(events.order_by("at", "id")),
            ("actor", "organisation"),
        )
    busy = two_cases[0]
    roles = {p.role for p in selectors.CASE_PARTIES(busy.pk)}
    assert PartyRole.ALLEGED_OFFENDER in roles  # the fixture has one: the variants differ
    assert PartyRole.ALLEGED_OFFENDER not in {
        p.role for p in selectors.CASE_PARTIES_BUT_OFFENDERS(busy.pk)
    }


def test_a_page_of_rows_by_id_is_values_of_those_ids(two_cases):
    keys = CaseListSerializer.read_keys()
    rows = CasePagination.rows_by_id()
    for ids in ([c.pk for c in two_cases], [two_cases[1].pk], [two_cases[0].pk, 10**9]):
        expected = sorted(Case.objects.filter(pk__in=ids).values(*keys), key=lambda r: r["id"])
        got = sorted(rows(ids), key=lambda r: r["id"])
        assert got == expected
        assert all(isinstance(r["sensitive"], bool) for r in got)  # SQLite: converted
    assert rows([]) == []
    assert RowsById(Case, ["id"])([two_cases[0].pk]) == [{"id": two_cases[0].pk}]


def test_an_argument_that_changes_the_sql_instead_of_a_parameter_is_refused(two_cases):
    # A value used in Python (here: to pick a slice) never reaches the SQL as a parameter;
    # binding the first call's SQL to later values would answer the wrong question.
    sliced = CompiledQuery(lambda n: Case.objects.order_by("id")[: 1 if n else 2])
    with pytest.raises(ValueError, match="parameter"):
        sliced(1)
    # A value the builder branches on changes the SQL between the two compilations.
    branching = CompiledQuery(
        lambda n: Case.objects.filter(pk=n) if n < 3_000 else Case.objects.filter(version=n)
    )
    with pytest.raises(ValueError, match="parameter"):
        branching(two_cases[0].pk)


def test_later_calls_bind_their_own_values_and_refuse_what_is_not_an_id(two_cases):
    by_key_and_level = CompiledQuery(
        lambda pk, level: Case.objects.filter(pk=pk, escalation_level__gte=level)
    )
    first, second = two_cases
    assert [c.pk for c in by_key_and_level(first.pk, 0)] == [first.pk]
    assert [c.pk for c in by_key_and_level(second.pk, 0)] == [second.pk]
    assert by_key_and_level(first.pk, 5) == []  # the second value is bound, not dropped
    with pytest.raises(TypeError):
        by_key_and_level(first.pk)  # a different number of arguments
    with pytest.raises(TypeError):
        by_key_and_level(first.pk, 0, 9)
    for bad in (1.5, True, None, 2**63, b"1"):
        with pytest.raises(TypeError):
            by_key_and_level(bad, 0)
    with pytest.raises(ValueError):  # text where the field wants a number: not compiled
        by_key_and_level(str(first.pk), 0)


def test_text_arguments_are_bound_like_numbers(two_cases):
    by_place = CompiledQuery(lambda code: Case.objects.filter(subdistrict_id=code).order_by("id"))
    code = two_cases[0].subdistrict_id
    assert [c.pk for c in by_place(code)] == list(
        Case.objects.filter(subdistrict_id=code).order_by("id").values_list("pk", flat=True)
    )
    assert by_place("999999") == []


@pytest.mark.parametrize(
    "build",
    [
        lambda code: Case.objects.filter(title__icontains=code),
        lambda code: Case.objects.filter(Q(number=code) | Q(title__startswith=code)),
        lambda code: Case.objects.filter(subdistrict_id=code.upper()),
    ],
    ids=["icontains", "startswith", "upper"],
)
def test_text_the_lookup_escapes_or_changes_is_refused(two_cases, build):
    # Bound as given, "%" or a lower-case value would answer another question than the
    # queryset's ("%" matches everything once unescaped; "%x%" would stay the first value).
    with pytest.raises(ValueError, match="parameter"):
        CompiledQuery(build)("57")


def test_a_bad_key_is_not_found_but_a_programming_error_is_not_hidden(two_cases, case_worker):
    from onehome.cases.visibility.selectors import get_visible_case
    from onehome.errors import NotInScopeError

    for bad in ("abc", None, 2**70, "9" * 30):
        with pytest.raises(NotInScopeError):
            get_visible_case(case_worker, bad)
    with pytest.raises(TypeError):
        get_visible_case(case_worker, two_cases[0].pk, related=["owner"])  # a list: unhashable


def test_a_case_insensitive_match_is_refused_where_escaped_and_right_where_bound(two_cases):
    # SQLite writes iexact as LIKE with the value escaped: the stand-in is not found, and
    # the query is refused. PostgreSQL compares UPPER() of both sides with the value as
    # given: binding any value is right, which the answers show.
    compiled = CompiledQuery(lambda n: Case.objects.filter(number__iexact=n))
    number = two_cases[0].number
    if connection.vendor == "sqlite":
        with pytest.raises(ValueError, match="parameter"):
            compiled(number)
        return
    for value in (number, number.lower(), "%", "_" * len(number)):
        expected = list(Case.objects.filter(number__iexact=value).values_list("pk", flat=True))
        assert [c.pk for c in compiled(value)] == expected, value


def test_an_aware_datetime_is_bound_as_a_datetime_column_takes_it(two_cases):
    first, _ = two_cases
    due = first.due_at or timezone.now()
    Case.objects.filter(pk=first.pk).update(due_at=due)
    due_before = CompiledQuery(lambda pk, when: Case.objects.filter(pk=pk, due_at__lt=when))
    minute = dt.timedelta(minutes=1)
    assert [c.pk for c in due_before(first.pk, due + minute)] == [first.pk]
    assert due_before(first.pk, due - minute) == []  # the later value is bound, not the first
    in_bangkok = (due + minute).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert [c.pk for c in due_before(first.pk, in_bangkok)] == [first.pk]
    with pytest.raises(TypeError):
        due_before(first.pk, (due + minute).replace(tzinfo=None))  # naive: refused
    # A value computed from the argument is not the argument: refused.
    derived = CompiledQuery(lambda when: Case.objects.filter(due_at__lt=when - minute))
    with pytest.raises(ValueError, match="parameter"):
        derived(due)


def test_a_window_binds_its_bounds_as_limit_and_offset(two_cases, make_case):
    make_case(category="elderly", subcategory="elderly_bedridden")
    ordered = list(Case.objects.filter(escalation_level__gte=0).order_by("-id"))
    assert len(ordered) == 3
    newest = CompiledQuery(
        lambda level: Case.objects.filter(escalation_level__gte=level).order_by("-id")
    )
    for start, stop in ((0, 3), (0, 1), (1, 3), (2, 9), (3, 5), (0, 0)):
        _same_instances(newest.window(start, stop, 0), ordered[start:stop])
    assert newest.window(0, 3, 99) == []
    _same_instances(newest(0), ordered)  # unwindowed, the same query
    for bad in ((-1, 2), (2, 1), (0, 2**63), (0.0, 2), (True, 2)):
        with pytest.raises(TypeError):
            newest.window(*bad, 0)
    sliced = CompiledQuery(lambda level: Case.objects.filter(escalation_level__gte=level)[:2])
    with pytest.raises(ValueError, match="sliced"):
        sliced.window(0, 1, 0)
