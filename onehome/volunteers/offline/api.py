"""The volunteer app's API: restore (the package), sync (a batch from the phone), and the
review queue of conflicts for centre staff. Thin: check who asks, shape, one service."""

from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access.policy import PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.api.list_audit import AuditedList
from onehome.volunteers.models import Volunteer
from onehome.volunteers.roster.selectors import volunteer_of

from . import answers, review, services
from .package import volunteer_package
from .serializers import (
    BatchAnswerSerializer,
    BatchSerializer,
    ChangedSinceSerializer,
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


def _shaped(raw: dict):
    """One item checked for its shape: its data, or its refusal."""
    shaped = ItemSerializer(data=raw)
    if shaped.is_valid():
        return shaped.validated_data
    return answers.refused(raw.get("client_id", ""), _first_error(shaped.errors))


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
        raw_items = batch.validated_data["items"]
        # The usual batch is well-formed throughout: one serializer checks it all. Else each
        # item on its own, so that only the malformed ones are refused, each with its message.
        every = ItemSerializer(data=raw_items, many=True)
        items = list(every.validated_data) if every.is_valid() else [_shaped(r) for r in raw_items]
        answered = services.sync_batch(actor=request.user, volunteer=volunteer, items=items)
        return Response({"items": answered})


class ConflictViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Fields changed both on a phone and at the centre, waiting for centre staff."""

    access_policy = PERSONAL_DATA
    serializer_class = ConflictSerializer
    filter_backends: list = []

    def get_queryset(self):
        return review.open_conflicts(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return review.attach_current(list(page)) if page is not None else None

    @extend_schema(
        request=ResolveSerializer, responses={200: ConflictSerializer, 409: ChangedSinceSerializer}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        # Out of scope answers 404 before the body is read (a 400 would tell it exists).
        conflict = review.conflict_for_review_or_404(user=request.user, pk=pk)
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            conflict = review.resolve_conflict(
                actor=request.user,
                conflict_id=conflict.pk,
                choice=body.validated_data["choice"],
                other=body.validated_data.get("other"),
                replaces=body.validated_data.get("replaces"),
            )
        except review.ChangedSinceError as exc:
            return Response(
                {"detail": " ".join(exc.messages), "code": "changed_since", "current": exc.current},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ConflictSerializer(conflict).data)
