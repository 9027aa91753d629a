"""Pages of the case list without COUNT(*).

The case list is the busiest endpoint (hotline dashboards poll it): it never counts the
rows it pages over and reads one page plus one row to know whether a next page exists. It
reads the page's ids first (an index-only scan of `case_area_newest` in the user's area),
then those rows with their owner and place: one query that sorts whole rows made
PostgreSQL visit the heap of every case in the area (18,716 rows for page 10 of a province).
"""

from collections.abc import Callable

from django.http import Http404
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.core.compiled.queries import RowsById


class PagePagination(BasePagination):
    """`?page=N`, 50 a page, without COUNT(*): one extra row tells whether there is more.
    A page number past any list there could be (its offset beyond a 64-bit integer, which
    the database would refuse) is a page that does not exist: 404."""

    page_size = 50
    max_page = 10**9

    def paginate_queryset(self, queryset, request, view=None):
        return self.paginate(lambda start, stop: list(queryset[start:stop]), request)

    def paginate(self, read: Callable[[int, int], list], request) -> list:
        """The page's rows, given ``read(start, stop)`` that returns those rows."""
        try:
            self.page = max(int(request.query_params.get("page", 1)), 1)
        except ValueError:
            raise Http404 from None
        if self.page > self.max_page:
            raise Http404
        self.request = request
        start = (self.page - 1) * self.page_size
        rows = read(start, start + self.page_size + 1)
        self.has_next = len(rows) > self.page_size
        return rows[: self.page_size]


class IdsFirstPagination(PagePagination):
    """The page's ids from the (scoped, filtered, ordered) queryset, then the rows by id,
    in the same order. For a list ordered by the primary key.

    The rows are plain dicts of the columns the serializer shows (`read_keys()` of a
    `PlannedOutput` serializer): building 50 model instances with their related rows, then
    walking them through REST framework's fields, was most of the list's Python time."""

    serializer_class: type | None = None
    _rows_by_id: RowsById | None = None

    def paginate_queryset(self, queryset, request, view=None):
        return self.paginate_ids(
            lambda start, stop: list(queryset.values_list("pk", flat=True)[start:stop]), request
        )

    def paginate_ids(self, read_ids: Callable[[int, int], list[int]], request) -> list:
        """The page's rows, given ``read_ids(start, stop)`` that returns their ids in order."""
        ids = self.paginate(read_ids, request)
        if not ids:
            return []
        found = {r["id"]: r for r in self.rows_by_id()(list(ids))}
        return [found[pk] for pk in ids if pk in found]

    @classmethod
    def rows_by_id(cls) -> RowsById:
        rows = cls.__dict__.get("_rows_by_id")
        if rows is None:
            model = cls.serializer_class.Meta.model
            rows = cls._rows_by_id = RowsById(model, cls.serializer_class.read_keys())
        return rows


class CasePagination(IdsFirstPagination):
    serializer_class = CaseListSerializer

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        nxt = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        prev = None
        if self.page > 1:
            prev = (
                remove_query_param(url, "page")
                if self.page == 2
                else replace_query_param(url, "page", self.page - 1)
            )
        return Response({"next": nxt, "previous": prev, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [{"name": "page", "in": "query", "required": False, "schema": {"type": "integer"}}]
