"""Pages of a household's development plan: the plan (goals per dimension with progress,
who helps, due dates, follow-ups, the household's cases' referrals and services, goals
proposed from the deprivations found), agreeing it, adding and editing a goal and its
steps; and the centre's list of overdue follow-up visits. Thin: resolve the household in
the user's scope (404 outside it), call one service, show its refusal as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.form_base import apply_service_error
from onehome.cases.models import GoalStatus, PlanGoal
from onehome.cases.plans import goals
from onehome.cases.service_messages import service_errors_shown
from onehome.errors import NotInScopeError, StaleVersionError, ValidationError
from onehome.registry.models import Household
from onehome.volunteers.assignments.selectors import household_for_work_or_404
from onehome.volunteers.development import selectors, services
from onehome.volunteers.development.forms import (
    AreaFilterForm,
    EditGoalForm,
    GoalStepForm,
    HouseholdGoalForm,
    StartPlanForm,
)
from onehome.volunteers.development.proposals import propose_goals
from onehome.volunteers.models import HouseholdPlan

PAGE_SIZE = 50


def _plan_or_404(household: Household) -> HouseholdPlan:
    plan = selectors.plan_of(household)
    if plan is None:
        raise Http404
    return plan


def _planner_only(user) -> None:
    if not may(user, Action.PLAN_HOUSEHOLD_DEVELOPMENT):
        raise Http404


def _back(household: Household, anchor: str = ""):
    url = reverse("volunteers:development_plan", args=[household.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@personal_data
@login_required
def development_plan(request, household_id: int):
    user = request.user
    household = household_for_work_or_404(user=user, pk=household_id)
    plan = selectors.plan_of(household)
    can_plan = may(user, Action.PLAN_HOUSEHOLD_DEVELOPMENT)
    referrals, services_given = selectors.case_work_of(user=user, household=household)
    context = {
        "household": household,
        "plan": plan,
        "can_plan": can_plan,
        "referrals": referrals,
        "services": services_given,
        "today": timezone.localdate(),
    }
    if plan is None:
        context["start_form"] = StartPlanForm(members=selectors.current_members(household))
    else:
        groups = selectors.goals_by_dimension(plan)
        for group in groups:
            for goal in group.goals:
                goal.moves = goals.GOALS.allowed_next(goal, user) if can_plan else []
        context["groups"] = groups
        context["follow_ups"] = list(selectors.follow_ups_of(household))
        if can_plan:
            context["proposals"], context["proposed_from"] = propose_goals(
                user=user, household=household
            )
    audit.record_shown(
        user,
        {
            "registry.household": [household],
            "volunteers.householdplan": [plan] if plan else [],
            "cases.referral": referrals,
            "cases.service": services_given,
        },
        purpose="development plan",
    )
    return render(request, "volunteers/development/plan.html", context)


@personal_data
@login_required
@require_POST
def development_plan_start(request, household_id: int):
    user = request.user
    _planner_only(user)
    household = household_for_work_or_404(user=user, pk=household_id)
    form = StartPlanForm(request.POST, members=selectors.current_members(household))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(household)
    d = form.cleaned_data
    with service_errors_shown(request) as outcome:
        services.start_plan(
            actor=user,
            household_id=household.pk,
            agreed_on=d["agreed_on"],
            agreed_with_id=d["agreed_with"],
            follow_up_days=d["follow_up_days"],
        )
    if outcome.ok:
        messages.success(request, _("Development plan agreed."))
    return _back(household)


@personal_data
@login_required
def development_goal_add(request, household_id: int):
    user = request.user
    _planner_only(user)
    household = household_for_work_or_404(user=user, pk=household_id)
    plan = _plan_or_404(household)
    initial = {k: request.GET[k] for k in ("dimension", "goal", "action") if k in request.GET}
    form = HouseholdGoalForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_household_goal(actor=user, plan_id=plan.pk, **form.values())
        except ValidationError as exc:
            apply_service_error(form, exc)
        except NotInScopeError:
            raise Http404 from None
        else:
            messages.success(request, _("Goal added to the plan."))
            return _back(household, "goals")
    return render(
        request,
        "volunteers/development/goal_form.html",
        {"household": household, "form": form, "goal": None},
    )


def _goal_or_404(plan: HouseholdPlan, goal_id: int) -> PlanGoal:
    goal = selectors.goal_of_plan(plan=plan, goal_id=goal_id)
    if goal is None:
        raise Http404
    return goal


@personal_data
@login_required
def development_goal_edit(request, household_id: int, goal_id: int):
    user = request.user
    _planner_only(user)
    household = household_for_work_or_404(user=user, pk=household_id)
    goal = _goal_or_404(_plan_or_404(household), goal_id)
    if goal.status != GoalStatus.OPEN:
        messages.error(request, _("This goal is closed; it can no longer be changed."))
        return _back(household, "goals")
    initial = {
        "dimension": goal.dimension,
        "goal": goal.goal,
        "action": goal.action,
        "agency": goal.agency,
        "volunteer": goal.volunteer,
        "due_date": goal.due_date,
        "progress": goal.progress,
        "version": goal.version,
    }
    form = EditGoalForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Only what the user changed: a due date that has passed may stay as it is.
        changes = {k: v for k, v in form.values().items() if v != getattr(goal, k)}
        try:
            goals.update_goal(
                actor=user, goal_id=goal.pk, version=form.cleaned_data["version"], **changes
            )
        except (ValidationError, StaleVersionError) as exc:
            error = exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            apply_service_error(form, error)
        except NotInScopeError:
            raise Http404 from None
        else:
            messages.success(request, _("Goal changed."))
            return _back(household, "goals")
    return render(
        request,
        "volunteers/development/goal_form.html",
        {"household": household, "form": form, "goal": goal},
    )


@personal_data
@login_required
@require_POST
def development_goal_step(request, household_id: int, goal_id: int, step: str):
    user = request.user
    _planner_only(user)
    if step not in ("done", "drop"):
        raise Http404
    household = household_for_work_or_404(user=user, pk=household_id)
    goal = _goal_or_404(_plan_or_404(household), goal_id)
    form = GoalStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return _back(household, "goals")
    d = form.cleaned_data
    with service_errors_shown(request) as outcome:
        if step == "done":
            goals.complete_goal(
                actor=user, goal_id=goal.pk, version=d["version"], note=d.get("text", "")
            )
        else:
            goals.drop_goal(
                actor=user, goal_id=goal.pk, version=d["version"], reason=d.get("text", "")
            )
    if outcome.ok:
        messages.success(request, _("Goal done.") if step == "done" else _("Goal dropped."))
    return _back(household, "goals")


@personal_data
@login_required
def development_overdue(request):
    """The centre's list: follow-up visits past their day, per area, the oldest first."""
    user = request.user
    if not may(user, Action.READ_VOLUNTEERS):
        raise Http404
    form = AreaFilterForm(request.GET or None)
    area = (form.cleaned_data.get("area") or "") if form.is_valid() else ""
    rows = list(selectors.overdue_follow_ups(user=user, area=area)[:500])
    audit.record_list(
        actor=user,
        object_type="registry.household",
        ids=[r.household_id for r in rows],
        purpose=audit.current_purpose("overdue follow-ups"),
    )
    today = timezone.localdate()
    by_area: dict[str, dict] = {}
    for row in rows:
        row.days_late = (today - row.due_on).days
        sub = row.household.subdistrict
        group = by_area.setdefault(sub.pk, {"area": sub, "rows": []})
        group["rows"].append(row)
    groups = sorted(by_area.values(), key=lambda g: g["rows"][0].due_on)
    return render(
        request,
        "volunteers/development/overdue.html",
        {"form": form, "groups": groups, "rows": rows, "total": len(rows)},
    )
