"""REST shapes of the SLA pause of a case and its resumption."""

from rest_framework import serializers


class PauseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    version = serializers.IntegerField(required=False)


class VersionOnlySerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
