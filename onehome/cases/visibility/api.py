"""The visibility actions of `lifecycle.api.CaseViewSet`: break the glass
(/api/cases/{id}/break-glass/) and lower a case's sensitivity
(/api/cases/{id}/lower-sensitivity/)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.cases.api_requests import IF_MATCH, case_written, parse_id, read_version, valid_body
from onehome.cases.case_access import case_action
from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.cases.models import Case
from onehome.cases.visibility import glass, sensitivity
from onehome.cases.visibility.serializers import GlassSerializer, LowerSensitivitySerializer


class CaseGlassActions:
    """Actions of `CaseViewSet` that open a sensitive case, or make it ordinary."""

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
        data = valid_body(GlassSerializer, request)
        grant = glass.break_glass(actor=request.user, case_id=parse_id(pk), reason=data["reason"])
        return Response(
            {"case": grant.case_id, "expires_at": grant.expires_at}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=LowerSensitivitySerializer,
        responses={200: CaseListSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path="lower-sensitivity")
    @case_action(body=LowerSensitivitySerializer)
    def lower_sensitivity(self, request, case: Case, data: dict):
        case = sensitivity.lower_sensitivity(
            actor=request.user,
            case_id=case.pk,
            reason=data["reason"],
            version=read_version(request, data),
        )
        return case_written(case)
