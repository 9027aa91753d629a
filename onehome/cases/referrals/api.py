"""REST endpoints for the work on a case after triage: closed-loop referrals between
agencies (inbox, outbox and each answer) and services with their cash-aid approvals.
Thin like `api.py`: a visibility check first (404), then the shape, then one service
(the services' own decisions answer 404 before any other refusal)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access import audit
from onehome.access.policy import PERSONAL_DATA

from . import assistance, referrals
from .api import IF_MATCH
from .api_helpers import _int, _purpose, _valid, _version, _with_etag
from .models import Referral, Service
from .serializers import (
    DecisionSerializer,
    ReasonSerializer,
    ReferralCreateSerializer,
    ReferralOutcomeSerializer,
    ReferralSerializer,
    ReferralStepSerializer,
    ServiceCreateSerializer,
    ServiceSerializer,
)
from .visibility import visible_referrals

BOX_PARAM = OpenApiParameter("box", str, enum=["inbox", "outbox"], description="default inbox")


class ReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Referrals received (inbox) or sent (outbox) by the caller's organisation."""

    access_policy = PERSONAL_DATA
    serializer_class = ReferralSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        user = self.request.user
        p = self.request.query_params
        box = referrals.referral_outbox if p.get("box") == "outbox" else referrals.referral_inbox
        return box(user=user, status=p.get("status") or None).order_by("-sent_at", "-id")

    @extend_schema(parameters=[BOX_PARAM, OpenApiParameter("status", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        """One referral on a case the caller can see (the read is audited)."""
        visible = visible_referrals(request.user).filter(pk=_int(pk))
        referral = visible.select_related("case", "from_org", "to_org").first()
        if referral is None:
            raise Http404
        audit.record_read(actor=request.user, obj=referral, purpose=_purpose(request))
        return _with_etag(ReferralSerializer(referral).data, referral.version)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        data = _valid(ReferralCreateSerializer, request)
        referral = referrals.send_referral(
            actor=request.user,
            case_id=data["case"],
            to_org_id=data["to_org"],
            need=data["need"],
            due_at=data["due_at"],
        )
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    def _step(self, request, pk, service, serializer_class, **fields):
        visible = visible_referrals(request.user).filter(pk=_int(pk))
        if not visible.exists():
            raise Http404
        data = _valid(serializer_class, request)
        version = _version(request, data)
        kwargs = {name: data.get(source, "") for name, source in fields.items()}
        referral = service(actor=request.user, referral_id=_int(pk), version=version, **kwargs)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(
        request=ReferralStepSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(
            request, pk, referrals.accept_referral, ReferralStepSerializer, note="note"
        )

    @extend_schema(
        request=ReasonSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._step(
            request, pk, referrals.decline_referral, ReasonSerializer, reason="reason"
        )

    @extend_schema(
        request=ReferralStepSerializer, responses={200: ReferralSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._step(
            request, pk, referrals.deliver_referral, ReferralStepSerializer, note="note"
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
            referrals.report_referral_outcome,
            ReferralOutcomeSerializer,
            outcome="outcome",
        )


class ServiceViewSet(viewsets.GenericViewSet):
    """Services and assistance on cases; cash aid above the ceiling waits for approval."""

    access_policy = PERSONAL_DATA
    serializer_class = ServiceSerializer
    queryset = Service.objects.none()  # for the schema; every call goes through a service

    @extend_schema(request=ServiceCreateSerializer, responses={201: ServiceSerializer})
    def create(self, request):
        data = _valid(ServiceCreateSerializer, request)
        service = assistance.request_service(
            actor=request.user,
            case_id=data["case"],
            kind=data["kind"],
            description=data.get("description", ""),
            amount=data.get("amount"),
            item_id=data.get("item"),
            quantity=data.get("quantity"),
            recipient_id=data.get("recipient"),
            provider_id=data.get("provider"),
        )
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, pk, service, text_arg):
        # The id is checked before the body so an unknown id answers 404, not 400.
        service_id = _int(pk)
        data = _valid(DecisionSerializer, request)
        kwargs = {text_arg: data.get("reason", "")}
        result = service(actor=request.user, service_id=service_id, **kwargs)
        return Response(ServiceSerializer(result).data)

    @extend_schema(request=DecisionSerializer, responses={200: ServiceSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, assistance.approve_service, "reason")

    @extend_schema(request=DecisionSerializer, responses={200: ServiceSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, assistance.reject_service, "reason")

    @extend_schema(request=DecisionSerializer, responses={200: ServiceSerializer})
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._decide(request, pk, assistance.deliver_service, "note")
