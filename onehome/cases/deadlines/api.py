"""The SLA pause of a case and its resumption, as actions of `lifecycle.api.CaseViewSet`
(/api/cases/{id}/pause/, /resume/). A versioned write: If-Match or `version`."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from onehome.cases.api_requests import IF_MATCH, case_written, read_version
from onehome.cases.case_access import case_action
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.serializers import PauseSerializer, VersionOnlySerializer
from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.cases.models import Case


class CaseDeadlineActions:
    """Actions of `CaseViewSet` on the deadline of an open case."""

    @extend_schema(
        request=PauseSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=PauseSerializer)
    def pause(self, request, case: Case, data: dict):
        case = sla.pause(
            actor=request.user,
            case_id=case.pk,
            reason=data.get("reason", ""),
            version=read_version(request, data),
        )
        return case_written(case)

    @extend_schema(
        request=VersionOnlySerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    @case_action(body=VersionOnlySerializer)
    def resume(self, request, case: Case, data: dict):
        case = sla.resume(actor=request.user, case_id=case.pk, version=read_version(request, data))
        return case_written(case)
