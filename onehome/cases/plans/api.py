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

from onehome.cases.api_requests import IF_MATCH, parse_id, read_version, with_etag
from onehome.cases.case_access import case_action
from onehome.cases.models import Case, PlanGoal
from onehome.cases.plans import selectors, services
from onehome.cases.plans.serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    GoalDropSerializer,
    GoalStepSerializer,
    PlanGoalInputSerializer,
    PlanGoalSerializer,
)

GOAL_ID = OpenApiParameter("goal_id", int, OpenApiParameter.PATH)


def _goal(goal: PlanGoal, viewer, code: int = status.HTTP_200_OK) -> Response:
    data = PlanGoalSerializer(goal, context={"viewer": viewer}).data
    return with_etag(data, goal.version, code)


class CasePlanActions:
    """Actions of `CaseViewSet` on the assessment and the plan of an open case."""

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    @case_action(body=AssessmentInputSerializer)
    def assessments(self, request, case: Case, data: dict):
        assessment = services.record_assessment(
            actor=request.user,
            case_id=case.pk,
            dimensions=data["dimensions"],
            protection_risks=data.get("protection_risks") or [],
            summary=data.get("summary", ""),
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanGoalInputSerializer, responses={201: PlanGoalSerializer})
    @action(detail=True, methods=["post"])
    @case_action(body=PlanGoalInputSerializer)
    def plan(self, request, case: Case, data: dict):
        goal = services.add_plan_goal(
            actor=request.user,
            case_id=case.pk,
            dimension=data["dimension"],
            goal=data["goal"],
            action=data["action"],
            agency_id=data["agency"],
            due_date=data["due_date"],
        )
        return _goal(goal, request.user, status.HTTP_201_CREATED)

    def _goal_step(self, request, case: Case, goal_id, data: dict) -> tuple[int, int]:
        goal_id = parse_id(goal_id)
        if not selectors.goal_on_case(case_id=case.pk, goal_id=goal_id):
            raise Http404
        return goal_id, read_version(request, data)

    @extend_schema(
        request=GoalStepSerializer,
        responses={200: PlanGoalSerializer},
        parameters=[GOAL_ID, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"plan/(?P<goal_id>[0-9]+)/done")
    @case_action(body=GoalStepSerializer)
    def goal_done(self, request, case: Case, goal_id=None, data=None):
        goal_id, version = self._goal_step(request, case, goal_id, data)
        goal = services.complete_plan_goal(
            actor=request.user, goal_id=goal_id, version=version, note=data.get("note", "")
        )
        return _goal(goal, request.user)

    @extend_schema(
        request=GoalDropSerializer,
        responses={200: PlanGoalSerializer},
        parameters=[GOAL_ID, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"plan/(?P<goal_id>[0-9]+)/drop")
    @case_action(body=GoalDropSerializer)
    def goal_drop(self, request, case: Case, goal_id=None, data=None):
        goal_id, version = self._goal_step(request, case, goal_id, data)
        goal = services.drop_plan_goal(
            actor=request.user, goal_id=goal_id, version=version, reason=data.get("reason", "")
        )
        return _goal(goal, request.user)
