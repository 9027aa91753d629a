"""REST endpoints for people, households, memberships and merges. Thin: parse, call a
service or selector, render. Every queryset comes from a scoped selector."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from onehome.access import audit
from onehome.access.policy import PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.api.list_audit import AuditedList
from onehome.api.versioning import etag, expected_version
from onehome.web.templatetags.onehome_ui import mask_id

from . import merge, selectors, services
from .models import (
    Disability,
    Household,
    IdType,
    Membership,
    Person,
    PersonMerge,
    Relationship,
    Sex,
)
from .target_groups import HOUSEHOLD_GROUPS, PERSON_GROUPS, age, groups_of_person

AREA_PARAM = OpenApiParameter("area", str, description="Area code: 2, 4, 6 or 8 digits")
PERSON_GROUP_PARAM = OpenApiParameter("group", str, enum=list(PERSON_GROUPS))
HOUSEHOLD_GROUP_PARAM = OpenApiParameter("group", str, enum=list(HOUSEHOLD_GROUPS))
REVEAL_PARAM = OpenApiParameter(
    "reveal", str, enum=["1"], description="full national ID numbers (each one is audited)"
)


class PersonSerializer(serializers.ModelSerializer):
    """A person; the national ID masked as the pages show it (all but the last 4 characters)
    unless the view was asked to reveal it (`?reveal=1`, context `reveal`)."""

    id_number = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "version",
            "id_type",
            "id_number",
            "title",
            "first_name_th",
            "last_name_th",
            "first_name_en",
            "last_name_en",
            "sex",
            "birth_date",
            "birth_date_approximate",
            "age",
            "target_groups",
            "disability",
            "phone",
            "line_id",
            "no_fixed_address",
            "subdistrict",
            "village",
            "merged_into",
        ]
        read_only_fields = fields

    def get_id_number(self, obj: Person) -> str | None:
        if obj.id_number and not self.context.get("reveal"):
            return mask_id(obj.id_number)
        return obj.id_number

    def get_age(self, obj: Person) -> int | None:
        return age(obj.birth_date, timezone.localdate())

    def get_target_groups(self, obj: Person) -> list[str]:
        return groups_of_person(obj, today=timezone.localdate())


class PersonSearchResultSerializer(PersonSerializer):
    """A person found by a search (`?q=`): the person, and what tells namesakes apart —
    the village and sub-district names and the current household."""

    village_name = serializers.SerializerMethodField()
    subdistrict_name = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "village_name", "subdistrict_name", "household"]
        read_only_fields = fields

    def get_village_name(self, obj: Person) -> str:
        return str(obj.village) if obj.village_id else ""

    def get_subdistrict_name(self, obj: Person) -> str:
        return obj.subdistrict.name

    def get_household(self, obj: Person) -> int | None:
        current = getattr(obj, "current", None)
        return current.household_id if current else None


class PersonUpdateSerializer(serializers.Serializer):
    """Fields a client may change; every one optional (PATCH)."""

    version = serializers.IntegerField(required=False)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False)
    id_number = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=30)
    first_name_th = serializers.CharField(required=False, max_length=100)
    last_name_th = serializers.CharField(required=False, allow_blank=True, max_length=100)
    first_name_en = serializers.CharField(required=False, allow_blank=True, max_length=100)
    last_name_en = serializers.CharField(required=False, allow_blank=True, max_length=100)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=9999
    )
    disability = serializers.ChoiceField(
        choices=Disability.choices, required=False, allow_blank=True
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    line_id = serializers.CharField(required=False, allow_blank=True, max_length=50)
    no_fixed_address = serializers.BooleanField(required=False)


class PersonCreateSerializer(PersonUpdateSerializer):
    """A new person: the update fields, with document type, Thai first name and area required."""

    version = None
    id_type = serializers.ChoiceField(choices=IdType.choices)
    first_name_th = serializers.CharField(max_length=100)
    subdistrict = serializers.CharField(max_length=6)
    village = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=8)
    acknowledge_duplicates = serializers.BooleanField(required=False, default=False)


class MergeRequestSerializer(serializers.Serializer):
    duplicate = serializers.IntegerField(help_text="id of the record that is absorbed")
    reason = serializers.CharField(max_length=300)


class MergeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonMerge
        fields = ["id", "kept", "duplicate", "reason", "moved", "merged_at", "undone_at"]


class UndoSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MembershipSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name_th", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "household",
            "person",
            "person_name",
            "relationship",
            "start_date",
            "end_date",
            "end_reason",
        ]


class AddMemberSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    since = serializers.DateField(required=False)


class HouseholdUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    village = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=8)
    house_no = serializers.CharField(required=False, allow_blank=True, max_length=30)
    registration_no = serializers.CharField(required=False, allow_blank=True, max_length=11)
    address_detail = serializers.CharField(required=False, allow_blank=True, max_length=200)


class HouseholdSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "version",
            "house_no",
            "registration_no",
            "address_detail",
            "subdistrict",
            "village",
            "members",
        ]
        read_only_fields = ["id", "version", "members"]

    def get_members(self, obj: Household) -> list[dict]:
        current = [m for m in obj.memberships.all() if m.end_date is None]
        return MembershipSerializer(current, many=True).data


def _with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


class PersonViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """People in the caller's area. Every read is audited (a list: one row naming the page
    returned); national IDs are masked unless `?reveal=1`; writes go through services."""

    access_policy = PERSONAL_DATA
    serializer_class = PersonSerializer

    def get_queryset(self):
        qs = selectors.people_in_scope(self.request.user)
        params = self.request.query_params
        return selectors.filter_people(qs, area=params.get("area"), group=params.get("group"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reveal": _reveal(self.request)}

    def paginate_queryset(self, queryset):
        self.page_rows = super().paginate_queryset(queryset)
        return self.page_rows

    @extend_schema(
        parameters=[
            AREA_PARAM,
            PERSON_GROUP_PARAM,
            OpenApiParameter("q", str, description="national ID or name"),
            REVEAL_PARAM,
        ]
    )
    def list(self, request, *args, **kwargs):
        reveal = _reveal(request)
        if q := request.query_params.get("q"):
            p = request.query_params
            # The search writes this request's row itself (a search row naming the results).
            people = selectors.search_people(
                request.user, q, area=p.get("area"), group=p.get("group")
            )
            self.list_audited = True
            if reveal:
                audit.record_reveals(request.user, people)
            selectors.with_current_household(people)
            results = PersonSearchResultSerializer(people, many=True, context={"reveal": reveal})
            return Response(
                {"count": len(people), "next": None, "previous": None, "results": results.data}
            )
        response = super().list(request, *args, **kwargs)
        if reveal:
            audit.record_reveals(request.user, self.page_rows or [])
        return response

    @extend_schema(parameters=[REVEAL_PARAM])
    def retrieve(self, request, pk=None):
        reveal = _reveal(request)
        purpose = "reveal id" if reveal else _purpose(request)
        person = selectors.person_for_view(request.user, _int(pk), purpose=purpose)
        body = PersonSerializer(person, context={"reveal": reveal}).data
        return _with_etag(Response(body), person.version)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def create(self, request):
        data = _valid(PersonCreateSerializer, request)
        try:
            person = services.register_person(actor=request.user, purpose=_purpose(request), **data)
        except services.LikelyDuplicatesError as exc:  # the 409 names them: on the record
            selectors.record_candidates_shown(request.user, list(exc.candidates))
            raise
        return _with_etag(Response(_person_body(request, person), status=201), person.version)

    @extend_schema(
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer},
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    )
    def partial_update(self, request, pk=None):
        selectors.person_in_scope(request.user, _int(pk))
        version = expected_version(request)
        changes = _valid(PersonUpdateSerializer, request)
        changes.pop("version", None)
        person = services.update_person(
            actor=request.user,
            person_id=_int(pk),
            expected_version=version,
            changes=changes,
            purpose=_purpose(request),
        )
        return _with_etag(Response(_person_body(request, person)), person.version)

    @extend_schema(request=MergeRequestSerializer, responses={201: MergeSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        selectors.person_in_scope(request.user, _int(pk))
        data = _valid(MergeRequestSerializer, request)
        result = merge.merge_people(
            actor=request.user,
            kept_id=_int(pk),
            duplicate_id=data["duplicate"],
            reason=data["reason"],
        )
        return Response(MergeSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MembershipSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # all of them, not a page
    def households(self, request, pk=None):
        person = selectors.person_for_view(request.user, _int(pk), purpose=_purpose(request))
        return Response(MembershipSerializer(selectors.memberships_of(person), many=True).data)


class HouseholdViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    access_policy = PERSONAL_DATA
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        qs = selectors.households_in_scope(self.request.user).prefetch_related(
            "memberships__person"
        )
        params = self.request.query_params
        return selectors.filter_households(qs, area=params.get("area"), group=params.get("group"))

    @extend_schema(parameters=[AREA_PARAM, HOUSEHOLD_GROUP_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        household = selectors.household_for_view(request.user, _int(pk), purpose=_purpose(request))
        return _with_etag(Response(HouseholdSerializer(household).data), household.version)

    def create(self, request):
        ser = HouseholdSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["subdistrict"] = data["subdistrict"].code
        data["village"] = data["village"].code if data.get("village") else None
        household = services.create_household(actor=request.user, purpose=_purpose(request), **data)
        return Response(HouseholdSerializer(household).data, status=201)

    @extend_schema(
        request=HouseholdUpdateSerializer,
        responses={200: HouseholdSerializer},
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    )
    def partial_update(self, request, pk=None):
        selectors.household_in_scope(request.user, _int(pk))
        version = expected_version(request)
        changes = _valid(HouseholdUpdateSerializer, request)
        changes.pop("version", None)
        household = services.update_household(
            actor=request.user,
            household_id=_int(pk),
            expected_version=version,
            changes=changes,
            purpose=_purpose(request),
        )
        return _with_etag(Response(HouseholdSerializer(household).data), household.version)

    @extend_schema(request=AddMemberSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        selectors.household_in_scope(request.user, _int(pk))
        data = _valid(AddMemberSerializer, request)
        m = services.add_member(
            actor=request.user,
            household_id=_int(pk),
            person_id=data["person"],
            relationship=data["relationship"],
            since=data.get("since"),
            purpose=_purpose(request),
        )
        return Response(MembershipSerializer(m).data, status=201)


class MergeViewSet(viewsets.GenericViewSet):
    access_policy = PERSONAL_DATA
    serializer_class = MergeSerializer

    def get_queryset(self):
        return selectors.merges_in_scope(self.request.user)

    def retrieve(self, request, pk=None):
        return Response(MergeSerializer(self.get_object()).data)

    @extend_schema(request=UndoSerializer, responses={200: MergeSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        self.get_object()
        data = _valid(UndoSerializer, request)
        result = merge.undo_merge(actor=request.user, merge_id=_int(pk), reason=data["reason"])
        return Response(MergeSerializer(result).data)


def _reveal(request) -> bool:
    """Whether the caller asked for full national ID numbers (`?reveal=1`): only a role that
    may read personal data may (403 for any other)."""
    if request.query_params.get("reveal") != "1":
        return False
    if not may(request.user, Action.READ_PERSONAL_DATA):
        raise PermissionDenied(_("Your role may not see full national ID numbers."))
    return True


def _person_body(request, person: Person) -> dict:
    """A person just written, as the answer shows it (a revealed ID is audited)."""
    reveal = _reveal(request)
    if reveal:
        audit.record_reveals(request.user, [person])
    return PersonSerializer(person, context={"reveal": reveal}).data


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def _purpose(request) -> str:
    """Why the caller reads or writes: the X-Purpose header as the audit log keeps it (one
    cleaning for every row: `access.middleware.stated_purpose`), else the endpoint's name."""
    return audit.current_purpose(f"api {request.method} {request.path}")
