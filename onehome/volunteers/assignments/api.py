"""Assignments through the API (/api/volunteers/assignments/): the list of the caller's
area (one audit row per page), give one household, reassign, end, assign a case's
household, the bulk preview and its confirmation; and the coverage of a target list (counts, an
APIView of its own: /api/volunteers/assignments/coverage/).
Thin: the shape, one service; NotInScopeError becomes 404 and a refusal 400
(`api.errors`). Assignments carry no version: their writes are idempotent instead
(assigning twice to the same volunteer, ending twice, confirming a preview twice)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access import audit
from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.api.schema import model_for_schema
from onehome.cases.api_requests import parse_id, valid_body
from onehome.volunteers.assignments import selectors, services
from onehome.volunteers.assignments.coverage import coverage
from onehome.volunteers.models import Assignment


class AssignmentSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.person.full_name_th", read_only=True)
    subdistrict = serializers.CharField(source="household.subdistrict_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "household",
            "subdistrict",
            "volunteer",
            "volunteer_name",
            "source",
            "run",
            "case",
            "started_at",
            "ended_at",
            "end_reason",
            "is_open",
        ]
        read_only_fields = fields


class AssignInputSerializer(serializers.Serializer):
    household = serializers.IntegerField(min_value=1, help_text="id of a registry household")
    volunteer = serializers.IntegerField(min_value=1, help_text="id of a working volunteer")


class ReassignInputSerializer(AssignInputSerializer):
    reason = serializers.CharField(max_length=200)


class FromCaseInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    volunteer = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="none: by village and load"
    )


class EndInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BulkInputSerializer(serializers.Serializer):
    run = serializers.IntegerField(min_value=1, help_text="a finished targeting run")
    subdistrict = serializers.RegexField(r"^\d{6}$", help_text="sub-district code")


class BulkConfirmSerializer(BulkInputSerializer):
    token = serializers.CharField(max_length=64, help_text="the preview's token")


class PlannedRowSerializer(serializers.Serializer):
    survey_household = serializers.CharField()
    village_code = serializers.CharField()
    household = serializers.IntegerField(source="household_id", allow_null=True)
    status = serializers.ChoiceField(choices=["assign", "already", "no_volunteer", "elsewhere",
                                              "not_registered"])  # fmt: skip
    volunteer = serializers.IntegerField(source="volunteer.pk", allow_null=True, default=None)
    of_village = serializers.BooleanField()


class LoadSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="id")
    name = serializers.CharField(source="volunteer.person.full_name_th")
    before = serializers.IntegerField(source="load_before")
    after = serializers.IntegerField(source="load")


class BulkPlanSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    subdistrict = serializers.CharField(source="subdistrict.code")
    token = serializers.CharField()
    to_assign = serializers.IntegerField()
    already = serializers.IntegerField()
    rows = PlannedRowSerializer(many=True)
    loads = LoadSerializer(many=True)


class BulkResultSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()
    skipped = serializers.IntegerField()
    repeated = serializers.BooleanField(help_text="this preview was confirmed before")
    households = serializers.ListField(child=serializers.IntegerField())


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    targets = serializers.IntegerField()
    with_volunteer = serializers.IntegerField()
    without_volunteer = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    area = CoverageRowSerializer()
    rows = CoverageRowSerializer(many=True)


def _answer(assignment: Assignment, code: int = status.HTTP_200_OK) -> Response:
    return Response(AssignmentSerializer(assignment).data, status=code)


LIST_PARAMS = [
    OpenApiParameter("open", bool, description="open assignments only (default true)"),
    OpenApiParameter("volunteer", int),
    OpenApiParameter("household", int, description="with open=false: its whole history"),
    OpenApiParameter("subdistrict", str),
]


class AssignmentViewSet(AuditedList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Households given to volunteers in the caller's area."""

    access_policy = PERSONAL_DATA
    serializer_class = AssignmentSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model_for_schema(Assignment)
        p = self.request.query_params
        ids = {k: parse_id(p[k]) for k in ("volunteer", "household") if p.get(k)}
        return selectors.assignments_in_scope(
            user=self.request.user,
            open_only=p.get("open", "true").lower() not in ("false", "0", "no"),
            volunteer_id=ids.get("volunteer"),
            household_id=ids.get("household"),
            subdistrict=(p.get("subdistrict") or "")[:6],
        )

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssignInputSerializer, responses={201: AssignmentSerializer})
    def create(self, request):
        """Give one household to a volunteer (the same again: the open assignment, 201)."""
        data = valid_body(AssignInputSerializer, request)
        assignment = services.assign_household(
            actor=request.user, household_id=data["household"], volunteer_id=data["volunteer"]
        )
        return _answer(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=ReassignInputSerializer, responses={201: AssignmentSerializer})
    @action(detail=False, methods=["post"])
    def reassign(self, request):
        """End the household's open assignment with a reason and give it to another."""
        data = valid_body(ReassignInputSerializer, request)
        assignment = services.reassign_household(
            actor=request.user,
            household_id=data["household"],
            volunteer_id=data["volunteer"],
            reason=data["reason"],
        )
        return _answer(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=FromCaseInputSerializer, responses={201: AssignmentSerializer})
    @action(detail=False, methods=["post"], url_path="from-case")
    def from_case(self, request):
        """Give a case's household to the volunteer named, else by village and load."""
        data = valid_body(FromCaseInputSerializer, request)
        assignment = services.assign_from_case(
            actor=request.user, case_id=data["case"], volunteer_id=data.get("volunteer")
        )
        return _answer(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=EndInputSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Unassign, with a reason (an ended assignment: returned as it is)."""
        # The record first: outside the caller's area is 404 whatever the body.
        found = selectors.assignment_in_scope_or_404(user=request.user, pk=parse_id(pk))
        data = valid_body(EndInputSerializer, request)
        assignment = services.end_assignment(
            actor=request.user, assignment_id=found.pk, reason=data["reason"]
        )
        return _answer(assignment)

    @extend_schema(request=BulkInputSerializer, responses={200: BulkPlanSerializer})
    @action(detail=False, methods=["post"], url_path="bulk/preview")
    def bulk_preview(self, request):
        """Who would get which target household of the sub-district; writes no assignment
        (a POST because it computes a plan, not because it changes anything). Send its
        token to bulk/confirm. The registry households it names are audited as read."""
        data = valid_body(BulkInputSerializer, request)
        plan = services.plan_bulk_assignment(
            actor=request.user, run_id=data["run"], subdistrict=data["subdistrict"]
        )
        audit.record_list(
            actor=request.user,
            object_type="registry.household",
            ids=[r.household_id for r in plan.rows if r.household_id],
            purpose=audit.current_purpose(f"api {request.method} {request.path}"),
            subdistrict_code=plan.subdistrict.code,
        )
        return Response(BulkPlanSerializer(plan).data)

    @extend_schema(request=BulkConfirmSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"], url_path="bulk/confirm")
    def bulk_confirm(self, request):
        """Write the previewed plan, all or nothing; 400 (code stale_preview) when the
        list or the assignments changed since; the same token again: what it did."""
        data = valid_body(BulkConfirmSerializer, request)
        result = services.confirm_bulk_assignment(
            actor=request.user,
            run_id=data["run"],
            subdistrict=data["subdistrict"],
            token=data["token"],
        )
        return Response(BulkResultSerializer(result).data)


class CoverageView(APIView):
    """Target households with and without a volunteer, per area under ``area`` (counts
    only, exact inside the caller's own area; any other area is 404)."""

    access_policy = NO_PERSONAL_DATA

    @extend_schema(
        parameters=[
            OpenApiParameter("run", int, required=True),
            OpenApiParameter("area", str, required=True, description="2, 4 or 6 digits"),
        ],
        responses={200: CoverageSerializer},
    )
    def get(self, request):
        result = coverage(
            user=request.user,
            run_id=parse_id(request.query_params.get("run")),
            area=(request.query_params.get("area") or "")[:6],
        )
        return Response(CoverageSerializer(result).data)
