"""REST endpoints of intake and triage: a report from any signed-in channel (idempotent
with `Idempotency-Key`), one report, and its triage (accept, merge, close). Staff only;
the public web form is a page (/report/)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import PERSONAL_DATA
from onehome.api.schema import model_for_schema
from onehome.cases.api_requests import (
    IF_MATCH,
    parse_id,
    read_purpose,
    read_version,
    reload_case,
    valid_body,
    with_etag,
)
from onehome.cases.intake import selectors, services, triage
from onehome.cases.intake.serializers import (
    ReasonSerializer,
    ReportAcceptSerializer,
    ReportInputSerializer,
    ReportMergeSerializer,
    ReportSerializer,
)
from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.cases.models import Report

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A retry with the same key and the same body answers 200 with the first report "
        "instead of a second one; the same key with a different body answers 422 and saves "
        "nothing"
    ),
)
IDEMPOTENCY_KEY_MAX = 80


class ReportViewSet(viewsets.GenericViewSet):
    """Intake and triage of reports. Staff only; the public web form is a page (/report/)."""

    access_policy = PERSONAL_DATA
    serializer_class = ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model_for_schema(Report)
        return selectors.visible_reports(self.request.user)

    @extend_schema(
        request=ReportInputSerializer,
        responses={
            201: ReportSerializer,
            200: OpenApiResponse(ReportSerializer, description="a replay: the first report"),
            422: OpenApiResponse(description="Idempotency-Key already used for another body"),
        },
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        data = valid_body(ReportInputSerializer, request)
        key = request.META.get("HTTP_IDEMPOTENCY_KEY", "").strip() or None
        if key and len(key) > IDEMPOTENCY_KEY_MAX:
            return Response(
                {"detail": "Idempotency-Key: 80 characters at most.", "code": "invalid"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        taken = services.take_report(actor=request.user, idempotency_key=key, **data)
        body = ReportSerializer(taken.report, context={"viewer": request.user})
        return Response(
            body.data, status=status.HTTP_201_CREATED if taken.created else status.HTTP_200_OK
        )

    def _in_view(self, pk) -> None:
        if not selectors.may_see_report(self.request.user, parse_id(pk)):
            raise Http404

    def retrieve(self, request, pk=None):
        report = selectors.report_for_view(
            request.user, parse_id(pk), purpose=read_purpose(request)
        )
        body = ReportSerializer(report, context={"viewer": request.user})
        return with_etag(body.data, report.version)

    @extend_schema(
        request=ReportAcceptSerializer, responses={201: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        self._in_view(pk)
        data = valid_body(ReportAcceptSerializer, request)
        case = triage.accept_report(
            actor=request.user, report_id=parse_id(pk), version=read_version(request, data)
        )
        return Response(CaseListSerializer(reload_case(case)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportMergeSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        self._in_view(pk)
        data = valid_body(ReportMergeSerializer, request)
        case = triage.merge_report(
            actor=request.user,
            report_id=parse_id(pk),
            case_id=data["case"],
            version=read_version(request, data),
        )
        return Response(CaseListSerializer(reload_case(case)).data)

    @extend_schema(
        request=ReasonSerializer, responses={200: ReportSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self._in_view(pk)
        data = valid_body(ReasonSerializer, request)
        report = triage.close_report(
            actor=request.user,
            report_id=parse_id(pk),
            reason=data["reason"],
            version=read_version(request, data),
        )
        # No viewer: the closed report's answer names no alleged offender, as it always has.
        return Response(ReportSerializer(report).data)
