"""Areas through the API: read the national geography; create villages."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from onehome.access.policy import NO_PERSONAL_DATA

from . import selectors, services
from .models import District, InspectionRegion, Province, Subdistrict, Village


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionRegion
        fields = ["code", "number", "name_th", "name_en"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_th", "name_en", "region"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name_th", "name_en", "province"]


class SubdistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subdistrict
        fields = ["code", "name_th", "name_en", "district", "province", "postal_code"]


class VillageSerializer(serializers.ModelSerializer):
    code = serializers.CharField(max_length=8)

    class Meta:
        model = Village
        fields = ["code", "number", "name_th", "name_en", "subdistrict"]
        read_only_fields = ["number", "subdistrict"]


class _AreaViewSet(viewsets.ReadOnlyModelViewSet):
    access_policy = NO_PERSONAL_DATA
    level: str = ""
    # An area is named by its DOPA code, its primary key (the schema shows `{code}`).
    lookup_field = "code"

    def get_queryset(self):
        return selectors.areas(self.level, parent=self.request.query_params.get("parent"))


class RegionViewSet(_AreaViewSet):
    level = "region"
    serializer_class = RegionSerializer
    pagination_class = None


class ProvinceViewSet(_AreaViewSet):
    level = "province"
    serializer_class = ProvinceSerializer
    pagination_class = None


class DistrictViewSet(_AreaViewSet):
    level = "district"
    serializer_class = DistrictSerializer


class SubdistrictViewSet(_AreaViewSet):
    level = "subdistrict"
    serializer_class = SubdistrictSerializer


class VillageViewSet(mixins.CreateModelMixin, _AreaViewSet):
    level = "village"
    serializer_class = VillageSerializer

    def create(self, request, *args, **kwargs):
        ser = VillageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        village = services.create_village(actor=request.user, **ser.validated_data)
        return Response(VillageSerializer(village).data, status=201)
