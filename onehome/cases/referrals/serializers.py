"""REST shapes of closed-loop referrals: the referral as read, and each step's input."""

from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput
from onehome.cases.models import Referral
from onehome.cases.referrals.services import REFERRALS
from onehome.core.next_steps import WithNextSteps


class ReferralSerializer(WithNextSteps, PlannedOutput, serializers.ModelSerializer):
    workflow = REFERRALS

    case_number = serializers.CharField(source="case.number", read_only=True)
    # Where the case stands: sending a referral moves it to "referred" when it may.
    case_status = serializers.CharField(source="case.status", read_only=True)
    from_org_name = serializers.CharField(source="from_org.name_th", read_only=True)
    to_org_name = serializers.CharField(source="to_org.name_th", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "case",
            "case_number",
            "case_status",
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
            "next_steps",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    to_org = serializers.IntegerField()
    need = serializers.CharField(max_length=2000)
    due_at = serializers.DateField()
    emergency_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="PDPA vital interest: why an organisation outside the ministry receives "
        "the case without the people's consent (recorded as an override)",
    )


class ReferralStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReferralOutcomeSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    outcome = serializers.CharField(max_length=5000)
