"""REST endpoints for reports, cases, referrals, services and notifications. Thin: parse,
call a service or a scoped selector, render. Out-of-scope records answer 404 through the
error mapping in `onehome.api.errors`.

The case list is the busiest endpoint (hotline dashboards poll it): it never counts the
rows it pages over and reads one page plus one row to know whether a next page exists. It
reads the page's ids first (an index-only scan of `case_area_newest` in the user's area),
then those rows with their owner and place: one query that sorts whole rows made
PostgreSQL visit the heap of every case in the area (18,716 rows for page 10 of a province).
"""

from collections.abc import Callable

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from onehome.access.policy import PERSONAL_DATA
from onehome.compiled_queries import RowsById

from . import glass, intake, lifecycle, notify, selectors, services, sla
from .api_helpers import (
    _case_in_view,
    _case_written,
    _int,
    _purpose,
    _reload,
    _valid,
    _version,
    _with_etag,
)
from .case_bundle import case_bundle
from .models import Case, CaseStatus, Notification, Report, Urgency
from .serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    EventSerializer,
    GlassSerializer,
    MarkReadSerializer,
    NoteSerializer,
    NotificationSerializer,
    ReasonSerializer,
    ReportAcceptSerializer,
    ReportInputSerializer,
    ReportMergeSerializer,
    ReportSerializer,
    TransitionSerializer,
)
from .visibility import can_work_on, newest_visible_case_ids, visible_cases
from .work_api import CaseWorkActions

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A retry with the same key returns the first report (200) instead of a new one",
)
IDEMPOTENCY_KEY_MAX = 80


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


CASE_FILTERS = [
    OpenApiParameter("status", str, enum=CaseStatus.values),
    OpenApiParameter("urgency", str, enum=Urgency.values),
    OpenApiParameter("category", str),
    OpenApiParameter("owner", int, description="id of the responsible organisation"),
    OpenApiParameter("overdue", bool, description="only open cases past their deadline"),
]


class CaseViewSet(CaseWorkActions, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see (area scope and the sensitive-case rule), newest first."""

    access_policy = PERSONAL_DATA
    serializer_class = CaseListSerializer
    pagination_class = CasePagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        qs = visible_cases(self.request.user)
        p = self.request.query_params
        if value := p.get("status"):
            qs = qs.filter(status=value)
        if value := p.get("urgency"):
            qs = qs.filter(urgency=value)
        if value := p.get("category"):
            qs = qs.filter(category=value)
        if value := p.get("owner"):
            qs = qs.filter(owner_id=_int(value))
        if p.get("overdue") in ("1", "true", "True"):
            qs = qs.filter(sla.overdue_q(timezone.now()))
        # Newest first by the primary key: an index walk with LIMIT, no sort of the area.
        return qs.order_by("-id")

    @extend_schema(parameters=CASE_FILTERS)
    def list(self, request, *args, **kwargs):
        if any(request.query_params.get(p.name) for p in CASE_FILTERS):
            return super().list(request, *args, **kwargs)
        # Unfiltered, the commonest list: its ids by a query compiled once per shape.
        rows = self.paginator.paginate_ids(
            lambda start, stop: newest_visible_case_ids(request.user, start, stop), request
        )
        data = self.get_serializer(rows, many=True).data
        return self.paginator.get_paginated_response(data)

    @extend_schema(responses={200: CaseDetailSerializer})
    def retrieve(self, request, pk=None):
        bundle = case_bundle(request.user, _int(pk), purpose=_purpose(request))
        data = CaseDetailSerializer(bundle.case, context=bundle.as_context()).data
        return _with_etag(data, bundle.case.version)

    @extend_schema(
        request=TransitionSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        _case_in_view(request.user, pk)
        data = _valid(TransitionSerializer, request)
        case = lifecycle.transition(
            actor=request.user,
            case_id=_int(pk),
            to_status=data["to_status"],
            reason=data.get("reason", ""),
            version=_version(request, data),
        )
        return _case_written(case)

    @extend_schema(request=NoteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        _case_in_view(request.user, pk)
        data = _valid(NoteSerializer, request)
        case = services.add_note(actor=request.user, case_id=_int(pk), text=data["text"])
        event = case.events.select_related("actor", "organisation").order_by("-at", "-id").first()
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=GlassSerializer,
        responses={
            201: inline_serializer(
                "GlassGrant",
                {"case": serializers.IntegerField(), "expires_at": serializers.DateTimeField()},
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="break-glass")
    def break_glass(self, request, pk=None):
        # The service answers 404 before it looks at the reason: no visibility check here.
        data = _valid(GlassSerializer, request)
        grant = glass.break_glass(actor=request.user, case_id=_int(pk), reason=data["reason"])
        return Response(
            {"case": grant.case_id, "expires_at": grant.expires_at}, status=status.HTTP_201_CREATED
        )


class ReportViewSet(viewsets.GenericViewSet):
    """Intake and triage of reports. Staff only; the public web form is a page (/report/)."""

    access_policy = PERSONAL_DATA
    serializer_class = ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return selectors.visible_reports(self.request.user)

    @extend_schema(
        request=ReportInputSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        data = _valid(ReportInputSerializer, request)
        key = request.META.get("HTTP_IDEMPOTENCY_KEY", "").strip() or None
        if key and len(key) > IDEMPOTENCY_KEY_MAX:
            return Response(
                {"detail": "Idempotency-Key: 80 characters at most.", "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        started = timezone.now()
        report = intake.create_report(actor=request.user, idempotency_key=key, **data)
        # A replay returns the report first saved, received before this request began.
        replayed = report.received_at < started
        body = ReportSerializer(report, context={"show_offenders": can_work_on(request.user)})
        return Response(
            body.data, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        )

    def _in_view(self, pk) -> None:
        if not selectors.visible_reports(self.request.user).filter(pk=_int(pk)).exists():
            raise Http404

    def retrieve(self, request, pk=None):
        report = selectors.report_for_view(request.user, _int(pk), purpose=_purpose(request))
        body = ReportSerializer(report, context={"show_offenders": can_work_on(request.user)})
        return _with_etag(body.data, report.version)

    @extend_schema(
        request=ReportAcceptSerializer, responses={201: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        self._in_view(pk)
        data = _valid(ReportAcceptSerializer, request)
        case = services.accept_report(
            actor=request.user, report_id=_int(pk), version=_version(request, data)
        )
        return Response(CaseListSerializer(_reload(case)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportMergeSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        self._in_view(pk)
        data = _valid(ReportMergeSerializer, request)
        case = services.merge_report(
            actor=request.user,
            report_id=_int(pk),
            case_id=data["case"],
            version=_version(request, data),
        )
        return Response(CaseListSerializer(_reload(case)).data)

    @extend_schema(
        request=ReasonSerializer, responses={200: ReportSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self._in_view(pk)
        data = _valid(ReasonSerializer, request)
        report = services.close_report(
            actor=request.user,
            report_id=_int(pk),
            reason=data["reason"],
            version=_version(request, data),
        )
        return Response(ReportSerializer(report, context={"show_offenders": False}).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first."""

    access_policy = PERSONAL_DATA
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: inline_serializer("Marked", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        data = _valid(MarkReadSerializer, request)
        return Response({"marked": notify.mark_read(user=request.user, ids=data["ids"])})
