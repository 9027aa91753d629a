"""REST actions for the work on a case (mixed into `api.CaseViewSet` under
/api/cases/{id}/…): assessments, plan goals, workers, transfer, the SLA pause; and the
stock of a centre (/api/stock/). Thin like `api.py`: 404 for a case the caller cannot
see, then the shape, then one service; writes on versioned records need If-Match or
`version` (428 without, 412/409 when stale)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import NO_PERSONAL_DATA

from . import assessments, services, sla, stock
from .api_helpers import _case_in_view, _case_written, _int, _valid, _version, _with_etag
from .models import PlanGoal, Stock, StockItem
from .serializers import CaseListSerializer
from .visibility import can_work_on
from .work_serializers import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    AssignSerializer,
    GoalDropSerializer,
    GoalStepSerializer,
    PauseSerializer,
    PlanGoalInputSerializer,
    PlanGoalSerializer,
    ReceiveStockSerializer,
    StockItemSerializer,
    StockSerializer,
    TransferSerializer,
    UnassignSerializer,
    VersionOnlySerializer,
)

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)
GOAL_ID = OpenApiParameter("goal_id", int, OpenApiParameter.PATH)


def _goal(goal: PlanGoal, code: int = status.HTTP_200_OK) -> Response:
    return _with_etag(PlanGoalSerializer(goal).data, goal.version, code)


class CaseWorkActions:
    """Actions of `CaseViewSet` for the work on an open case."""

    def _case_data(self, request, pk, serializer_class) -> tuple[int, dict]:
        return _case_in_view(request.user, pk), _valid(serializer_class, request)

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        case_id, data = self._case_data(request, pk, AssessmentInputSerializer)
        assessment = assessments.record_assessment(
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
        case_id, data = self._case_data(request, pk, PlanGoalInputSerializer)
        goal = assessments.add_plan_goal(
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
        case_id, data = self._case_data(request, pk, serializer_class)
        goal_id = _int(goal_id)
        if not PlanGoal.objects.filter(pk=goal_id, case_id=case_id).exists():
            raise Http404
        return goal_id, data, _version(request, data)

    @extend_schema(
        request=GoalStepSerializer,
        responses={200: PlanGoalSerializer},
        parameters=[GOAL_ID, IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path=r"plan/(?P<goal_id>[0-9]+)/done")
    def goal_done(self, request, pk=None, goal_id=None):
        goal_id, data, version = self._goal_step(request, pk, goal_id, GoalStepSerializer)
        goal = assessments.complete_plan_goal(
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
        goal = assessments.drop_plan_goal(
            actor=request.user, goal_id=goal_id, version=version, reason=data.get("reason", "")
        )
        return _goal(goal)

    @extend_schema(
        request=AssignSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case_id, data = self._case_data(request, pk, AssignSerializer)
        case = services.assign_worker(
            actor=request.user,
            case_id=case_id,
            user_id=data["user"],
            lead=data.get("lead", False),
            version=_version(request, data),
        )
        return _case_written(case)

    @extend_schema(
        request=UnassignSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        case_id, data = self._case_data(request, pk, UnassignSerializer)
        case = services.unassign_worker(
            actor=request.user,
            case_id=case_id,
            user_id=data["user"],
            version=_version(request, data),
        )
        return _case_written(case)

    @extend_schema(
        request=TransferSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        case_id, data = self._case_data(request, pk, TransferSerializer)
        case = services.transfer_case(
            actor=request.user,
            case_id=case_id,
            to_org_id=data["to_org"],
            reason=data.get("reason", ""),
            version=_version(request, data),
        )
        return _case_written(case)

    @extend_schema(
        request=PauseSerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        case_id, data = self._case_data(request, pk, PauseSerializer)
        case = sla.pause(
            actor=request.user,
            case_id=case_id,
            reason=data.get("reason", ""),
            version=_version(request, data),
        )
        return _case_written(case)

    @extend_schema(
        request=VersionOnlySerializer, responses={200: CaseListSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        case_id, data = self._case_data(request, pk, VersionOnlySerializer)
        case = sla.resume(actor=request.user, case_id=case_id, version=_version(request, data))
        return _case_written(case)


class StockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stock of in-kind aid per centre: `?organisation=<id>` (default the caller's own).
    Stock holds no personal data; only a centre's own staff receive into it."""

    access_policy = NO_PERSONAL_DATA
    serializer_class = StockSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not can_work_on(user):
            return Stock.objects.none()
        org = self.request.query_params.get("organisation") or user.organisation_id
        if org is None:
            return Stock.objects.none()
        return stock.stock_of(organisation_id=_int(org)).order_by("item__name_th")

    @extend_schema(
        parameters=[OpenApiParameter("organisation", int, description="default: your own")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: StockItemSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def items(self, request):
        return Response(StockItemSerializer(StockItem.objects.order_by("name_th"), many=True).data)

    @extend_schema(request=ReceiveStockSerializer, responses={201: StockSerializer})
    @action(detail=False, methods=["post"])
    def receive(self, request):
        if request.user.organisation_id is None:
            # stock.receive_stock compares organisations and would let None == None through.
            raise Http404
        data = _valid(ReceiveStockSerializer, request)
        held = stock.receive_stock(
            actor=request.user,
            organisation_id=request.user.organisation_id,
            item_id=data["item"],
            quantity=data["quantity"],
            note=data.get("note", ""),
        )
        return Response(StockSerializer(held).data, status=status.HTTP_201_CREATED)
