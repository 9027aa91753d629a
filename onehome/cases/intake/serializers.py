"""REST shapes of reports: a report as the hotline sends it, as staff read it, what a
reporter may know of it, and the inputs of triage (accept, merge, close).

Input serializers only check shapes (types, lengths, choices); the rules are in the
services, which raise the user errors the API turns into 400/404/409/412. Output
serializers read what the selectors prefetched, so a list costs the same few queries
whatever its length.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput
from onehome.cases.intake import catalogue
from onehome.cases.intake.selectors import report_parties_shown_to
from onehome.cases.intake.triage import REPORTS
from onehome.cases.models import CallType, Channel, Party, PartyRole, Report, Risk, Urgency
from onehome.core.next_steps import WithNextSteps


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


class ReportSerializer(WithNextSteps, PlannedOutput, serializers.ModelSerializer):
    workflow = REPORTS

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
            "next_steps",
        ]
        read_only_fields = fields

    def get_category_label(self, obj: Report) -> str:
        return catalogue.label(obj.category, obj.subcategory)

    def get_parties(self, obj: Report) -> list[dict]:
        # Who may see which party is the selector's to say; the context names the viewer.
        parties = report_parties_shown_to(self.context.get("viewer"), obj)
        return PartySerializer(parties, many=True).data


class ReportAcceptSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class ReportMergeSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("id of the open case the report joins"))
    version = serializers.IntegerField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False)
