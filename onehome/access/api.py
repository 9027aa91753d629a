"""The audit log through the API, for auditors; anyone else gets 404."""

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from onehome.access.policy import PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.api.schema import model_for_schema
from onehome.privacy.retention.audit_view import mask

from .models import AuditEvent
from .selectors import audit_events, can_read_audit


class AuditEventListSerializer(serializers.ListSerializer):
    """Rows about records the retention schedule anonymised are shown pseudonymised (the
    log itself never changes; `privacy.retention.audit_view`)."""

    def to_representation(self, data):
        return mask(super().to_representation(data))


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        list_serializer_class = AuditEventListSerializer
        fields = [
            "id",
            "at",
            "actor_id",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "household_id",
            "before",
            "after",
            "purpose",
            "channel",
            "ip",
        ]


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": "YYYY-MM-DD"}) from None


@extend_schema(
    parameters=[
        OpenApiParameter("person", int),
        OpenApiParameter("actor", str),
        OpenApiParameter("date_from", str),
        OpenApiParameter("date_to", str),
    ]
)
class AuditEventViewSet(AuditedList, viewsets.ReadOnlyModelViewSet):
    access_policy = PERSONAL_DATA
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model_for_schema(AuditEvent)
        user = self.request.user
        if not can_read_audit(user):
            raise Http404
        p = self.request.query_params
        person = p.get("person")
        return audit_events(
            user=user,
            person_id=int(person) if person and person.isdigit() else None,
            actor=p.get("actor"),
            date_from=_date(p.get("date_from")),
            date_to=_date(p.get("date_to")),
        )
