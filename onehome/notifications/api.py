"""REST endpoints of the caller's own notifications: the list and marking them read."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import PERSONAL_DATA
from onehome.api.list_audit import AuditedList

from . import selectors, services
from .serializers import MarkReadSerializer, NotificationSerializer


class NotificationViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first."""

    access_policy = PERSONAL_DATA
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.inbox(self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: inline_serializer("Marked", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return Response({"marked": services.mark_read(user=request.user, ids=data["ids"])})
