"""Pages (POST only) for the work on an open case: record an assessment, add a plan goal
and mark it done or drop it, assign and unassign workers, transfer the case, pause and
resume its deadline. Each calls one service and comes back to the case page; a stale
version is shown as a message and saves nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data

from . import assessments, services, sla
from .forms import VersionForm
from .models import Dimension, PlanGoal, Risk
from .service_messages import service_errors_shown
from .visibility import visible_cases
from .work_forms import (
    AssessmentForm,
    AssignForm,
    GoalStepForm,
    PauseForm,
    PlanGoalForm,
    ServiceForm,
    TransferForm,
    UnassignForm,
    stock_at,
)


def _back(pk: int, anchor: str):
    return redirect(reverse("cases:case", args=[pk]) + f"#{anchor}")


def _post(request, pk: int, form, call, *, done: str, anchor: str):
    """The shared path: 404 first, then the form's shape, then the one service."""
    if not visible_cases(request.user).filter(pk=pk).exists():
        raise Http404
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}: {e}" if label else e)
        return _back(pk, anchor)
    with service_errors_shown(request):
        call(form.cleaned_data)
        messages.success(request, done)
    return _back(pk, anchor)


@personal_data
@login_required
@require_POST
def case_assess(request, pk: int):
    def call(d):
        assessments.record_assessment(
            actor=request.user,
            case_id=pk,
            dimensions=form.dimensions(),
            protection_risks=d.get("protection_risks") or [],
            summary=d.get("summary", ""),
        )

    form = AssessmentForm(request.POST)
    return _post(request, pk, form, call, done=_("Assessment recorded."), anchor="plan")


@personal_data
@login_required
@require_POST
def plan_add(request, pk: int):
    def call(d):
        assessments.add_plan_goal(
            actor=request.user,
            case_id=pk,
            dimension=d["dimension"],
            goal=d["goal"],
            action=d["action"],
            agency_id=d["agency"].pk,
            due_date=d["due_date"],
        )

    form = PlanGoalForm(request.POST)
    return _post(request, pk, form, call, done=_("Goal added to the plan."), anchor="plan")


@personal_data
@login_required
@require_POST
def plan_step(request, pk: int, goal_id: int, step: str):
    if step not in ("done", "drop"):
        raise Http404
    if not PlanGoal.objects.filter(pk=goal_id, case_id=pk).exists():
        raise Http404

    def call(d):
        if step == "done":
            assessments.complete_plan_goal(
                actor=request.user, goal_id=goal_id, version=d["version"], note=d.get("text", "")
            )
        else:
            assessments.drop_plan_goal(
                actor=request.user, goal_id=goal_id, version=d["version"], reason=d.get("text", "")
            )

    done = _("Goal done.") if step == "done" else _("Goal dropped.")
    return _post(request, pk, GoalStepForm(request.POST), call, done=done, anchor="plan")


@personal_data
@login_required
@require_POST
def case_assign(request, pk: int):
    def call(d):
        services.assign_worker(
            actor=request.user,
            case_id=pk,
            user_id=d["user"].pk,
            version=d["version"],
            lead=d.get("lead", False),
        )

    form = AssignForm(request.POST)
    return _post(request, pk, form, call, done=_("Worker assigned."), anchor="workers")


@personal_data
@login_required
@require_POST
def case_unassign(request, pk: int):
    def call(d):
        services.unassign_worker(
            actor=request.user, case_id=pk, user_id=d["user"], version=d["version"]
        )

    form = UnassignForm(request.POST)
    return _post(request, pk, form, call, done=_("Worker removed."), anchor="workers")


@personal_data
@login_required
@require_POST
def case_transfer(request, pk: int):
    def call(d):
        services.transfer_case(
            actor=request.user,
            case_id=pk,
            to_org_id=d["to_org"].pk,
            reason=d["reason"],
            version=d["version"],
        )

    form = TransferForm(request.POST)
    done = _("Case transferred.")
    return _post(request, pk, form, call, done=done, anchor="workers")


@personal_data
@login_required
@require_POST
def case_pause(request, pk: int):
    def call(d):
        sla.pause(actor=request.user, case_id=pk, reason=d["reason"], version=d["version"])

    done = _("Deadline paused while waiting on the family.")
    return _post(request, pk, PauseForm(request.POST), call, done=done, anchor="deadline")


@personal_data
@login_required
@require_POST
def case_resume(request, pk: int):
    def call(d):
        sla.resume(actor=request.user, case_id=pk, version=d["version"])

    done = _("Deadline running again.")
    return _post(request, pk, VersionForm(request.POST), call, done=done, anchor="deadline")


def work_context(user, case, *, plan: list, assessments_: list, assignments: list, acts) -> dict:
    """The forms of the case page's work sections, each only for who may use it."""
    province = case.subdistrict.province_id
    version = {"version": case.version}
    latest = assessments_[0] if assessments_ else None
    for goal in plan:
        goal.step_form = GoalStepForm(initial={"version": goal.version}) if acts.work else None
    context = {
        "acts": acts,
        "latest_levels": [
            (dim.label, (latest.dimensions.get(dim.value) or {}))
            for dim in Dimension
            if latest is not None
        ],
        "latest_risks": [
            Risk(r).label for r in (latest.protection_risks if latest else []) if r in Risk.values
        ],
        "assessment_form": AssessmentForm() if acts.work else None,
        "plan_form": PlanGoalForm(province_id=province, auto_id="id_plan_%s")
        if acts.work
        else None,
        "assign_form": AssignForm(initial=version, case=case, actor=user, auto_id="id_assign_%s")
        if acts.assign or acts.take_up
        else None,
        "unassign_version": case.version,
        "is_assigned": any(a.user_id == user.pk for a in assignments),
        "transfer_form": TransferForm(initial=version, case=case, auto_id="id_transfer_%s")
        if acts.transfer
        else None,
        "pause_form": PauseForm(initial=version) if acts.work and not case.paused_at else None,
        "resume_form": VersionForm(initial=version) if acts.work and case.paused_at else None,
    }
    if acts.work:
        form = ServiceForm(case=case, actor=user)
        context["service_form"] = form
        context["stock_left"] = stock_at(form.fields["provider"].queryset)
    return context
