"""REST endpoints of assistance: services on cases with their cash-aid approvals
(/api/services/), and the stock of in-kind aid per centre (/api/stock/). Thin: the
services' own decisions answer 404 before any other refusal."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.api.schema import model_for_schema
from onehome.cases.api_requests import IF_MATCH, parse_id, read_version, valid_body, with_etag
from onehome.cases.assistance import selectors, services, stock
from onehome.cases.assistance.serializers import (
    DecisionSerializer,
    ReceiveStockSerializer,
    ServiceCreateSerializer,
    ServiceSerializer,
    StockItemSerializer,
    StockSerializer,
)
from onehome.cases.models import Service, Stock


class ServiceViewSet(viewsets.GenericViewSet):
    """Services and assistance on cases; cash aid above the ceiling waits for approval."""

    access_policy = PERSONAL_DATA
    serializer_class = ServiceSerializer

    def get_queryset(self):
        # Only the schema generator asks (every call goes through a service): the model
        # types the `{id}` of the decisions.
        return model_for_schema(Service)

    @extend_schema(request=ServiceCreateSerializer, responses={201: ServiceSerializer})
    def create(self, request):
        data = valid_body(ServiceCreateSerializer, request)
        service = services.request_service(
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
        return Response(
            ServiceSerializer(service, context={"viewer": request.user}).data,
            status=status.HTTP_201_CREATED,
        )

    def _decide(self, request, pk, service, text_arg):
        # The id is checked before the body so an unknown id answers 404, not 400.
        service_id = parse_id(pk)
        if not selectors.service_is_visible(user=request.user, service_id=service_id):
            raise Http404
        data = valid_body(DecisionSerializer, request)
        version = read_version(request, data)
        kwargs = {text_arg: data.get("reason", "")}
        result = service(actor=request.user, service_id=service_id, version=version, **kwargs)
        return with_etag(
            ServiceSerializer(result, context={"viewer": request.user}).data, result.version
        )

    @extend_schema(
        request=DecisionSerializer, responses={200: ServiceSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, services.approve_service, "reason")

    @extend_schema(
        request=DecisionSerializer, responses={200: ServiceSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, services.reject_service, "reason")

    @extend_schema(
        request=DecisionSerializer, responses={200: ServiceSerializer}, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._decide(request, pk, services.deliver_service, "note")


class StockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stock of in-kind aid per centre: `?organisation=<id>` (default the caller's own).
    Stock holds no personal data; only a centre's own staff receive into it."""

    access_policy = NO_PERSONAL_DATA
    serializer_class = StockSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model_for_schema(Stock)
        user = self.request.user
        org = self.request.query_params.get("organisation") or user.organisation_id
        return selectors.stock_shown_to(user, organisation=org)

    @extend_schema(
        parameters=[OpenApiParameter("organisation", int, description="default: your own")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: StockItemSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def items(self, request):
        return Response(StockItemSerializer(selectors.stock_items(), many=True).data)

    @extend_schema(request=ReceiveStockSerializer, responses={201: StockSerializer})
    @action(detail=False, methods=["post"])
    def receive(self, request):
        if request.user.organisation_id is None:
            # stock.receive_stock compares organisations and would let None == None through.
            raise Http404
        data = valid_body(ReceiveStockSerializer, request)
        held = stock.receive_stock(
            actor=request.user,
            organisation_id=request.user.organisation_id,
            item_id=data["item"],
            quantity=data["quantity"],
            note=data.get("note", ""),
        )
        return Response(StockSerializer(held).data, status=status.HTTP_201_CREATED)
