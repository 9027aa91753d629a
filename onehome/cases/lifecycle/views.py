"""Pages of case work: "my work" and the case page with its own actions (status changes,
notes, workers, transfer). The case page shows the forms of every capability — each only
to who may use it (`case_actions`); their POST views live in the capability's sub-package.

Every write is a POST to a small view that calls one service and comes back to the page;
a stale version (someone changed the case meanwhile) is shown as a message, never saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.cases.assistance import selectors as assistance_selectors
from onehome.cases.assistance.forms import ServiceForm, stock_at
from onehome.cases.case_access import case_view
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.forms import PauseForm
from onehome.cases.deadlines.selectors import mark_overdue
from onehome.cases.form_base import VersionForm
from onehome.cases.lifecycle import done_messages, fiscal_years, selectors, services, transitions
from onehome.cases.lifecycle.case_actions import case_actions
from onehome.cases.lifecycle.forms import (
    AssignForm,
    CloseForm,
    NoteForm,
    TransferForm,
    TransitionForm,
    UnassignForm,
)
from onehome.cases.models import Case, CaseStatus, Dimension, Risk
from onehome.cases.plans.forms import AssessmentForm, GoalStepForm, PlanGoalForm
from onehome.cases.referrals import selectors as referral_selectors
from onehome.cases.referrals.forms import ReferralForm
from onehome.cases.service_messages import back_to_case, post_on_case, service_errors_shown
from onehome.cases.visibility import glass, sensitivity
from onehome.cases.visibility.forms import LowerSensitivityForm

WORK_PAGE_SIZE = 25
# Statuses reached by their own action on the case page rather than a status button.
OWN_WAY = frozenset({CaseStatus.REFERRED, CaseStatus.CLOSURE_REQUESTED, CaseStatus.CLOSED})


@personal_data
@login_required
def my_work(request):
    """Each case of the user's work once (its reasons as badges), 25 a page; referrals to
    answer 25 a page (`?rpage=`). A page number that is no number or past the end shows
    the first or the last page (`Paginator.get_page`)."""
    user = request.user
    if not user.reads_personal_data:
        raise Http404
    work = selectors.my_work(user)
    listed = selectors.work_cases(user)
    per_fiscal_year = fiscal_years.opened_per_fiscal_year(listed)
    if fy := fiscal_years.chosen_fiscal_year(request.GET.get("fy")):
        listed = fiscal_years.opened_in_fiscal_year(listed, fy)
    page = Paginator(listed, WORK_PAGE_SIZE).get_page(request.GET.get("page"))
    cases = mark_overdue(page.object_list)
    reasons = selectors.work_reasons(user, [c.pk for c in cases])
    for c in cases:
        c.reasons = reasons.get(c.pk, [])
    page.object_list = cases
    referrals = Paginator(referral_selectors.referrals_to_answer(user=user), WORK_PAGE_SIZE)
    referral_page = referrals.get_page(request.GET.get("rpage"))
    context = {
        "page": page,
        "cases": cases,
        "per_fiscal_year": per_fiscal_year,
        "fiscal_year": fy,
        "counts": selectors.work_counts(user),
        "reports": mark_overdue(work["reports"][:20]),
        "referral_page": referral_page,
        "to_answer": list(referral_page.object_list),
        "cash_approvals": list(assistance_selectors.services_awaiting_approval(user=user)[:50]),
    }
    context["approval_count"] = context["counts"]["approval"] + len(context["cash_approvals"])
    c = context
    shown = {
        "cases.case": c["cases"],
        "cases.report": c["reports"],
        "cases.referral": c["to_answer"],
        "cases.service": c["cash_approvals"],
    }
    audit.record_shown(user, shown, purpose="my work")
    return render(request, "cases/my_work.html", context)


@personal_data
@login_required
@case_view(related=selectors.CASE_DETAIL_RELATED, glass_form=True)
def case_detail(request, case: Case):
    user = request.user
    detail = selectors.case_detail_of(user, case, purpose="view case")
    acts = case_actions(user, case)
    closure = services.closure_plan(user, case, detail.moves)
    context = {
        **detail.as_context(),
        "case": case,
        "overdue": sla.is_overdue(case),
        "grant": glass.active_grant(user, case) if case.sensitive else None,
        "sensitivity_form": LowerSensitivityForm(initial={"version": case.version})
        if sensitivity.may_lower_sensitivity(user, case)
        else None,
        # Referring and closing have one way each (the referral form, the close panel),
        # not a status button besides.
        "moves": [
            (to, rule, TransitionForm(initial={"to_status": to, "version": case.version}))
            for to, rule in detail.moves
            if to not in OWN_WAY
        ],
        "may_refer": any(to == CaseStatus.REFERRED for to, _rule in detail.moves),
        "closure": closure,
        "closure_approvers": services.closure_approvers(case) if closure else [],
        "case_reports": selectors.case_reports(user, case, purpose="view case"),
        "status_label": transitions.status_label,
        "note_form": NoteForm() if acts.work else None,
        "referral_form": ReferralForm(
            initial={"version": case.version},
            province_id=case.subdistrict.province_id,
            exclude_org=user.organisation_id,
            area=case.subdistrict_id,
        )
        if acts.work and user.organisation_id
        else None,
        "approver": acts.approve,
        **case_action_forms(
            user,
            case,
            plan=detail.plan,
            assessments_=detail.assessments,
            assignments=detail.assignments,
            acts=acts,
        ),
    }
    return render(request, "cases/case_detail.html", context)


@personal_data
@login_required
@require_POST
@case_view
def case_transition(request, case: Case):
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return back_to_case(case.pk)
    d = form.cleaned_data
    with service_errors_shown(request):
        moved = transitions.transition(
            actor=request.user,
            case_id=case.pk,
            to_status=d["to_status"],
            reason=d.get("reason", ""),
            version=d["version"],
        )
        messages.success(request, done_messages.moved(moved, case.status, d["to_status"]))
    return back_to_case(case.pk)


@personal_data
@login_required
@case_view(related=selectors.CASE_DETAIL_RELATED)
def case_close(request, case: Case):
    """The one "close the case" action. GET, or a POST without ``confirm``, shows what will
    happen (who approves, that it can be reopened, who is told) and changes nothing; the
    confirmed POST closes, requests or approves (`services.close_case`)."""
    user = request.user
    moves = transitions.allowed_next(case, user)
    closure = services.closure_plan(user, case, moves)
    if closure is None:
        messages.error(
            request,
            _("You may not close case %(number)s now (it is “%(status)s”).")
            % {"number": case.number, "status": case.get_status_display()},
        )
        return back_to_case(case.pk)
    form = CloseForm(request.POST or None, initial={"version": case.version})
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    if confirmed and form.is_valid():
        d = form.cleaned_data
        with service_errors_shown(request) as outcome:
            done = services.close_case(
                actor=user, case_id=case.pk, reason=d.get("reason", ""), version=d["version"]
            )
        if outcome.ok:
            messages.success(request, done_messages.closure(case, done))
            return back_to_case(case.pk)
        return back_to_case(case.pk, "close")
    context = {
        "case": case,
        "closure": closure,
        "closure_approvers": services.closure_approvers(case),
        "form": form,
        "unconfirmed": request.method == "POST",
    }
    return render(request, "cases/case_close.html", context)


@personal_data
@login_required
@require_POST
@case_view
def case_note(request, case: Case):
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return back_to_case(case.pk)
    with service_errors_shown(request):
        services.add_note(actor=request.user, case_id=case.pk, text=form.cleaned_data["text"])
        messages.success(request, _("Note added to case %(number)s.") % {"number": case.number})
    return back_to_case(case.pk)


@personal_data
@login_required
@require_POST
@case_view
def case_assign(request, case: Case):
    def call(d):
        services.assign_worker(
            actor=request.user,
            case_id=case.pk,
            user_id=d["user"].pk,
            version=d["version"],
            lead=d.get("lead", False),
        )

    form = AssignForm(request.POST)
    done = done_messages.assigned(case)
    return post_on_case(request, case, form, call, done=done, anchor="workers")


@personal_data
@login_required
@require_POST
@case_view
def case_unassign(request, case: Case):
    def call(d):
        services.unassign_worker(
            actor=request.user, case_id=case.pk, user_id=d["user"], version=d["version"]
        )

    form = UnassignForm(request.POST)
    done = done_messages.unassigned(case)
    return post_on_case(request, case, form, call, done=done, anchor="workers")


@personal_data
@login_required
@require_POST
@case_view
def case_transfer(request, case: Case):
    def call(d):
        services.transfer_case(
            actor=request.user,
            case_id=case.pk,
            to_org_id=d["to_org"].pk,
            reason=d["reason"],
            version=d["version"],
        )

    form = TransferForm(request.POST)
    done = done_messages.transferred(case)
    return post_on_case(request, case, form, call, done=done, anchor="workers")


def case_action_forms(
    user, case, *, plan: list, assessments_: list, assignments: list, acts
) -> dict:
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
        "plan_form": PlanGoalForm(
            province_id=province, area=case.subdistrict_id, auto_id="id_plan_%s"
        )
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
