"""The household development plan through the API (/api/volunteers/households/{id}/plan/…):
read the plan (goals, follow-ups), agree it, goals proposed from the deprivations found,
add a goal, change it (progress too), mark it done or drop it; and the overdue follow-ups
of the caller's area (/api/volunteers/follow-ups/overdue/). Thin: 404 outside the caller's
households, the shape, one service (the goal services shared with case plans). Goal
writes say which version they change (If-Match or `version`: 428 without, 412/409 stale)."""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access import audit
from onehome.access.policy import PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.cases.api_requests import IF_MATCH, parse_id, read_version, valid_body, with_etag
from onehome.cases.models import Dimension, PlanGoal
from onehome.cases.plans import goals
from onehome.cases.plans.serializers import PlanGoalSerializer
from onehome.registry.models import Household
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.development import selectors, services
from onehome.volunteers.development.proposals import propose_goals
from onehome.volunteers.models import FollowUp, HouseholdPlan

HOUSEHOLD_ID = OpenApiParameter("household_id", int, OpenApiParameter.PATH)
GOAL_ID = OpenApiParameter("goal_id", int, OpenApiParameter.PATH)
STEP = OpenApiParameter("step", str, OpenApiParameter.PATH, enum=["done", "drop"])
AREA = OpenApiParameter("area", str, description="an area code inside the caller's area")


class FollowUpSerializer(serializers.ModelSerializer):
    visited_on = serializers.DateField(source="visit.visited_on", read_only=True, default=None)

    class Meta:
        model = FollowUp
        fields = ["id", "household", "due_on", "visit", "visited_on"]
        read_only_fields = fields


class HouseholdPlanSerializer(serializers.ModelSerializer):
    goals = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdPlan
        fields = [
            "id",
            "version",
            "household",
            "agreed_on",
            "agreed_with",
            "follow_up_days",
            "goals",
            "follow_ups",
        ]
        read_only_fields = fields

    @extend_schema_field(PlanGoalSerializer(many=True))
    def get_goals(self, obj: HouseholdPlan) -> list[dict]:
        return PlanGoalSerializer(selectors.goals_of(obj), many=True, context=self.context).data

    @extend_schema_field(FollowUpSerializer(many=True))
    def get_follow_ups(self, obj: HouseholdPlan) -> list[dict]:
        return FollowUpSerializer(selectors.follow_ups_of(obj.household), many=True).data


class StartPlanSerializer(serializers.Serializer):
    agreed_on = serializers.DateField()
    agreed_with = serializers.IntegerField(help_text="id of a member of the household")
    follow_up_days = serializers.IntegerField(default=30, help_text="7 to 180")


class HouseholdGoalInputSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    goal = serializers.CharField(max_length=300)
    action = serializers.CharField(max_length=300)
    agency = serializers.IntegerField(required=False, allow_null=True, help_text="organisation id")
    volunteer = serializers.IntegerField(required=False, allow_null=True, help_text="volunteer id")
    due_date = serializers.DateField()
    progress = serializers.IntegerField(required=False, default=0, help_text="0 to 100")


class GoalChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    dimension = serializers.ChoiceField(choices=Dimension.choices, required=False)
    goal = serializers.CharField(max_length=300, required=False)
    action = serializers.CharField(max_length=300, required=False)
    agency = serializers.IntegerField(required=False, allow_null=True)
    volunteer = serializers.IntegerField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False)
    progress = serializers.IntegerField(required=False)


class GoalStepInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


ProposalSerializer = inline_serializer(
    "GoalProposal",
    many=True,
    fields={
        "dimension": serializers.CharField(),
        "goal": serializers.CharField(),
        "action": serializers.CharField(),
        "due_date": serializers.DateField(),
        "source": serializers.CharField(),
        "because": serializers.CharField(),
    },
)


def _household(request, household_id) -> Household:
    return household_for_work_or_404(user=request.user, pk=parse_id(household_id))


def _plan(household: Household) -> HouseholdPlan:
    plan = selectors.plan_of(household)
    if plan is None:
        raise Http404
    return plan


def _planner(request) -> None:
    if not may(request.user, Action.PLAN_HOUSEHOLD_DEVELOPMENT):
        raise Http404


def _goal(plan: HouseholdPlan, goal_id) -> PlanGoal:
    goal = selectors.goal_of_plan(plan=plan, goal_id=parse_id(goal_id))
    if goal is None:
        raise Http404
    return goal


def _goal_out(goal: PlanGoal, request, code=status.HTTP_200_OK) -> Response:
    data = PlanGoalSerializer(goal, context={"viewer": request.user}).data
    return with_etag(data, goal.version, code)


class HouseholdPlanView(APIView):
    """A household's development plan: read it, or agree it with the family."""

    access_policy = PERSONAL_DATA

    @extend_schema(parameters=[HOUSEHOLD_ID], responses={200: HouseholdPlanSerializer})
    def get(self, request, household_id):
        household = _household(request, household_id)
        plan = _plan(household)
        audit.record_read(
            actor=request.user, obj=plan, purpose="api plan", household_id=plan.household_id
        )
        data = HouseholdPlanSerializer(plan, context={"viewer": request.user}).data
        return with_etag(data, plan.version)

    @extend_schema(
        parameters=[HOUSEHOLD_ID],
        request=StartPlanSerializer,
        responses={201: HouseholdPlanSerializer},
    )
    def post(self, request, household_id):
        _planner(request)
        household = _household(request, household_id)
        data = valid_body(StartPlanSerializer, request)
        plan = services.start_plan(
            actor=request.user,
            household_id=household.pk,
            agreed_on=data["agreed_on"],
            agreed_with_id=data["agreed_with"],
            follow_up_days=data["follow_up_days"],
        )
        data = HouseholdPlanSerializer(plan, context={"viewer": request.user}).data
        return with_etag(data, plan.version, status.HTTP_201_CREATED)


class ProposalsView(APIView):
    """Goals proposed from the deprivations found (nothing is saved)."""

    access_policy = PERSONAL_DATA

    @extend_schema(parameters=[HOUSEHOLD_ID], responses={200: ProposalSerializer})
    def get(self, request, household_id):
        _planner(request)
        household = _household(request, household_id)
        proposals, _where = propose_goals(user=request.user, household=household)
        return Response(
            [
                {
                    "dimension": p.dimension,
                    "goal": p.goal,
                    "action": p.action,
                    "due_date": p.due_date,
                    "source": p.source,
                    "because": p.because,
                }
                for p in proposals
            ]
        )


class HouseholdGoalsView(APIView):
    """Add a goal to the household's plan."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        parameters=[HOUSEHOLD_ID],
        request=HouseholdGoalInputSerializer,
        responses={201: PlanGoalSerializer},
    )
    def post(self, request, household_id):
        _planner(request)
        plan = _plan(_household(request, household_id))
        data = valid_body(HouseholdGoalInputSerializer, request)
        goal = services.add_household_goal(
            actor=request.user,
            plan_id=plan.pk,
            dimension=data["dimension"],
            goal=data["goal"],
            action=data["action"],
            due_date=data["due_date"],
            agency_id=data.get("agency"),
            volunteer_id=data.get("volunteer"),
            progress=data.get("progress", 0),
        )
        return _goal_out(goal, request, status.HTTP_201_CREATED)


class HouseholdGoalView(APIView):
    """Change an open goal of the household's plan (its progress too)."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        parameters=[HOUSEHOLD_ID, GOAL_ID, IF_MATCH],
        request=GoalChangeSerializer,
        responses={200: PlanGoalSerializer},
    )
    def patch(self, request, household_id, goal_id):
        _planner(request)
        goal = _goal(_plan(_household(request, household_id)), goal_id)
        data = valid_body(GoalChangeSerializer, request)
        version = read_version(request, data)
        renamed = {"agency": "agency_id", "volunteer": "volunteer_id"}
        changes = {renamed.get(k, k): v for k, v in data.items()}
        goal = goals.update_goal(actor=request.user, goal_id=goal.pk, version=version, **changes)
        return _goal_out(goal, request)


class HouseholdGoalStepView(APIView):
    """Mark a goal done, or drop it with a reason."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        operation_id="volunteers_households_plan_goals_step",
        parameters=[HOUSEHOLD_ID, GOAL_ID, STEP, IF_MATCH],
        request=GoalStepInputSerializer,
        responses={200: PlanGoalSerializer},
    )
    def post(self, request, household_id, goal_id, step):
        _planner(request)
        if step not in ("done", "drop"):
            raise Http404
        goal = _goal(_plan(_household(request, household_id)), goal_id)
        data = valid_body(GoalStepInputSerializer, request)
        version = read_version(request, data)
        reason = data.get("reason", "")
        if step == "done":
            goal = goals.complete_goal(
                actor=request.user, goal_id=goal.pk, version=version, note=reason
            )
        else:
            goal = goals.drop_goal(
                actor=request.user, goal_id=goal.pk, version=version, reason=reason
            )
        return _goal_out(goal, request)


class OverdueFollowUpsView(APIView):
    """Follow-up visits past their day in the caller's area, the oldest first."""

    access_policy = PERSONAL_DATA

    @extend_schema(parameters=[AREA], responses={200: FollowUpSerializer(many=True)})
    def get(self, request):
        if not may(request.user, Action.READ_VOLUNTEERS):
            raise Http404
        area = request.query_params.get("area", "")
        if area and not area.isdigit():
            raise Http404
        rows = audit.listed(
            request.user,
            selectors.overdue_follow_ups(user=request.user, area=area)[:500],
            kind="volunteers.followup",
            purpose="api overdue follow-ups",
        )
        return Response(FollowUpSerializer(rows, many=True).data)
