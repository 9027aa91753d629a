"""REST endpoints of closed-loop referrals between agencies: inbox, outbox, one referral,
sending one and each answer. Thin: a visibility check first (404), then the shape, then
one service."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.api.schema import model_for_schema
from onehome.cases.api_requests import (
    IF_MATCH,
    parse_id,
    read_purpose,
    read_version,
    valid_body,
    with_etag,
)
from onehome.cases.intake.serializers import ReasonSerializer
from onehome.cases.models import Referral, ReferralStatus
from onehome.cases.referrals import selectors, services
from onehome.cases.referrals.serializers import (
    ReferralCreateSerializer,
    ReferralOutcomeSerializer,
    ReferralSerializer,
    ReferralStepSerializer,
)

BOX_PARAM = OpenApiParameter("box", str, enum=["inbox", "outbox"], description="default inbox")


class ReferralViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Referrals received (inbox) or sent (outbox) by the caller's organisation."""

    access_policy = PERSONAL_DATA
    serializer_class = ReferralSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model_for_schema(Referral)
        user = self.request.user
        p = self.request.query_params
        box = selectors.referral_outbox if p.get("box") == "outbox" else selectors.referral_inbox
        return box(user=user, status=p.get("status") or None).order_by("-sent_at", "-id")

    @extend_schema(
        parameters=[BOX_PARAM, OpenApiParameter("status", str, enum=ReferralStatus.values)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        """One referral on a case the caller can see (the read is audited)."""
        referral = selectors.referral_for_view(
            request.user, parse_id(pk), purpose=read_purpose(request)
        )
        return with_etag(
            ReferralSerializer(referral, context={"viewer": request.user}).data, referral.version
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        data = valid_body(ReferralCreateSerializer, request)
        referral = services.send_referral(
            actor=request.user,
            case_id=data["case"],
            to_org_id=data["to_org"],
            need=data["need"],
            due_at=data["due_at"],
            emergency_reason=data.get("emergency_reason", ""),
        )
        return Response(
            ReferralSerializer(referral, context={"viewer": request.user}).data,
            status=status.HTTP_201_CREATED,
        )

    def _step(self, request, pk, service, serializer_class, **fields):
        if not selectors.may_see_referral(request.user, parse_id(pk)):
            raise Http404
        data = valid_body(serializer_class, request)
        version = read_version(request, data)
        kwargs = {name: data.get(source, "") for name, source in fields.items()}
        referral = service(actor=request.user, referral_id=parse_id(pk), version=version, **kwargs)
        return Response(ReferralSerializer(referral, context={"viewer": request.user}).data)

    @extend_schema(
        request=ReferralStepSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(
            request, pk, services.accept_referral, ReferralStepSerializer, note="note"
        )

    @extend_schema(
        request=ReasonSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._step(request, pk, services.decline_referral, ReasonSerializer, reason="reason")

    @extend_schema(
        request=ReferralStepSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._step(
            request, pk, services.deliver_referral, ReferralStepSerializer, note="note"
        )

    @extend_schema(
        request=ReferralOutcomeSerializer,
        responses={200: ReferralSerializer},
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._step(
            request,
            pk,
            services.report_referral_outcome,
            ReferralOutcomeSerializer,
            outcome="outcome",
        )
