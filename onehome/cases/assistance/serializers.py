"""REST shapes of services and assistance on a case (with cash-aid decisions) and of a
centre's stock of in-kind aid. Input shapes only; the services hold the rules."""

from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput
from onehome.cases.assistance.services import SERVICES
from onehome.cases.models import Service, ServiceKind, Stock, StockItem
from onehome.core.next_steps import WithNextSteps


class ServiceSerializer(WithNextSteps, PlannedOutput, serializers.ModelSerializer):
    workflow = SERVICES

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
            "version",
            "next_steps",
        ]
        read_only_fields = fields


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
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class StockItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockItem
        fields = ["id", "code", "name_th", "name_en", "unit"]
        read_only_fields = fields


class StockSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name_th", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = Stock
        fields = ["organisation", "item", "item_code", "item_name", "unit", "quantity"]
        read_only_fields = fields


class ReceiveStockSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)
