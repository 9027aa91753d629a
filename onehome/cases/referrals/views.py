"""Referral pages: the inbox and outbox of the user's organisation with turnaround
figures and the per-unit deadline counts, sending a referral from the case page, each
answer of the receiver."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.cases.case_access import case_view
from onehome.cases.deadlines import figures
from onehome.cases.lifecycle import done_messages
from onehome.cases.models import Case
from onehome.cases.referrals import selectors, services
from onehome.cases.referrals.forms import ReferralForm, ReferralStepForm
from onehome.cases.referrals.services import REFERRALS
from onehome.cases.service_messages import back_to_case, safe_next, service_errors_shown
from onehome.cases.visibility.selectors import can_work_on


def _unit_bars(units) -> list[dict]:
    bars = []
    for u in units[:15]:
        late = u.overdue + u.reports_overdue
        note = _("%(b)d breached") % {"b": u.breached} if u.breached else ""
        bars.append({"label": u.unit_name or _("Not routed"), "value": late, "note": note})
    return bars


@personal_data
@login_required
def referral_boxes(request):
    user = request.user
    if not can_work_on(user):
        raise Http404
    box = "outbox" if request.GET.get("box") == "outbox" else "inbox"
    select = selectors.referral_outbox if box == "outbox" else selectors.referral_inbox
    rows = audit.listed(
        user, select(user=user).order_by("-sent_at", "-id")[:200], kind="cases.referral",
        purpose=f"referral {box}",
    )  # fmt: skip
    for r in rows:
        r.step_form = ReferralStepForm(initial={"version": r.version})
        # The steps the user may take: the workflow's answer, not the template's.
        r.next_steps = REFERRALS.allowed_next(r, user) if box == "inbox" else []
    both = selectors.referral_inbox(user=user) | selectors.referral_outbox(user=user)
    units = figures.deadlines_by_unit(user)
    context = {
        "box": box,
        "rows": rows,
        "turnaround": selectors.referral_turnaround(both),
        "units": units,
        "unit_bars": _unit_bars(units),
    }
    return render(request, "cases/referrals.html", context)


@personal_data
@login_required
@require_POST
@case_view
def case_refer(request, case: Case):
    form = ReferralForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return back_to_case(case.pk)
    d = form.cleaned_data
    with service_errors_shown(request):
        referral = services.send_referral(
            actor=request.user,
            case_id=case.pk,
            to_org_id=d["to_org"].pk,
            need=d["need"],
            due_at=d["due_at"],
            emergency_reason=d.get("emergency_reason", ""),
        )
        status_now = referral.case.status
        done = done_messages.referred(case, referral.to_org.name_th, case.status, status_now)
        messages.success(request, done)
    return back_to_case(case.pk, "referrals")


STEPS = {
    "accept": (services.accept_referral, "note"),
    "decline": (services.decline_referral, "reason"),
    "deliver": (services.deliver_referral, "note"),
    "outcome": (services.report_referral_outcome, "outcome"),
}


@personal_data
@login_required
@require_POST
def referral_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    if not selectors.may_see_referral(request.user, pk):
        raise Http404
    form = ReferralStepForm(request.POST)
    back = safe_next(request, "cases:referrals")
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(back)
    service, arg = STEPS[step]
    d = form.cleaned_data
    with service_errors_shown(request):
        referral = service(
            actor=request.user, referral_id=pk, version=d["version"], **{arg: d.get("text", "")}
        )
        messages.success(request, _step_done(step, referral))
    return redirect(back)


def _step_done(step: str, referral) -> str:
    """What the receiver's answer did, naming the case and the sender."""
    names = {"number": referral.case.number, "org": referral.from_org.name_th}
    if step == "accept":
        return _("Referral of case %(number)s from %(org)s accepted.") % names
    if step == "decline":
        return _("Referral of case %(number)s from %(org)s declined; %(org)s is told.") % names
    if step == "deliver":
        return _("Referral of case %(number)s marked delivered.") % names
    return _("Outcome of the referral of case %(number)s reported to %(org)s.") % names
