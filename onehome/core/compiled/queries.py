"""ORM queries compiled once per process and then only sent with new values.

The hot API reads (a case's detail, a page of the case list) run the same few queries on
every request, differing only in an id. Django builds and compiles each queryset again
every time, which for a query with `select_related` costs several times sending its SQL
(see docs/performance.md, "Figures behind choices in the code (cases API)"). Here a query is
written as an ordinary queryset, compiled once per database, and afterwards only its
parameters are bound; the rows still go through Django's converters and become the same
model instances (or `values()` dicts) the queryset would give. Tests compare the two
answers for every compiled query (`onehome/cases/tests/test_compiled_reads.py`).

Only for queries whose SQL is fixed by their shape: the arguments must reach the SQL as
parameters, never change its text (an `IN` list of varying length, say, or a lookup that
is left out for some values). `RowsById` is the one case with a varying `IN` list: it is
compiled once per length.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

from onehome.core.compiled.code_prefix import PER_CALL_PLAN

# Stand-ins for the arguments while the query is compiled, found again among its
# parameters. Two sets, whole numbers within the range of every integer field (a value
# out of a field's range makes Django drop or empty the lookup, which would change the
# SQL) and neither 0 nor 1 (equal to False and True), or text no code or key holds. The
# query is compiled with each; any difference means an argument shapes the SQL itself,
# and the query is refused. Arguments are whole numbers (ids), text (codes, keys) or
# aware datetimes ("now", bound as a datetime column's value is).
_MAX_ARGS = 1_000
_INT64 = 2**63
_MARKER_TIME = datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC)
Kinds = tuple[type, ...]


def _marker(kind: type, number: int):
    if kind is int:
        return number
    if kind is datetime.datetime:
        return _MARKER_TIME + datetime.timedelta(seconds=number, microseconds=number)
    # Text with both cases and LIKE's wildcards: a builder or lookup that changes its case
    # or escapes it (iexact, contains…) hides it, and is refused.
    return f"\x1eMk%_{number}\x1f"


def _marker_sets(kinds: Kinds) -> tuple[list, list]:
    if len(kinds) > _MAX_ARGS:
        raise TypeError(f"at most {_MAX_ARGS} arguments")
    sets: tuple[list, list] = ([], [])
    for i, kind in enumerate(kinds):
        for markers, base in zip(sets, (1_001, 5_001), strict=True):
            markers.append(_marker(kind, base + 2 * i))
    return sets


def _kinds(args: tuple) -> Kinds:
    """The arguments' types: whole numbers that a BIGINT holds and text, bound as given;
    aware datetimes, bound as the database's datetime columns take them."""
    for arg in args:
        if type(arg) is str:
            continue
        if type(arg) is datetime.datetime and arg.tzinfo is not None:
            continue
        if type(arg) is not int or not -_INT64 <= arg < _INT64:
            raise TypeError(
                f"compiled queries take whole-number ids, text or aware datetimes, not {arg!r}"
            )
    return tuple(type(arg) for arg in args)


def _binders(kinds: Kinds, connection) -> list[Callable | None]:
    """How each argument becomes a parameter: datetimes as a DateTimeField writes them
    (SQLite: text in UTC), the rest as given."""
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt if kind is datetime.datetime else None for kind in kinds]


class _Compiled:
    """The SQL of one queryset shape on one database, and how to read its rows."""

    def __init__(
        self, build: Callable[..., QuerySet], alias: str, kinds: Kinds, windowed: bool = False
    ):
        n = len(kinds)
        self.binders = _binders(kinds, connections[alias])
        shapes = []
        for markers in _marker_sets(kinds):
            qs = build(*markers).using(alias)
            compiler = qs.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            bound = self._bound(markers)
            slots = [bound.index(p) if p in bound else None for p in params]
            constants = [p for p, slot in zip(params, slots, strict=True) if slot is None]
            shapes.append((sql, slots, constants))
        if shapes[0] != shapes[1] or set(shapes[0][1]) - {None} != set(range(n)):
            # An argument that changes the SQL's text (a slice, a lookup Django drops for
            # some values, a branch in the builder) or a parameter derived from it
            # ("%value%") would not be bound on later calls.
            raise ValueError(f"every argument must reach the SQL as a parameter: {params}")
        if qs._prefetch_related_lookups:
            raise ValueError("prefetch_related is not supported")
        if windowed:
            if qs.query.is_sliced or qs.query.select_for_update or qs.query.combinator:
                raise ValueError("a window needs a query that is not sliced, locked or combined")
            # LIMIT and OFFSET as parameters (Django writes a slice into the text): one
            # statement serves every page. It is planned for its values on every call: a
            # prepared statement's generic plan cannot know how many rows are asked for,
            # and may sort a whole table where the first rows of an index would do.
            sql = f"{sql} LIMIT %s OFFSET %s {PER_CALL_PLAN}"
        self.windowed = windowed
        self.sql, self.slots, self.constants = sql, slots, list(params)
        self.n = n
        self.col_count = compiler.col_count
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        # Converters depend on the database engine only; each call passes its own connection.
        self.converters = _converters(columns, connections[alias])
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

    def _bound(self, args: tuple | list) -> tuple | list:
        if not any(self.binders):
            return args
        return [a if bind is None else bind(a) for a, bind in zip(args, self.binders, strict=True)]

    def params(self, args: tuple) -> list[Any]:
        if len(args) != self.n:
            raise TypeError(f"{self.n} arguments expected, {len(args)} given")
        bound = self._bound(args)
        return [
            self.constants[i] if slot is None else bound[slot] for i, slot in enumerate(self.slots)
        ]

    def rows(self, alias: str, args: tuple, window: tuple[int, int] | None = None) -> list:
        connection = connections[alias]
        params = self.params(args)
        if self.windowed:
            start, stop = window
            params = [*params, stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = _converted(rows, self.converters, connection)
        return rows

    def read(self, alias: str, args: tuple, window: tuple[int, int] | None = None) -> list:
        rows = self.rows(alias, args, window)
        if not self.model_rows:
            n = self.col_count  # an ordering column may follow the values' columns
            return [dict(zip(self.names, row[:n], strict=True)) for row in rows]
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
        self._compiled: dict[tuple[str, Kinds, bool], _Compiled] = {}

    def __call__(self, *args: int | str | datetime.datetime) -> list:
        return self._read(args, None)

    def one(self, *args: int | str | datetime.datetime):
        """The first row, or None (for a look-up by a key)."""
        found = self._read(args, None)
        return found[0] if found else None

    def window(self, start: int, stop: int, *args: int | str | datetime.datetime) -> list:
        """``build(*args)[start:stop]``, with the bounds bound as LIMIT and OFFSET
        parameters: one compiled statement for every page of a list."""
        if type(start) is not int or type(stop) is not int or not 0 <= start <= stop < _INT64:
            raise TypeError(f"not a window of rows: {start!r}, {stop!r}")
        return self._read(args, (start, stop))

    def _read(self, args: tuple, window: tuple[int, int] | None) -> list:
        kinds = _kinds(args)
        if self.model is None:
            self.model = self.build(*_marker_sets(kinds)[0]).model
        alias = router.db_for_read(self.model)
        key = (alias, kinds, window is not None)
        compiled = self._compiled.get(key)
        if compiled is None:  # one compilation per database and kinds of arguments
            compiled = self._compiled[key] = _Compiled(self.build, alias, kinds, key[2])
        return compiled.read(alias, args, window)


class RowsById:
    """``model.objects.filter(pk__in=ids).values(*keys)``, in no particular order: a
    `CompiledQuery` of one argument per id, so compiled once per number of ids (a page of a
    list reads its rows by the ids of that page)."""

    def __init__(self, model: type[Model], keys: list[str]):
        keys = list(keys)
        self._query = CompiledQuery(
            lambda *ids: model._base_manager.filter(pk__in=ids).values(*keys)
        )

    def __call__(self, ids: list[int]) -> list[dict[str, Any]]:
        return self._query(*ids) if ids else []
