"""REST shapes of needs assessments and plan goals. Input shapes only; the services hold
the rules."""

from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput
from onehome.cases.models import Assessment, Dimension, PlanGoal, Risk
from onehome.cases.plans.goals import GOALS
from onehome.core.next_steps import WithNextSteps


class AssessmentSerializer(PlannedOutput, serializers.ModelSerializer):
    assessed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "assessed_at",
            "assessed_by",
            "assessed_by_name",
            "dimensions",
            "protection_risks",
            "summary",
        ]
        read_only_fields = fields

    def get_assessed_by_name(self, obj: Assessment) -> str:
        by = obj.assessed_by
        return (by.get_full_name() or by.username) if by else ""


class AssessmentInputSerializer(serializers.Serializer):
    dimensions = serializers.DictField(
        help_text="each of " + ", ".join(Dimension.values) + ': {"level": 0-3, "note": "..."}'
    )
    protection_risks = serializers.ListField(
        child=serializers.ChoiceField(choices=Risk.choices), required=False, max_length=20
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class PlanGoalSerializer(WithNextSteps, PlannedOutput, serializers.ModelSerializer):
    workflow = GOALS

    agency_name = serializers.CharField(source="agency.name_th", read_only=True, default=None)

    class Meta:
        model = PlanGoal
        fields = [
            "id",
            "version",
            "case",
            "household_plan",
            "dimension",
            "goal",
            "action",
            "agency",
            "agency_name",
            "volunteer",
            "due_date",
            "status",
            "progress",
            "created_at",
            "next_steps",
        ]
        read_only_fields = fields


class PlanGoalInputSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    goal = serializers.CharField(max_length=300)
    action = serializers.CharField(max_length=300)
    agency = serializers.IntegerField(help_text="id of the responsible organisation")
    due_date = serializers.DateField()


class GoalStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class GoalDropSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
