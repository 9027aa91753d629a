"""Home visits through the API (/api/volunteers/…): the questionnaire in force, a
household's visits (list, record), its record book, and help requests (list, raise).

Writes carry the id made on the phone (`client_id` in the body): a replay answers 200 with
the first result, a first write 201, the same id with a different body 422 — like the
intake's `Idempotency-Key`. Thin: 404 outside the caller's households, the shape, one
service; reads of personal data write one audit row."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access import audit
from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.cases.api_requests import parse_id, valid_body
from onehome.cases.models import Urgency
from onehome.volunteers.models import HelpKind, HelpRequest, Visit
from onehome.volunteers.visits import questionnaire, selectors, services


class VisitSerializer(serializers.ModelSerializer):
    present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id", "client_id", "household", "volunteer", "visited_on", "questionnaire",
            "answers", "present", "needs", "notes", "photo", "recorded_at", "recorded_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_photo(self, obj: Visit) -> bool:
        return bool(obj.photo)


class VisitInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="made on the phone before the first try")
    visited_on = serializers.DateField()
    answers = serializers.DictField(help_text="question id → answer (see the questionnaire)")
    present = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="ids of the household's current members who were present",
    )
    needs = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    photo = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="base64 JPEG, PNG or WebP, at most 2 MB",
    )


class HelpRequestSerializer(serializers.ModelSerializer):
    report_reference = serializers.CharField(source="report.reference", read_only=True)
    report_status = serializers.CharField(source="report.status", read_only=True)
    case_number = serializers.SerializerMethodField()
    service_status = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id", "client_id", "household", "visit", "volunteer", "kind", "amount", "items",
            "report", "report_reference", "report_status", "case_number", "service",
            "service_status", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_case_number(self, obj: HelpRequest) -> str | None:
        """Only for a caller who may read cases: a volunteer learns from ``report_status``
        that the report became a case, never the case number."""
        request = self.context.get("request")
        if request is None or not may(request.user, Action.READ_CASES):
            return None
        case = obj.report.case
        return case.number if case else None

    def get_service_status(self, obj: HelpRequest) -> str | None:
        return obj.service.status if obj.service_id else None


class HelpRequestInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HelpKind.choices)
    summary = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    items = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    visit = serializers.IntegerField(required=False, allow_null=True)
    category = serializers.CharField(required=False, allow_blank=True, default="")
    subcategory = serializers.CharField(required=False, allow_blank=True, default="")


RecordBookSerializer = inline_serializer(
    "RecordBook",
    {
        "household": serializers.IntegerField(),
        "dimensions": serializers.ListField(child=serializers.DictField()),
        "history": serializers.DictField(),
    },
)


QuestionnaireSerializer = inline_serializer(
    "VisitQuestionnaire",
    {
        "version": serializers.CharField(),
        "label_th": serializers.CharField(),
        "label_en": serializers.CharField(),
        "in_force_from": serializers.DateField(),
        "dimensions": serializers.ListField(child=serializers.DictField()),
        "questions": serializers.ListField(
            child=serializers.DictField(),
            help_text="id, dimension, indicator (TPMAP), kind (yes_no, number, choice, "
            "text), label_th, label_en, choices, min, max, deprived (the rule)",
        ),
        "needs": serializers.ListField(child=serializers.DictField()),
    },
)


class QuestionnaireView(APIView):
    """The questionnaire in force: questions, choices, deprivation rules, needs."""

    access_policy = NO_PERSONAL_DATA

    @extend_schema(responses={200: QuestionnaireSerializer}, operation_id="visits_questionnaire")
    def get(self, request):
        return Response(questionnaire.current().as_dict())


class HouseholdVisitsView(APIView):
    """A household's visits (newest first), and recording one."""

    access_policy = PERSONAL_DATA

    @extend_schema(responses={200: VisitSerializer(many=True)}, operation_id="visits_list")
    def get(self, request, pk):
        household = selectors.household_to_read(request.user, parse_id(pk))
        rows = audit.listed(
            request.user,
            selectors.visits_of(request.user, household).prefetch_related("present")[:100],
            kind=Visit,
            purpose=audit.current_purpose(f"api GET {request.path}"),
        )
        return Response(VisitSerializer(rows, many=True).data)

    @extend_schema(
        request=VisitInputSerializer,
        responses={201: VisitSerializer, 200: VisitSerializer},
        operation_id="visits_create",
    )
    def post(self, request, pk):
        data = valid_body(VisitInputSerializer, request)
        taken = services.take_visit(
            actor=request.user,
            client_id=data["client_id"],
            household_id=parse_id(pk),
            visited_on=data["visited_on"],
            answers=data["answers"],
            present_ids=data["present"],
            needs=data["needs"],
            notes=data["notes"],
            photo=data["photo"] or None,
        )
        code = status.HTTP_201_CREATED if taken.created else status.HTTP_200_OK
        return Response(VisitSerializer(taken.record).data, status=code)


class RecordBookView(APIView):
    """A household's record book now (latest answer per question, by dimension) and each
    dimension's deprived answers per visit over time."""

    access_policy = PERSONAL_DATA

    @extend_schema(responses={200: RecordBookSerializer}, operation_id="visits_record_book")
    def get(self, request, pk):
        household = selectors.household_to_read(request.user, parse_id(pk))
        audit.record_read(
            actor=request.user, obj=household, purpose="record book", household_id=household.pk
        )
        book = [
            {
                "dimension": d["dimension"],
                "label": d["label"],
                "deprived": d["deprived"],
                "answers": [
                    {
                        "question": r["question_id"],
                        "label": r["label"],
                        "value": r["value"],
                        "deprived": r["deprived"],
                        "recorded_on": r["recorded_on"].isoformat(),
                    }
                    for r in d["rows"]
                ],
            }
            for d in selectors.record_book(household)
        ]
        history = {
            dim: [{**p, "visited_on": p["visited_on"].isoformat()} for p in points]
            for dim, points in selectors.history_by_dimension(household).items()
        }
        return Response({"household": household.pk, "dimensions": book, "history": history})


class HelpRequestsView(APIView):
    """Help requests the caller may see (a volunteer's own; staff: their area), and raising
    one (a report into the intake, channel volunteer)."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        responses={200: HelpRequestSerializer(many=True)}, operation_id="help_requests_list"
    )
    def get(self, request):
        rows = audit.listed(
            request.user,
            selectors.help_requests_in_scope(request.user)[:200],
            kind=HelpRequest,
            purpose=audit.current_purpose(f"api GET {request.path}"),
        )
        return Response(HelpRequestSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        request=HelpRequestInputSerializer,
        responses={201: HelpRequestSerializer, 200: HelpRequestSerializer},
        operation_id="help_requests_create",
    )
    def post(self, request):
        data = valid_body(HelpRequestInputSerializer, request)
        taken = services.take_help_request(
            actor=request.user,
            client_id=data["client_id"],
            household_id=data["household"],
            kind=data["kind"],
            summary=data["summary"],
            urgency=data["urgency"],
            amount=data.get("amount"),
            items=data["items"],
            visit_id=data.get("visit"),
            category=data["category"],
            subcategory=data["subcategory"],
        )
        code = status.HTTP_201_CREATED if taken.created else status.HTTP_200_OK
        return Response(
            HelpRequestSerializer(taken.record, context={"request": request}).data, status=code
        )
