"""Areas through the API: read the national geography; create villages."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from onehome.access.policy import NO_PERSONAL_DATA

from . import services
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
    parent_field: str | None = None

    def get_queryset(self):
        qs = self.queryset
        parent = self.request.query_params.get("parent")
        if parent and self.parent_field:
            qs = qs.filter(**{self.parent_field: parent})
        return qs


class RegionViewSet(_AreaViewSet):
    queryset = InspectionRegion.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None


class ProvinceViewSet(_AreaViewSet):
    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    parent_field = "region_id"
    pagination_class = None


class DistrictViewSet(_AreaViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    parent_field = "province_id"


class SubdistrictViewSet(_AreaViewSet):
    queryset = Subdistrict.objects.all()
    serializer_class = SubdistrictSerializer
    parent_field = "district_id"


class VillageViewSet(mixins.CreateModelMixin, _AreaViewSet):
    queryset = Village.objects.all()
    serializer_class = VillageSerializer
    parent_field = "subdistrict_id"

    def create(self, request, *args, **kwargs):
        ser = VillageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        village = services.create_village(**ser.validated_data)
        return Response(VillageSerializer(village).data, status=201)
