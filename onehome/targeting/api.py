"""REST endpoints of targeting: rounds, lists and runs (aggregates, small cells suppressed
for users without personal-data roles) and the households of a run (personal data:
scoped to the caller's area and audited). Thin: selectors and the app's functions work."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from onehome.access.policy import NO_PERSONAL_DATA, PERSONAL_DATA
from onehome.api.list_audit import AuditedList
from onehome.errors import NotInScopeError
from onehome.targeting import serializers as s
from onehome.targeting.imports import selectors as imports
from onehome.targeting.models import Run
from onehome.targeting.permissions import reads_targeting, runs_targeting
from onehome.targeting.results import selectors
from onehome.targeting.results import year_over_year as yoy
from onehome.targeting.results.area_report import area_measures_shown, subset_counts_shown
from onehome.targeting.results.comparison_report import comparison_counts
from onehome.targeting.runs import selectors as runs

# `explanations`, `target_lists`, `registry_links` and the run services pull in Ibis, pandas
# and openpyxl (a large share of a worker's memory and start-up: docs/performance.md);
# they are imported where used so that every web worker does not carry them for other
# endpoints.

CODE = OpenApiParameter("code", str, description='Area code: "" (nation), 2, 4, 6 or 8 digits')
RUN = OpenApiParameter("run", int, required=True, description="id of a finished run")
AREA = OpenApiParameter("area", str, description="limit to an area code (2, 4, 6 or 8 digits)")
ALL = OpenApiParameter("all", bool, description="every poor household, not only target ones")
EARLIER = OpenApiParameter("earlier", int, required=True, description="id of the earlier run")
HOUSEHOLD_KEY = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description="the household's key in the survey round"
)


def _reader(request) -> None:
    if not reads_targeting(request.user):
        raise Http404


REVEAL_PARAM = OpenApiParameter(
    "reveal", str, enum=["1"], description="full person keys (national IDs); audited"
)


class _ForReaders:
    """Every record that ``records`` (a selector) returns, to readers of targeting results
    only (404 for others)."""

    access_policy = NO_PERSONAL_DATA
    records: Callable[[], QuerySet]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no caller
            return type(self).records().none()
        _reader(self.request)
        return type(self).records()


class SurveyRoundViewSet(_ForReaders, viewsets.ReadOnlyModelViewSet):
    records = imports.survey_rounds
    serializer_class = s.SurveyRoundSerializer


class WelfareCardListViewSet(_ForReaders, viewsets.ReadOnlyModelViewSet):
    records = imports.welfare_lists
    serializer_class = s.WelfareCardListSerializer


class RunViewSet(_ForReaders, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Runs with status and progress; a finished run's areas, subsets and comparisons."""

    records = runs.runs
    serializer_class = s.RunSerializer

    @extend_schema(request=s.StartRunSerializer, responses={201: s.RunSerializer})
    def create(self, request):
        from onehome.targeting.runs import services  # lazy: see the top of this module

        if not runs_targeting(request.user):
            raise Http404
        data = s.StartRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        settings = {"income_threshold": d["income_threshold"]} if "income_threshold" in d else {}
        survey_round = imports.survey_round_by_id(d["survey_round"])
        welfare = imports.welfare_list_by_id(d.get("welfare_list") or 0)
        if survey_round is None or (d.get("welfare_list") and welfare is None):
            raise Http404
        run = services.start_run(
            actor=request.user,
            survey_round=survey_round,
            welfare_list=welfare,
            spec_name=d["spec_name"],
            k=d.get("k") or "",
            spec_settings=settings,
        )
        return Response(s.RunSerializer(run).data, status=201)

    def _finished(self, pk) -> Run:
        _reader(self.request)
        try:
            return selectors.finished_run(int(pk))
        except (ValueError, TypeError, NotInScopeError):
            raise Http404 from None

    @extend_schema(parameters=[CODE], responses={200: s.AreaSerializer})
    @action(detail=True, methods=["get"])
    def areas(self, request, pk=None):
        run = self._finished(pk)
        code = request.query_params.get("code", "")
        try:
            body = area_measures_shown(user=request.user, run=run, code=code)
        except NotInScopeError:
            raise Http404 from None
        return Response(body)

    @extend_schema(parameters=[CODE], responses={200: s.SubsetSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # all of them, not a page
    def subsets(self, request, pk=None):
        run = self._finished(pk)
        code = request.query_params.get("code", "")
        try:
            rows = subset_counts_shown(user=request.user, run=run, code=code)
        except NotInScopeError:
            raise Http404 from None
        return Response(rows)

    @extend_schema(parameters=[EARLIER, AREA], responses={200: s.ComparisonSerializer})
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        later = self._finished(pk)
        earlier = self._finished(request.query_params.get("earlier"))
        result = yoy.compare_runs(
            earlier=earlier, later=later, area=request.query_params.get("area", "")
        )
        return Response(comparison_counts(user=request.user, result=result))


class TargetHouseholdViewSet(AuditedList, viewsets.ViewSet):
    """Households of a run in the caller's area: the target list, one household's
    explanation, linking it to the registry, and year-over-year changes."""

    access_policy = PERSONAL_DATA
    # The list's row names the survey's household keys; `changes` is audited with them
    # by `year_over_year.changed_households`.
    audit_object_type = "targeting.household"
    audit_id_key = "household_id"

    def _run(self) -> Run:
        try:
            return selectors.finished_run(int(self.request.query_params.get("run", "")))
        except (ValueError, NotInScopeError):
            raise Http404 from None

    @extend_schema(
        parameters=[RUN, AREA, ALL], responses={200: s.TargetHouseholdSerializer(many=True)}
    )
    def list(self, request):
        run = self._run()
        from onehome.targeting.results import target_lists  # lazy: see the top of this module

        page = target_lists.target_households(
            user=request.user,
            run=run,
            area=request.query_params.get("area", ""),
            only_target=request.query_params.get("all") not in ("1", "true"),
            limit=None,
        )
        return Response(s.TargetHouseholdSerializer(page.rows, many=True).data)

    @extend_schema(
        parameters=[HOUSEHOLD_KEY, RUN, REVEAL_PARAM], responses={200: s.ExplanationSerializer}
    )
    def retrieve(self, request, pk=None):
        run = self._run()
        from onehome.targeting.results import explanations  # lazy: see the top of this module

        reveal = request.query_params.get("reveal") == "1"
        result = explanations.household_explanation(
            user=request.user,
            run_id=run.pk,
            household_id=str(pk),
            purpose="api explanation, reveal id" if reveal else "api explanation",
        )
        body = {
            **{k: getattr(result, k) for k in ("run_id", "household_id", "village_code")},
            "k_rule": result.k_rule,
            "poor": result.poor,
            "target": result.target,
            "dimensions": result.dimensions,
            "registry_household_id": result.registry_household_id,
            "members": [vars(m) for m in result.members],
            "failures": [vars(f) for f in result.failures],
        }
        return Response(s.ExplanationSerializer(body, context={"reveal": reveal}).data)

    @extend_schema(parameters=[HOUSEHOLD_KEY, RUN], request=None, responses={200: s.LinkSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        run = self._run()
        from onehome.targeting.results import registry_links  # lazy: see the top of this module

        household, created = registry_links.link_household(
            actor=request.user, run_id=run.pk, household_id=str(pk), purpose="api link"
        )
        return Response(
            {"registry_household": household.pk, "created": created},
            status=201 if created else 200,
        )

    @extend_schema(
        parameters=[RUN, EARLIER, AREA], responses={200: s.ChangedHouseholdSerializer(many=True)}
    )
    @action(detail=False, methods=["get"])
    def changes(self, request):
        later = self._run()
        try:
            earlier = selectors.finished_run(int(request.query_params.get("earlier", "")))
        except (ValueError, NotInScopeError):
            raise Http404 from None
        rows, _total = yoy.changed_households(
            user=request.user,
            earlier=earlier,
            later=later,
            area=request.query_params.get("area", ""),
            limit=None,
        )
        return Response(s.ChangedHouseholdSerializer(rows, many=True).data)
