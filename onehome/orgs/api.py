"""The organisation directory and agreements through the API (no personal data)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from onehome.access.policy import NO_PERSONAL_DATA

from . import selectors
from .models import Agreement, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    group = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "kind",
            "group",
            "name_th",
            "name_en",
            "parent",
            "province",
            "location",
            "serves",
            "phone",
            "accepts_referrals",
            "contribution",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "code",
            "title",
            "parties",
            "signed_on",
            "valid_until",
            "scope",
            "provinces",
            "document",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("group", str, enum=["agency", "centre", "partner"]),
        OpenApiParameter("province", str),
        OpenApiParameter("subdistrict", str),
    ]
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    access_policy = NO_PERSONAL_DATA
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.directory(
            group=p.get("group"), province=p.get("province"), subdistrict=p.get("subdistrict")
        ).prefetch_related("serves")


@extend_schema(parameters=[OpenApiParameter("province", str)])
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    access_policy = NO_PERSONAL_DATA
    serializer_class = AgreementSerializer

    def get_queryset(self):
        return selectors.agreements(
            province=self.request.query_params.get("province")
        ).prefetch_related("provinces")
