"""Pages of the course out of poverty: a household's course (enrol, steps, graduation
with its evidence, leaving with a reason) and the project's progress per area and fiscal
year beside the year-over-year targeting comparison. Thin: resolve in the user's scope
(404 outside it), call one service, show its refusal as a message."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import no_personal_data, personal_data
from onehome.access.roles import Action, may
from onehome.cases.lifecycle.fiscal_years import chosen_fiscal_year
from onehome.cases.service_messages import service_errors_shown
from onehome.core import thai_dates
from onehome.errors import NotInScopeError
from onehome.registry.models import Household
from onehome.targeting.results.selectors import finished_run
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.course import selectors, services
from onehome.volunteers.course.forms import EnrolForm, GraduateForm, LeaveForm, ProgressForm
from onehome.volunteers.models import CourseStatus


def _assessments(user, household: Household) -> list[tuple[int, str]]:
    rows = selectors.assessments_of(user, household)
    return [(a.pk, f"{a.case.number} · {thai_dates.format_date(a.assessed_at)}") for a in rows]


def _back(household: Household):
    return redirect(reverse("volunteers:course_household", args=[household.pk]))


@personal_data
@login_required
def course_household(request, household_id: int):
    user = request.user
    household = household_for_work_or_404(user=user, pk=household_id)
    enrollment = selectors.enrollment_of(household)
    may_move = may(user, Action.MOVE_HOUSEHOLD_COURSE)
    moves = services.COURSE.allowed_next(enrollment, user) if enrollment else []
    steps = {m.to_status for m in moves}
    version = {"version": enrollment.version} if enrollment else {}
    audit.record_shown(
        user,
        {
            "registry.household": [household],
            "volunteers.enrollment": [enrollment] if enrollment else [],
        },
        purpose="household course",
    )
    return render(
        request,
        "volunteers/course/household.html",
        {
            "household": household,
            "enrollment": enrollment,
            "can_enrol": may_move and enrollment is None,
            "enrol_form": EnrolForm(),
            "can_start": CourseStatus.IN_PROGRESS in steps,
            "graduate_form": GraduateForm(
                initial=version, assessments=_assessments(user, household), enrollment=enrollment
            )
            if CourseStatus.GRADUATED in steps
            else None,
            "leave_form": LeaveForm(initial=version) if CourseStatus.LEFT in steps else None,
        },
    )


@personal_data
@login_required
@require_POST
def course_enrol(request, household_id: int):
    user = request.user
    if not may(user, Action.MOVE_HOUSEHOLD_COURSE):
        raise Http404
    household = household_for_work_or_404(user=user, pk=household_id)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the day the household was enrolled."))
        return _back(household)
    with service_errors_shown(request) as outcome:
        services.enrol(
            actor=user, household_id=household.pk, enrolled_on=form.cleaned_data["enrolled_on"]
        )
    if outcome.ok:
        messages.success(request, _("Household enrolled in the project."))
    return _back(household)


@personal_data
@login_required
@require_POST
def course_step(request, household_id: int, step: str):
    user = request.user
    household = household_for_work_or_404(user=user, pk=household_id)
    enrollment = selectors.enrollment_of(household)
    if enrollment is None or step not in ("start", "graduate", "leave"):
        raise Http404
    if step == "graduate":
        form = GraduateForm(request.POST, assessments=_assessments(user, household))
    elif step == "leave":
        form = LeaveForm(request.POST)
    else:
        form = None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(household)
    d = form.cleaned_data if form is not None else {}
    version = d.get("version", request.POST.get("version"))
    with service_errors_shown(request) as outcome:
        if step == "start":
            services.start_work(actor=user, enrollment_id=enrollment.pk, version=version)
        elif step == "graduate":
            services.graduate(
                actor=user,
                enrollment_id=enrollment.pk,
                version=version,
                graduated_on=d["graduated_on"],
                evidence=d["evidence"],
                round_id=d["survey_round"].pk if d.get("survey_round") else None,
                assessment_id=d.get("assessment"),
                note=d.get("note", ""),
            )
        else:
            services.leave(
                actor=user,
                enrollment_id=enrollment.pk,
                version=version,
                left_on=d["left_on"],
                reason=d.get("reason", ""),
            )
    if outcome.ok:
        messages.success(request, _("The household's course was updated."))
    return _back(household)


@no_personal_data
@login_required
def course_progress(request):
    """Enrolled, visited this month, with a plan, graduated — per area and fiscal year,
    beside the households that left poverty between two targeting runs."""
    user = request.user
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404
    this_year = thai_dates.fiscal_year(timezone.localdate()).year
    form = ProgressForm(request.GET or None, initial={"fy": thai_dates.era_year(this_year)})
    d = form.cleaned_data if form.is_valid() else {}
    year = chosen_fiscal_year(str(d.get("fy") or ""))
    runs = None
    try:
        if d.get("earlier") and d.get("later"):
            runs = (finished_run(d["earlier"]), finished_run(d["later"]))
        report = selectors.progress(user=user, area=d.get("area") or "", year=year, runs=runs)
    except NotInScopeError:
        raise Http404 from None
    compare_url = ""
    if report.earlier is not None:
        query = {"earlier": report.earlier.pk, "later": report.later.pk, "area": report.area}
        compare_url = reverse("targeting:compare") + "?" + urlencode(query)
    bars = [
        {"label": _("Enrolled"), "value": report.total.enrolled},
        {"label": _("Visited this month"), "value": report.total.visited},
        {"label": _("With a plan"), "value": report.total.with_plan},
        {"label": _("Out of poverty"), "value": report.total.graduated},
    ]
    return render(
        request,
        "volunteers/course/progress.html",
        {"form": form, "report": report, "bars": bars, "compare_url": compare_url},
    )
