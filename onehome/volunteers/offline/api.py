"""The volunteer app's API: restore (the package), sync (a batch from the phone), and the
review queue of conflicts for centre staff. Thin: check who asks, shape, one service."""

from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access.policy import PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.api.list_audit import AuditedList
from onehome.volunteers.models import Volunteer
from onehome.volunteers.roster.selectors import volunteer_of

from . import review, services
from .package import volunteer_package
from .serializers import (
    BatchAnswerSerializer,
    BatchSerializer,
    ConflictSerializer,
    ItemSerializer,
    PackageSerializer,
    ResolveSerializer,
)


def app_volunteer(user) -> Volunteer:
    """The caller's volunteer record: 403 for a login the app is not for, 404 for a
    volunteer login without a record (unlinked)."""
    if not may(user, Action.USE_VOLUNTEER_APP):
        raise PermissionDenied(_("The volunteer app is for volunteers (อพม.)."))
    volunteer = volunteer_of(user)
    if volunteer is None:
        raise Http404
    return volunteer


def _first_error(errors) -> str:
    while isinstance(errors, dict | list):
        if not errors:
            return _("The item could not be read.")
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors)


class PackageView(APIView):
    """Restore: the caller's households and the questionnaire, for offline work."""

    access_policy = PERSONAL_DATA

    @extend_schema(responses={200: PackageSerializer}, operation_id="volunteer_app_package")
    def get(self, request):
        volunteer = app_volunteer(request.user)
        response = Response(volunteer_package(user=request.user, volunteer=volunteer))
        patch_cache_control(response, no_store=True, private=True)
        return response


class SyncView(APIView):
    """Sync: write what the phone queued offline; each item answered on its own."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        request=BatchSerializer,
        responses={200: BatchAnswerSerializer},
        operation_id="volunteer_app_sync",
    )
    def post(self, request):
        volunteer = app_volunteer(request.user)
        batch = BatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        items: list = []
        for raw in batch.validated_data["items"]:
            shaped = ItemSerializer(data=raw)
            if shaped.is_valid():
                items.append(shaped.validated_data)
            else:
                cid = raw.get("client_id", "")
                items.append(services.refused(cid, _first_error(shaped.errors)))
        answers = services.sync_batch(actor=request.user, volunteer=volunteer, items=items)
        return Response({"items": answers})


class ConflictViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Fields changed both on a phone and at the centre, waiting for centre staff."""

    access_policy = PERSONAL_DATA
    serializer_class = ConflictSerializer
    filter_backends: list = []

    def get_queryset(self):
        return review.open_conflicts(self.request.user)

    @extend_schema(request=ResolveSerializer, responses={200: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        # Out of scope answers 404 before the body is read (a 400 would tell it exists).
        conflict = review.conflict_for_review_or_404(user=request.user, pk=pk)
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        conflict = review.resolve_conflict(
            actor=request.user,
            conflict_id=conflict.pk,
            choice=body.validated_data["choice"],
            other=body.validated_data.get("other"),
        )
        return Response(ConflictSerializer(conflict).data)
