"""REST shape of a request to break the glass."""

from rest_framework import serializers


class GlassSerializer(serializers.Serializer):
    # Checked by the service after the scope, so an out-of-scope caller always gets 404.
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
