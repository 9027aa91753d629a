"""REST shapes of a case: the list row, the timeline, the whole case with every agency's
parts, and the inputs of status changes, notes, workers and transfer. Input shapes only;
the services hold the rules."""

from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput
from onehome.cases.assistance.serializers import ServiceSerializer
from onehome.cases.intake.serializers import PartySerializer
from onehome.cases.models import Case, CaseEvent
from onehome.cases.plans.serializers import AssessmentSerializer, PlanGoalSerializer
from onehome.cases.referrals.serializers import ReferralSerializer


class CaseListSerializer(PlannedOutput, serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name_th", read_only=True)
    subdistrict_name = serializers.CharField(source="subdistrict.name_th", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "version",
            "status",
            "urgency",
            "category",
            "subcategory",
            "sensitive",
            "title",
            "subdistrict",
            "subdistrict_name",
            "owner",
            "owner_name",
            "opened_at",
            "due_at",
            "paused_at",
            "closed_at",
        ]
        read_only_fields = fields


class EventSerializer(PlannedOutput, serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    organisation_name = serializers.CharField(
        source="organisation.name_th", default="", read_only=True
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "kind",
            "actor_name",
            "organisation",
            "organisation_name",
            "from_status",
            "to_status",
            "text",
        ]

    def get_actor_name(self, obj: CaseEvent) -> str:
        actor = obj.actor
        return (actor.get_full_name() or actor.username) if actor else ""


class CaseDetailSerializer(CaseListSerializer):
    """One case with everything every agency on it sees (built by the view from scoped
    selectors and passed in the context)."""

    workers = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "household",
            "escalation_level",
            "workers",
            "parties",
            "timeline",
            "referrals",
            "services",
            "assessments",
            "plan",
            "allowed_transitions",
        ]
        read_only_fields = fields

    def get_workers(self, obj: Case) -> list[dict]:
        return [
            {"id": a.user_id, "name": a.user.get_full_name() or a.user.username, "lead": a.lead}
            for a in self.context["assignments"]
        ]

    def get_parties(self, obj: Case) -> list[dict]:
        return PartySerializer(self.context["parties"], many=True).data

    def get_timeline(self, obj: Case) -> list[dict]:
        return EventSerializer(self.context["events"], many=True).data

    def get_referrals(self, obj: Case) -> list[dict]:
        return ReferralSerializer(self.context["referrals"], many=True, context=self._viewer()).data

    def get_services(self, obj: Case) -> list[dict]:
        return ServiceSerializer(self.context["services"], many=True, context=self._viewer()).data

    def get_assessments(self, obj: Case) -> list[dict]:
        return AssessmentSerializer(self.context["assessments"], many=True).data

    def get_plan(self, obj: Case) -> list[dict]:
        return PlanGoalSerializer(self.context["plan"], many=True, context=self._viewer()).data

    def _viewer(self) -> dict:
        return {"viewer": self.context.get("viewer")}

    def get_allowed_transitions(self, obj: Case) -> list[dict]:
        return [
            {
                "to_status": to,
                "action": rule.action,
                "label": str(rule.label),
                "reason_required": rule.reason_required,
            }
            for to, rule in self.context["moves"]
        ]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField(max_length=24)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class AssignSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    lead = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False)


class UnassignSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    version = serializers.IntegerField(required=False)


class TransferSerializer(serializers.Serializer):
    to_org = serializers.IntegerField(help_text="id of the agency that takes the case")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)
