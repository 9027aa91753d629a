"""ORM queries compiled once per process and then only sent with new values.

The hot API reads (a case's detail, a page of the case list) run the same few queries on
every request, differing only in an id. Django builds and compiles each queryset again
every time: for a query with `select_related` that is 0.5-1 ms of Python, several times
the cost of sending the SQL (docs/performance.md, "Cases API under load"). Here a query is
written as an ordinary queryset, compiled once per database, and afterwards only its
parameters are bound; the rows still go through Django's converters and become the same
model instances (or `values()` dicts) the queryset would give. Tests compare the two
answers for every compiled query (`onehome/tests/test_compiled_queries.py`).

Only for queries whose SQL is fixed by their shape: the arguments must reach the SQL as
parameters, never change its text (an `IN` list of varying length, say, or a lookup that
is left out for some values). `RowsById` is the one case with a varying `IN` list: it is
compiled once per length.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

# Stand-ins for the arguments while the query is compiled, found again among its
# parameters; unlike any id a table holds.
_MARKER = -7_391_000_000_000


class _Compiled:
    """The SQL of one queryset shape on one database, and how to read its rows."""

    def __init__(self, qs: QuerySet, alias: str, markers: list[Any]):
        compiler = qs.query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        # Where each argument goes among the parameters (None: a constant of the query).
        self.slots = [markers.index(p) if p in markers else None for p in params]
        self.constants = list(params)
        if {s for s in self.slots if s is not None} != set(range(len(markers))):
            # An argument that is not a parameter (e.g. one that changed the SQL's text)
            # would not be bound: refuse at once rather than answer with the first values.
            raise ValueError(f"every argument must reach the SQL as a parameter: {params}")
        self.columns = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters: dict[int, list] = {}
        self.model_rows = issubclass(qs._iterable_class, ModelIterable)
        if self.model_rows:
            info = compiler.klass_info
            self.model = info["model"]
            fields = info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [c[0].target.attname for c in compiler.select[self.start : self.end]]
            self.populators = get_related_populators(info, compiler.select, alias)
            if compiler.annotation_col_map:
                raise ValueError("annotations are not supported")
        elif issubclass(qs._iterable_class, ValuesIterable):
            query = qs.query
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        else:
            raise ValueError("only model instances and values() dicts are supported")

    def params(self, args: tuple) -> list[Any]:
        return [
            self.constants[i] if slot is None else args[slot] for i, slot in enumerate(self.slots)
        ]

    def rows(self, alias: str, args: tuple) -> list:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(args))
            rows = cursor.fetchall()
        converters = self.converters.get(id(connection))
        if converters is None:  # once per connection object (one per thread)
            converters = self.converters[id(connection)] = _converters(self.columns, connection)
        return _converted(rows, converters, connection) if converters else rows

    def read(self, alias: str, args: tuple) -> list:
        rows = self.rows(alias, args)
        if not self.model_rows:
            return [dict(zip(self.names, row, strict=True)) for row in rows]
        out = []
        for row in rows:
            obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out


def _converters(columns: list, connection) -> list[tuple[int, list, Any]]:
    """Django's converters of each column (what a queryset applies to its rows): SQLite's
    text datetimes, integer booleans and decimals, JSON."""
    out = []
    for i, column in enumerate(columns):
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            out.append((i, found, column))
    return out


def _converted(rows: list, converters: list, connection) -> list:
    out = []
    for row in rows:
        row = list(row)
        for i, found, column in converters:
            for convert in found:
                row[i] = convert(row[i], column, connection)
        out.append(row)
    return out


class CompiledQuery:
    """``build(*args)`` (a queryset of model instances or of ``values()``) compiled once per
    database. Calling it with arguments returns the list the queryset would give.

    >>> workers_of = CompiledQuery(lambda case_id: CaseWorker.objects.filter(case_id=case_id))
    >>> workers_of(42)
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.model: type[Model] | None = None
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *args: Any) -> list:
        markers = [_MARKER - i for i in range(len(args))]
        if self.model is None:
            self.model = self.build(*markers).model
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            qs = self.build(*markers).using(alias)
            compiled = self._compiled[alias] = _Compiled(qs, alias, markers)
        return compiled.read(alias, args)


class RowsById:
    """``model.objects.filter(pk__in=ids).values(*keys)``, in no particular order, compiled
    once per number of ids (a page of a list reads its rows by the ids of that page)."""

    def __init__(self, model: type[Model], keys: list[str]):
        self.model = model
        self.keys = list(keys)
        self._compiled: dict[tuple[str, int], _Compiled] = {}

    def __call__(self, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        alias = router.db_for_read(self.model)
        key = (alias, len(ids))
        compiled = self._compiled.get(key)
        if compiled is None:
            markers = [_MARKER - i for i in range(len(ids))]
            qs = self.model._base_manager.using(alias).filter(pk__in=markers).values(*self.keys)
            compiled = self._compiled[key] = _Compiled(qs, alias, markers)
        return compiled.read(alias, tuple(ids))
