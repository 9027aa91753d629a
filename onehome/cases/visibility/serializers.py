"""REST shapes of a request to break the glass and of one to lower a case's sensitivity."""

from rest_framework import serializers


class GlassSerializer(serializers.Serializer):
    # Checked by the service after the scope, so an out-of-scope caller always gets 404.
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class LowerSensitivitySerializer(serializers.Serializer):
    # Checked by the service (at least 10 characters), after the case and the decider.
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    version = serializers.IntegerField(required=False)
