"""REST endpoints of cases: the list, one case with every agency's parts, status changes,
notes, workers and transfer; the other capabilities add their actions on a case through
mixins (`plans.api`, `deadlines.api`, `visibility.api`). Thin: parse, call a service or a
scoped selector, render. Out-of-scope records answer 404 through the error mapping in
`onehome.api.errors`.

The case list is the busiest endpoint (hotline dashboards poll it): see `pagination.py`.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.api.schema import model_for_schema
from onehome.cases.api_requests import (
    IF_MATCH,
    case_written,
    parse_id,
    read_purpose,
    read_version,
    with_etag,
)
from onehome.cases.case_access import case_action
from onehome.cases.deadlines.api import CaseDeadlineActions
from onehome.cases.lifecycle import selectors, services, transitions
from onehome.cases.lifecycle.pagination import CasePagination
from onehome.cases.lifecycle.serializers import (
    AssignSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    EventSerializer,
    NoteSerializer,
    TransferSerializer,
    TransitionSerializer,
    UnassignSerializer,
)
from onehome.cases.models import Case, CaseStatus, Urgency
from onehome.cases.plans.api import CasePlanActions
from onehome.cases.visibility.api import CaseGlassActions
from onehome.cases.visibility.selectors import newest_visible_case_ids

CASE_FILTERS = [
    OpenApiParameter("status", str, enum=CaseStatus.values),
    OpenApiParameter("urgency", str, enum=Urgency.values),
    OpenApiParameter("category", str),
    OpenApiParameter("owner", int, description="id of the responsible organisation"),
    OpenApiParameter("overdue", bool, description="only open cases past their deadline"),
]


class CaseViewSet(
    AuditedList,
    CasePlanActions,
    CaseDeadlineActions,
    CaseGlassActions,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may see (area scope and the sensitive-case rule), newest first."""

    access_policy = PERSONAL_DATA
    serializer_class = CaseListSerializer
    pagination_class = CasePagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return model_for_schema(Case)
        p = self.request.query_params
        owner = p.get("owner")
        return selectors.cases_listed(
            self.request.user,
            status=p.get("status") or None,
            urgency=p.get("urgency") or None,
            category=p.get("category") or None,
            owner_id=parse_id(owner) if owner else None,
            overdue=p.get("overdue") in ("1", "true", "True"),
        )

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
    @case_action(related=selectors.CASE_DETAIL_RELATED)
    def retrieve(self, request, case: Case):
        detail = selectors.case_detail_of(request.user, case, purpose=read_purpose(request))
        data = CaseDetailSerializer(detail.case, context=detail.as_context()).data
        return with_etag(data, detail.case.version)

    @extend_schema(
        request=TransitionSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=TransitionSerializer)
    def transition(self, request, case: Case, data: dict):
        case = transitions.transition(
            actor=request.user,
            case_id=case.pk,
            to_status=data["to_status"],
            reason=data.get("reason", ""),
            version=read_version(request, data),
        )
        return case_written(case)

    @extend_schema(request=NoteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    @case_action(body=NoteSerializer)
    def notes(self, request, case: Case, data: dict):
        case = services.add_note(actor=request.user, case_id=case.pk, text=data["text"])
        event = selectors.latest_event(case)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AssignSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=AssignSerializer)
    def assign(self, request, case: Case, data: dict):
        case = services.assign_worker(
            actor=request.user,
            case_id=case.pk,
            user_id=data["user"],
            lead=data.get("lead", False),
            version=read_version(request, data),
        )
        return case_written(case)

    @extend_schema(
        request=UnassignSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=UnassignSerializer)
    def unassign(self, request, case: Case, data: dict):
        case = services.unassign_worker(
            actor=request.user,
            case_id=case.pk,
            user_id=data["user"],
            version=read_version(request, data),
        )
        return case_written(case)

    @extend_schema(
        request=TransferSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=TransferSerializer)
    def transfer(self, request, case: Case, data: dict):
        case = services.transfer_case(
            actor=request.user,
            case_id=case.pk,
            to_org_id=data["to_org"],
            reason=data.get("reason", ""),
            version=read_version(request, data),
        )
        return case_written(case)
