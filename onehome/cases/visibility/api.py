"""The break-the-glass action of `lifecycle.api.CaseViewSet` (/api/cases/{id}/break-glass/)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.cases.api_requests import parse_id, valid_body
from onehome.cases.visibility import glass
from onehome.cases.visibility.serializers import GlassSerializer


class CaseGlassActions:
    """Actions of `CaseViewSet` that open a sensitive case."""

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
