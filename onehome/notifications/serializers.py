"""REST shapes of a user's notifications."""

from rest_framework import serializers

from onehome.api.read_plan import PlannedOutput

from .models import Notification


class NotificationSerializer(PlannedOutput, serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "created_at", "kind", "title", "body", "case", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), max_length=500)
