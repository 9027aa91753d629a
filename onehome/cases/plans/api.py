"""REST actions on the assessment and the plan of a case (mixed into
`lifecycle.api.CaseViewSet` under /api/cases/{id}/…): record an assessment, add a plan goal,
mark it done or drop it. Thin: 404 for a case the caller cannot see, then the shape, then
one service; writes on versioned goals need If-Match or `version` (428 without, 412/409
when stale)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.cases.api_requests import (
    IF_MATCH,
    case_and_body,
    parse_id,
    read_version,
    with_etag,
)
from onehome.cases.models import PlanGoal
from onehome.cases.plans import services
from onehome.cases.plans.serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    GoalDropSerializer,
    GoalStepSerializer,
    PlanGoalInputSerializer,
    PlanGoalSerializer,
)

GOAL_ID = OpenApiParameter("goal_id", int, OpenApiParameter.PATH)


def _goal(goal: PlanGoal, code: int = status.HTTP_200_OK) -> Response:
    return with_etag(PlanGoalSerializer(goal).data, goal.version, code)


class CasePlanActions:
    """Actions of `CaseViewSet` on the assessment and the plan of an open case."""

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        case_id, data = case_and_body(request, pk, AssessmentInputSerializer)
        assessment = services.record_assessment(
            actor=request.user,
            case_id=case_id,
            dimensions=data["dimensions"],
            protection_risks=data.get("protection_risks") or [],
            summary=data.get("summary", ""),
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanGoalInputSerializer, responses={201: PlanGoalSerializer})
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        case_id, data = case_and_body(request, pk, PlanGoalInputSerializer)
        goal = services.add_plan_goal(
            actor=request.user,
            case_id=case_id,
            dimension=data["dimension"],
            goal=data["goal"],
            action=data["action"],
            agency_id=data["agency"],
            due_date=data["due_date"],
        )
        return _goal(goal, status.HTTP_201_CREATED)

    def _goal_step(self, request, pk, goal_id, serializer_class) -> tuple[int, dict, int]:
        case_id, data = case_and_body(request, pk, serializer_class)
        goal_id = parse_id(goal_id)
        if not PlanGoal.objects.filter(pk=goal_id, case_id=case_id).exists():
            raise Http404
        return goal_id, data, read_version(request, data)

    @extend_schema(
        request=GoalStepSerializer,
        responses={200: PlanGoalSerializer},
        parameters=[GOAL_ID, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"plan/(?P<goal_id>[0-9]+)/done")
    def goal_done(self, request, pk=None, goal_id=None):
        goal_id, data, version = self._goal_step(request, pk, goal_id, GoalStepSerializer)
        goal = services.complete_plan_goal(
            actor=request.user, goal_id=goal_id, version=version, note=data.get("note", "")
        )
        return _goal(goal)

    @extend_schema(
        request=GoalDropSerializer,
        responses={200: PlanGoalSerializer},
        parameters=[GOAL_ID, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"plan/(?P<goal_id>[0-9]+)/drop")
    def goal_drop(self, request, pk=None, goal_id=None):
        goal_id, data, version = self._goal_step(request, pk, goal_id, GoalDropSerializer)
        goal = services.drop_plan_goal(
            actor=request.user, goal_id=goal_id, version=version, reason=data.get("reason", "")
        )
        return _goal(goal)
