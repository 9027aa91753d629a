"""Pages (POST only) for the assessment and the plan of an open case: record an
assessment, add a plan goal and mark it done or drop it. Each calls one service and comes
back to the case page; a stale version is shown as a message and saves nothing.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data
from onehome.cases.case_access import case_view
from onehome.cases.models import Case
from onehome.cases.plans import selectors, services
from onehome.cases.plans.forms import AssessmentForm, GoalStepForm, PlanGoalForm
from onehome.cases.service_messages import post_on_case


@personal_data
@login_required
@require_POST
@case_view
def case_assess(request, case: Case):
    def call(d):
        services.record_assessment(
            actor=request.user,
            case_id=case.pk,
            dimensions=form.dimensions(),
            protection_risks=d.get("protection_risks") or [],
            summary=d.get("summary", ""),
        )

    form = AssessmentForm(request.POST)
    return post_on_case(request, case, form, call, done=_("Assessment recorded."), anchor="plan")


@personal_data
@login_required
@require_POST
@case_view
def plan_add(request, case: Case):
    def call(d):
        services.add_plan_goal(
            actor=request.user,
            case_id=case.pk,
            dimension=d["dimension"],
            goal=d["goal"],
            action=d["action"],
            agency_id=d["agency"].pk,
            due_date=d["due_date"],
        )

    form = PlanGoalForm(request.POST)
    done = _("Goal added to the plan.")
    return post_on_case(request, case, form, call, done=done, anchor="plan")


@personal_data
@login_required
@require_POST
@case_view
def plan_step(request, case: Case, goal_id: int, step: str):
    if step not in ("done", "drop"):
        raise Http404
    if not selectors.goal_on_case(case_id=case.pk, goal_id=goal_id):
        raise Http404

    def call(d):
        if step == "done":
            services.complete_plan_goal(
                actor=request.user, goal_id=goal_id, version=d["version"], note=d.get("text", "")
            )
        else:
            services.drop_plan_goal(
                actor=request.user, goal_id=goal_id, version=d["version"], reason=d.get("text", "")
            )

    done = _("Goal done.") if step == "done" else _("Goal dropped.")
    return post_on_case(request, case, GoalStepForm(request.POST), call, done=done, anchor="plan")
