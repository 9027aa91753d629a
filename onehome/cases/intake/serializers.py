"""REST shapes of reports, cases, referrals, services and notifications.

Input serializers only check shapes (types, lengths, choices); the rules are in the
services, which raise the user errors the API turns into 400/404/409/412. Output
serializers read what the selectors prefetched, so a list costs the same few queries
whatever its length.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput

from . import catalogue
from .models import (
    CallType,
    Case,
    CaseEvent,
    Channel,
    Notification,
    Party,
    PartyRole,
    Referral,
    Report,
    Risk,
    Service,
    ServiceKind,
    Urgency,
)
from .work_serializers import AssessmentSerializer, PlanGoalSerializer

# --- intake ----------------------------------------------------------------------------------


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    person_id = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sex = serializers.CharField(required=False, allow_blank=True, max_length=10)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportInputSerializer(serializers.Serializer):
    """A report as the hotline (or any signed-in channel) sends it."""

    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    call_type = serializers.ChoiceField(choices=CallType.choices)
    subdistrict = serializers.CharField(max_length=6)
    village = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=8)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    category = serializers.CharField(required=False, allow_blank=True, max_length=40)
    subcategory = serializers.CharField(required=False, allow_blank=True, max_length=40)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    risks = serializers.ListField(
        child=serializers.ChoiceField(choices=Risk.choices), required=False, max_length=20
    )
    parties = PartyInputSerializer(many=True, required=False, max_length=30)
    reporter_anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    reporter_relation = serializers.CharField(required=False, allow_blank=True, max_length=100)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    close_enquiry = serializers.BooleanField(required=False, default=False)


class PartySerializer(PlannedOutput, serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "role", "person", "person_name", "name", "sex", "age", "description"]

    def get_person_name(self, obj: Party) -> str:
        return obj.person.full_name_th if obj.person_id and obj.person else ""


class ReportSerializer(PlannedOutput, serializers.ModelSerializer):
    """A report as staff see it (parties are filtered by the view: offenders for case
    workers only)."""

    category_label = serializers.SerializerMethodField()
    routed_to_name = serializers.CharField(source="routed_to.name_th", default="", read_only=True)
    parties = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "reference",
            "version",
            "channel",
            "call_type",
            "status",
            "received_at",
            "urgency",
            "category",
            "subcategory",
            "category_label",
            "risks",
            "subdistrict",
            "village",
            "address",
            "summary",
            "reporter_anonymous",
            "reporter_name",
            "reporter_phone",
            "reporter_relation",
            "occurred_at",
            "routed_to",
            "routed_to_name",
            "due_at",
            "case",
            "closed_reason",
            "closed_at",
            "parties",
        ]
        read_only_fields = fields

    def get_category_label(self, obj: Report) -> str:
        return catalogue.label(obj.category, obj.subcategory)

    def get_parties(self, obj: Report) -> list[dict]:
        show_offenders = self.context.get("show_offenders", False)
        # The parties intake has just written (``intake.create_report``), or those the
        # caller prefetched, or else one query with their people (one per linked person
        # was an N+1).
        rows = getattr(obj, "written_parties", None)
        if rows is None:
            prefetched = "parties" in getattr(obj, "_prefetched_objects_cache", {})
            rows = obj.parties.all() if prefetched else obj.parties.select_related("person")
        parties = [p for p in rows if show_offenders or p.role != PartyRole.ALLEGED_OFFENDER]
        return PartySerializer(parties, many=True).data


class PublicTrackSerializer(serializers.Serializer):
    """What a reporter may know of their report: its status, nothing personal."""

    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()


class ReportAcceptSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class ReportMergeSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("id of the open case the report joins"))
    version = serializers.IntegerField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False)


# --- cases -----------------------------------------------------------------------------------


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


class ReferralSerializer(PlannedOutput, serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    from_org_name = serializers.CharField(source="from_org.name_th", read_only=True)
    to_org_name = serializers.CharField(source="to_org.name_th", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "case",
            "case_number",
            "from_org",
            "from_org_name",
            "to_org",
            "to_org_name",
            "need",
            "status",
            "sent_at",
            "due_at",
            "responded_at",
            "response_reason",
            "delivered_at",
            "outcome",
            "outcome_at",
        ]
        read_only_fields = fields


class ServiceSerializer(PlannedOutput, serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name_th", read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "case",
            "kind",
            "provider",
            "provider_name",
            "description",
            "amount",
            "item",
            "quantity",
            "recipient",
            "status",
            "requested_at",
            "approved_by",
            "approved_at",
            "decision_reason",
            "delivered_at",
        ]
        read_only_fields = fields


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
        return ReferralSerializer(self.context["referrals"], many=True).data

    def get_services(self, obj: Case) -> list[dict]:
        return ServiceSerializer(self.context["services"], many=True).data

    def get_assessments(self, obj: Case) -> list[dict]:
        return AssessmentSerializer(self.context["assessments"], many=True).data

    def get_plan(self, obj: Case) -> list[dict]:
        return PlanGoalSerializer(self.context["plan"], many=True).data

    def get_allowed_transitions(self, obj: Case) -> list[dict]:
        return [
            {"to_status": to, "action": rule.action, "reason_required": rule.reason_required}
            for to, rule in self.context["moves"]
        ]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField(max_length=24)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class GlassSerializer(serializers.Serializer):
    # Checked by the service after the scope, so an out-of-scope caller always gets 404.
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


# --- referrals and services ------------------------------------------------------------------


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    to_org = serializers.IntegerField()
    need = serializers.CharField(max_length=2000)
    due_at = serializers.DateField()


class ReferralStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReferralOutcomeSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    outcome = serializers.CharField(max_length=5000)


class ServiceCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    item = serializers.IntegerField(required=False, allow_null=True)
    quantity = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    recipient = serializers.IntegerField(required=False, allow_null=True)
    provider = serializers.IntegerField(required=False, allow_null=True)


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class NotificationSerializer(PlannedOutput, serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "created_at", "kind", "title", "body", "case", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), max_length=500)
