"""The volunteer records through the API (/api/volunteers/roster/): list (filtered, one
audit row per page) and detail of the caller's area, register, change, status steps,
trainings, awards, the login and the counts per status; clubs (/api/volunteers/clubs/).
Thin: 404 outside the area, the shape, one service. Writes on a record say which version
they change (If-Match or `version`: 428 without, 412/409 when stale)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access import audit
from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.api.versioning import expected_version
from onehome.cases.api_requests import IF_MATCH, parse_id, valid_body, with_etag
from onehome.core.next_steps import WithNextSteps
from onehome.errors import NotInScopeError
from onehome.volunteers.models import (
    Recognition,
    Training,
    Volunteer,
    VolunteerClub,
    VolunteerStatus,
)
from onehome.volunteers.roster import logins, selectors, services, statuses


class VolunteerSerializer(WithNextSteps, serializers.ModelSerializer):
    workflow = statuses.VOLUNTEERS

    name = serializers.CharField(source="person.full_name_th", read_only=True)
    villages = serializers.SerializerMethodField()
    username = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "version",
            "person",
            "name",
            "subdistrict",
            "villages",
            "centre",
            "club",
            "status",
            "appointed_on",
            "term_ends_on",
            "phone",
            "user",
            "username",
            "next_steps",
        ]
        read_only_fields = fields

    def get_villages(self, obj: Volunteer) -> list[str]:
        return sorted(v.code for v in obj.villages.all())

    def get_username(self, obj: Volunteer) -> str:
        return obj.user.username if obj.user_id else ""


class VolunteerInputSerializer(serializers.Serializer):
    subdistrict = serializers.CharField(max_length=6)
    villages = serializers.ListField(
        child=serializers.CharField(max_length=8), max_length=50, help_text="village codes"
    )
    centre = serializers.IntegerField(help_text="id of the centre they work with")
    club = serializers.IntegerField(required=False, allow_null=True)
    appointed_on = serializers.DateField(required=False, allow_null=True)
    term_ends_on = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


class VolunteerCreateSerializer(VolunteerInputSerializer):
    person = serializers.IntegerField(help_text="id of a person of the registry")


class VolunteerUpdateSerializer(VolunteerInputSerializer):
    """Every field optional (PATCH); ``version`` or If-Match says which version changes."""

    version = serializers.IntegerField(required=False)
    subdistrict = serializers.CharField(max_length=6, required=False)
    villages = serializers.ListField(
        child=serializers.CharField(max_length=8), max_length=50, required=False
    )
    centre = serializers.IntegerField(required=False)


class StepSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=VolunteerStatus.choices)
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    appointed_on = serializers.DateField(required=False, allow_null=True)
    term_ends_on = serializers.DateField(required=False, allow_null=True)


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "course", "completed_on", "hours"]


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recognition
        fields = ["id", "award", "given_on", "given_by"]


class LoginSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)


class LoginAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class ClubSerializer(serializers.ModelSerializer):
    class Meta:
        model = VolunteerClub
        fields = ["id", "name", "subdistrict"]


COUNTS = {s: serializers.IntegerField() for s in VolunteerStatus.values}
CountsSerializer = type("VolunteerCountsSerializer", (serializers.Serializer,), COUNTS)
FILTERS = [
    OpenApiParameter("status", str, enum=list(VolunteerStatus.values)),
    OpenApiParameter("area", str, description="Area code: 2, 4, 6 or 8 digits"),
    OpenApiParameter("club", int),
    OpenApiParameter("q", str, description="name or phone"),
]
FIELD_NAMES = {"centre": "centre_id", "club": "club_id"}


def _values(data: dict) -> dict:
    return {FIELD_NAMES.get(k, k): v for k, v in data.items() if k != "version"}


def _record(volunteer: Volunteer, request, code: int = status.HTTP_200_OK) -> Response:
    volunteer = selectors.volunteer_in_scope(request.user, volunteer.pk)
    data = VolunteerSerializer(volunteer, context={"viewer": request.user}).data
    return with_etag(data, volunteer.version, code)


class VolunteerViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Volunteer records of the caller's area (`read_volunteers`); writes need
    `manage_volunteers` on a record of their area."""

    access_policy = PERSONAL_DATA
    serializer_class = VolunteerSerializer

    def get_queryset(self):
        p = self.request.query_params
        club = p.get("club")
        qs = selectors.filter_volunteers(
            selectors.volunteers_in_scope(self.request.user),
            status=p.get("status"),
            area=p.get("area"),
            club=int(club) if club and club.isdigit() and len(club) < 12 else None,
            text=p.get("q"),
        )
        return qs.select_related("person", "user").prefetch_related("villages").order_by("pk")

    def _one(self, pk) -> Volunteer:
        try:
            return selectors.volunteer_in_scope(self.request.user, parse_id(pk))
        except Volunteer.DoesNotExist:
            raise NotInScopeError from None

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: VolunteerSerializer})
    def retrieve(self, request, pk=None):
        volunteer = self._one(pk)
        purpose = audit.current_purpose(f"api GET {request.path}")
        audit.record_read(
            actor=request.user, obj=volunteer, purpose=purpose, person_id=volunteer.person_id
        )
        return _record(volunteer, request)

    @extend_schema(request=VolunteerCreateSerializer, responses={201: VolunteerSerializer})
    def create(self, request):
        data = valid_body(VolunteerCreateSerializer, request)
        person = data.pop("person")
        volunteer = services.register_volunteer(
            actor=request.user, person_id=person, **_values(data)
        )
        return _record(volunteer, request, status.HTTP_201_CREATED)

    @extend_schema(
        request=VolunteerUpdateSerializer,
        responses={200: VolunteerSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, pk=None):
        volunteer = self._one(pk)
        version = expected_version(request)
        data = valid_body(VolunteerUpdateSerializer, request)
        volunteer = services.update_volunteer(
            actor=request.user, volunteer_id=volunteer.pk, version=version, **_values(data)
        )
        return _record(volunteer, request)

    @extend_schema(request=StepSerializer, responses={200: VolunteerSerializer},
                   parameters=[IF_MATCH])  # fmt: skip
    @action(detail=True, methods=["post"], url_path="status")
    def move(self, request, pk=None):
        """One status step (`next_steps` of the record names those the caller may take)."""
        volunteer = self._one(pk)
        version = expected_version(request)
        data = valid_body(StepSerializer, request)
        volunteer = statuses.move_volunteer(
            actor=request.user,
            volunteer_id=volunteer.pk,
            to_status=data["to_status"],
            version=version,
            reason=data.get("reason", ""),
            appointed_on=data.get("appointed_on"),
            term_ends_on=data.get("term_ends_on"),
        )
        return _record(volunteer, request)

    @extend_schema(request=TrainingSerializer, responses={201: TrainingSerializer})
    @action(detail=True, methods=["post"])
    def trainings(self, request, pk=None):
        volunteer = self._one(pk)
        data = valid_body(TrainingSerializer, request)
        training = services.record_training(actor=request.user, volunteer_id=volunteer.pk,
                                            **data)  # fmt: skip
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AwardSerializer, responses={201: AwardSerializer})
    @action(detail=True, methods=["post"])
    def awards(self, request, pk=None):
        volunteer = self._one(pk)
        data = valid_body(AwardSerializer, request)
        award = services.record_award(actor=request.user, volunteer_id=volunteer.pk, **data)
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LoginSerializer, responses={200: LoginAnswerSerializer},
                   parameters=[IF_MATCH])  # fmt: skip
    @action(detail=True, methods=["post"])
    def login(self, request, pk=None):
        """Tie a login to the record: a new one (with a first password) or an existing
        volunteer's login of the same sub-district (no password)."""
        volunteer = self._one(pk)
        version = expected_version(request)
        data = valid_body(LoginSerializer, request)
        data.pop("version", None)
        login = logins.tie_login(
            actor=request.user, volunteer_id=volunteer.pk, version=version, **data
        )
        return Response({"id": login.pk, "username": login.username})


class VolunteerCountsView(APIView):
    """How many volunteers of the caller's area (narrowed by the filters) per status: an
    aggregate, no one's record (`read_volunteers`; none for anyone else)."""

    access_policy = NO_PERSONAL_DATA

    @extend_schema(parameters=FILTERS[1:], responses={200: CountsSerializer})
    def get(self, request):
        p = request.query_params
        club = p.get("club")
        qs = selectors.filter_volunteers(
            selectors.volunteers_in_scope(request.user),
            area=p.get("area"),
            club=int(club) if club and club.isdigit() and len(club) < 12 else None,
            text=p.get("q"),
        )
        return Response(selectors.counts_by_status(qs))


class ClubViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The volunteers' clubs of the caller's area (names of clubs, no one's personal data);
    a new one (`manage_volunteers`)."""

    access_policy = NO_PERSONAL_DATA
    serializer_class = ClubSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.clubs_in_scope(self.request.user).order_by("subdistrict_id", "name")

    @extend_schema(request=ClubSerializer, responses={201: ClubSerializer})
    def create(self, request):
        data = valid_body(ClubSerializer, request)
        club = services.create_club(
            actor=request.user, name=data["name"], subdistrict=data["subdistrict"].code
        )
        return Response(ClubSerializer(club).data, status=status.HTTP_201_CREATED)
