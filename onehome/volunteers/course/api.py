"""The course out of poverty through the API: a household's course
(/api/volunteers/households/{id}/course/), enrolling it, its steps (start, graduate with
evidence, leave with a reason), and the project's progress per area and fiscal year beside
the year-over-year comparison (/api/volunteers/course/progress/). Thin: 404 outside the
caller's households or area, the shape, one service; steps say which version they change
(If-Match or `version`)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access import audit
from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.access.roles import Action, may
from onehome.cases.api_requests import IF_MATCH, parse_id, read_version, valid_body, with_etag
from onehome.cases.lifecycle.fiscal_years import chosen_fiscal_year
from onehome.core.next_steps import WithNextSteps
from onehome.errors import NotInScopeError
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.course import selectors, services
from onehome.volunteers.models import Enrollment, GraduationEvidence

HOUSEHOLD_ID = OpenApiParameter("household_id", int, OpenApiParameter.PATH)
STEP = OpenApiParameter("step", str, OpenApiParameter.PATH, enum=["start", "graduate", "leave"])


class EnrollmentSerializer(WithNextSteps, serializers.ModelSerializer):
    workflow = services.COURSE

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "version",
            "household",
            "status",
            "enrolled_on",
            "run",
            "plan_agreed_on",
            "graduated_on",
            "evidence",
            "evidence_round",
            "left_on",
            "reason",
            "next_steps",
        ]
        read_only_fields = fields


class EnrolSerializer(serializers.Serializer):
    enrolled_on = serializers.DateField()
    run = serializers.IntegerField(required=False, allow_null=True, help_text="targeting run id")


class CourseStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    graduated_on = serializers.DateField(required=False, help_text="graduate")
    evidence = serializers.ChoiceField(choices=GraduationEvidence.choices, required=False)
    survey_round = serializers.IntegerField(required=False, allow_null=True)
    assessment = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    left_on = serializers.DateField(required=False, help_text="leave")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


ROW_FIELDS = (
    "code", "name", "enrolled", "visited", "with_plan", "graduated", "left_poverty",
    "entered_poverty",
)  # fmt: skip
_ROW = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "enrolled": serializers.IntegerField(),
    "visited": serializers.IntegerField(),
    "with_plan": serializers.IntegerField(),
    "graduated": serializers.IntegerField(),
    "left_poverty": serializers.CharField(allow_null=True),
    "entered_poverty": serializers.CharField(allow_null=True),
}
ProgressSerializer = inline_serializer(
    "CourseProgress",
    {
        "area": serializers.CharField(),
        "fiscal_year": serializers.IntegerField(),
        "month_start": serializers.DateField(),
        "earlier_run": serializers.IntegerField(allow_null=True),
        "later_run": serializers.IntegerField(allow_null=True),
        "total": inline_serializer("CourseProgressRow", dict(_ROW)),
        "rows": inline_serializer("CourseProgressAreaRow", dict(_ROW), many=True),
    },
)


def _enrollment(request, household_id) -> Enrollment:
    household = household_for_work_or_404(user=request.user, pk=parse_id(household_id))
    enrollment = selectors.enrollment_of(household)
    if enrollment is None:
        raise Http404
    return enrollment


def _out(enrollment: Enrollment, request, code=status.HTTP_200_OK) -> Response:
    data = EnrollmentSerializer(enrollment, context={"viewer": request.user}).data
    return with_etag(data, enrollment.version, code)


class CourseView(APIView):
    """A household's course in the project."""

    access_policy = PERSONAL_DATA

    @extend_schema(parameters=[HOUSEHOLD_ID], responses={200: EnrollmentSerializer})
    def get(self, request, household_id):
        enrollment = _enrollment(request, household_id)
        audit.record_read(
            actor=request.user,
            obj=enrollment,
            purpose="api course",
            household_id=enrollment.household_id,
        )
        return _out(enrollment, request)


class EnrolView(APIView):
    """Enrol the household (enrolling it again returns its enrolment)."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        parameters=[HOUSEHOLD_ID], request=EnrolSerializer, responses={201: EnrollmentSerializer}
    )
    def post(self, request, household_id):
        if not may(request.user, Action.MOVE_HOUSEHOLD_COURSE):
            raise Http404
        household = household_for_work_or_404(user=request.user, pk=parse_id(household_id))
        data = valid_body(EnrolSerializer, request)
        enrollment = services.enrol(
            actor=request.user,
            household_id=household.pk,
            enrolled_on=data["enrolled_on"],
            run_id=data.get("run"),
        )
        return _out(enrollment, request, status.HTTP_201_CREATED)


class CourseStepView(APIView):
    """A step of the course: start, graduate (with evidence) or leave (with a reason)."""

    access_policy = PERSONAL_DATA

    @extend_schema(
        parameters=[HOUSEHOLD_ID, STEP, IF_MATCH],
        request=CourseStepSerializer,
        responses={200: EnrollmentSerializer},
    )
    def post(self, request, household_id, step):
        if step not in ("start", "graduate", "leave"):
            raise Http404
        enrollment = _enrollment(request, household_id)
        data = valid_body(CourseStepSerializer, request)
        version = read_version(request, data)
        if step == "start":
            enrollment = services.start_work(
                actor=request.user, enrollment_id=enrollment.pk, version=version
            )
        elif step == "graduate":
            enrollment = services.graduate(
                actor=request.user,
                enrollment_id=enrollment.pk,
                version=version,
                graduated_on=data.get("graduated_on"),
                evidence=data.get("evidence", ""),
                round_id=data.get("survey_round"),
                assessment_id=data.get("assessment"),
                note=data.get("note", ""),
            )
        else:
            enrollment = services.leave(
                actor=request.user,
                enrollment_id=enrollment.pk,
                version=version,
                left_on=data.get("left_on"),
                reason=data.get("reason", ""),
            )
        return _out(enrollment, request)


class ProgressView(APIView):
    """The project's figures per area and fiscal year, beside the year-over-year change."""

    access_policy = NO_PERSONAL_DATA

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="an area code inside the caller's area"),
            OpenApiParameter("fy", int, description="fiscal year, either era (2570 or 2027)"),
        ],
        responses={200: ProgressSerializer},
    )
    def get(self, request):
        if not may(request.user, Action.READ_VOLUNTEERS):
            raise Http404
        year = chosen_fiscal_year(request.query_params.get("fy"))
        try:
            report = selectors.progress(
                user=request.user, area=request.query_params.get("area", ""), year=year
            )
        except NotInScopeError:
            raise Http404 from None

        def row(r):
            return {k: getattr(r, k) for k in ROW_FIELDS}

        return Response(
            {
                "area": report.area,
                "fiscal_year": report.year.year,
                "month_start": report.month[0],
                "earlier_run": report.earlier.pk if report.earlier else None,
                "later_run": report.later.pk if report.later else None,
                "total": row(report.total),
                "rows": [row(r) for r in report.rows],
            }
        )
