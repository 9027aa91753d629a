"""The SLA pause of a case and its resumption, as actions of `lifecycle.api.CaseViewSet`
(/api/cases/{id}/pause/, /resume/). A versioned write: If-Match or `version`."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from onehome.cases.api_requests import IF_MATCH, case_and_body, case_written, read_version
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.serializers import PauseSerializer, VersionOnlySerializer
from onehome.cases.lifecycle.serializers import CaseListSerializer


class CaseDeadlineActions:
    """Actions of `CaseViewSet` on the deadline of an open case."""

    @extend_schema(
        request=PauseSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        case_id, data = case_and_body(request, pk, PauseSerializer)
        case = sla.pause(
            actor=request.user,
            case_id=case_id,
            reason=data.get("reason", ""),
            version=read_version(request, data),
        )
        return case_written(case)

    @extend_schema(
        request=VersionOnlySerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        case_id, data = case_and_body(request, pk, VersionOnlySerializer)
        case = sla.resume(actor=request.user, case_id=case_id, version=read_version(request, data))
        return case_written(case)
