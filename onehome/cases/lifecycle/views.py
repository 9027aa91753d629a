"""Pages of triage and case work: the dispatch board, a report, "my work" and the case page
with its actions (status changes, notes, services, break the glass).

Every write is a POST to a small view that calls one service and comes back to the page;
a stale version (someone changed the case meanwhile) is shown as a message, never saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access.policy import personal_data
from onehome.errors import NotInScopeError, ValidationError

from . import assistance, glass, lifecycle, selectors, services, sla
from .case_actions import case_actions
from .case_bundle import case_bundle
from .forms import (
    GlassForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ReferralForm,
    TransitionForm,
    VersionForm,
    safe_next,
)
from .models import ReportStatus
from .service_messages import service_errors_shown
from .triage import TRIAGE_ROLES
from .visibility import can_work_on, cases_needing_glass, visible_cases
from .work_forms import ServiceForm
from .work_views import work_context


def _mark_overdue(rows, now=None):
    now = now or timezone.now()
    rows = list(rows)
    for row in rows:
        row.overdue = sla.is_overdue(row, now)
    return rows


@personal_data
@login_required
def dispatch_board(request):
    if not can_work_on(request.user):
        raise Http404
    reports = _mark_overdue(selectors.dispatch_board(request.user)[:200])
    return render(request, "cases/dispatch.html", {"reports": reports})


@personal_data
@login_required
def report_detail(request, pk: int):
    try:
        report = selectors.report_for_view(request.user, pk, purpose="view report")
    except NotInScopeError:
        raise Http404 from None
    parties = list(report.parties.select_related("person").order_by("role", "id"))
    if not can_work_on(request.user):
        parties = [p for p in parties if p.role != "alleged_offender"]
    context = {
        "report": report,
        "parties": parties,
        "overdue": sla.is_overdue(report),
        "earlier": selectors.earlier_reports(
            request.user,
            person_ids=[p.person_id for p in parties if p.person_id],
            subdistrict=report.subdistrict_id,
            address=report.address,
            exclude_report_id=report.pk,
        ),
        "can_triage": request.user.has_role(*TRIAGE_ROLES)
        and report.status == ReportStatus.WAITING,
    }
    return render(request, "cases/report_detail.html", context)


def _report_step(request, pk: int, form_class, call):
    if not selectors.visible_reports(request.user).filter(pk=pk).exists():
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please fill in the form."))
        return redirect(safe_next(request, "cases:dispatch"))
    with service_errors_shown(request):
        return call(form.cleaned_data)
    return redirect(safe_next(request, "cases:dispatch"))


@personal_data
@login_required
@require_POST
def report_accept(request, pk: int):
    def call(d):
        case = services.accept_report(actor=request.user, report_id=pk, version=d["version"])
        messages.success(request, _("Case %(n)s opened.") % {"n": case.number})
        return redirect("cases:case", pk=case.pk)

    return _report_step(request, pk, VersionForm, call)


@personal_data
@login_required
@require_POST
def report_merge(request, pk: int):
    def call(d):
        case = visible_cases(request.user).filter(number=d["case_number"].strip()).first()
        if case is None:
            raise ValidationError(
                _("No open case %(n)s that you can see.") % {"n": d["case_number"]}
            )
        case = services.merge_report(
            actor=request.user, report_id=pk, case_id=case.pk, version=d["version"]
        )
        messages.success(request, _("Report added to case %(n)s.") % {"n": case.number})
        return redirect("cases:case", pk=case.pk)

    return _report_step(request, pk, MergeForm, call)


@personal_data
@login_required
@require_POST
def report_close(request, pk: int):
    def call(d):
        report = services.close_report(
            actor=request.user, report_id=pk, reason=d["reason"], version=d["version"]
        )
        messages.success(request, _("Report %(r)s closed.") % {"r": report.reference})
        return redirect("cases:dispatch")

    return _report_step(request, pk, ReasonForm, call)


@personal_data
@login_required
def my_work(request):
    user = request.user
    if not user.reads_personal_data:
        raise Http404
    from . import referrals

    work = selectors.my_work(user)
    context = {
        "cases": _mark_overdue(work["cases"][:100]),
        "unit_cases": _mark_overdue(work["unit_cases"][:100]),
        "approvals": list(work["approvals"][:100]),
        "overdue": list(work["overdue"][:100]),
        "reports": _mark_overdue(work["reports"][:20]),
        "to_answer": list(
            referrals.referral_inbox(user=user).filter(status__in=referrals.OPEN_REFERRAL)[:50]
        ),
        "cash_approvals": list(assistance.services_awaiting_approval(user=user)[:50]),
    }
    context["approval_count"] = len(context["approvals"]) + len(context["cash_approvals"])
    return render(request, "cases/my_work.html", context)


@personal_data
@login_required
def case_detail(request, pk: int):
    user = request.user
    try:
        bundle = case_bundle(user, pk, purpose="view case")
    except NotInScopeError:
        # In scope but behind the glass: only the form, nothing of the case.
        if cases_needing_glass(user).filter(pk=pk).exists():
            return render(request, "cases/glass.html", {"pk": pk, "form": GlassForm()})
        raise Http404 from None
    case = bundle.case
    acts = case_actions(user, case)
    context = {
        **bundle.as_context(),
        "case": case,
        "overdue": sla.is_overdue(case),
        "grant": glass.active_grant(user, case) if case.sensitive else None,
        "moves": [
            (to, rule, TransitionForm(initial={"to_status": to, "version": case.version}))
            for to, rule in bundle.moves
        ],
        "status_label": lifecycle.status_label,
        "note_form": NoteForm() if acts.work else None,
        "referral_form": ReferralForm(
            initial={"version": case.version},
            province_id=case.subdistrict.province_id,
            exclude_org=user.organisation_id,
        )
        if acts.work and user.organisation_id
        else None,
        "approver": acts.approve,
        **work_context(
            user,
            case,
            plan=bundle.plan,
            assessments_=bundle.assessments,
            assignments=bundle.assignments,
            acts=acts,
        ),
    }
    return render(request, "cases/case_detail.html", context)


def _back(pk: int):
    return redirect("cases:case", pk=pk)


def _visible_or_404(user, pk: int) -> None:
    if not visible_cases(user).filter(pk=pk).exists():
        raise Http404


@personal_data
@login_required
@require_POST
def case_transition(request, pk: int):
    _visible_or_404(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return _back(pk)
    d = form.cleaned_data
    with service_errors_shown(request):
        lifecycle.transition(
            actor=request.user,
            case_id=pk,
            to_status=d["to_status"],
            reason=d.get("reason", ""),
            version=d["version"],
        )
        messages.success(request, _("Status changed."))
    return _back(pk)


@personal_data
@login_required
@require_POST
def case_note(request, pk: int):
    _visible_or_404(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note."))
        return _back(pk)
    with service_errors_shown(request):
        services.add_note(actor=request.user, case_id=pk, text=form.cleaned_data["text"])
    return _back(pk)


@personal_data
@login_required
@require_POST
def case_glass(request, pk: int):
    # The service answers scope first (404), so no check is needed before the form.
    form = GlassForm(request.POST)
    form.is_valid()
    try:
        glass.break_glass(
            actor=request.user, case_id=pk, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "visible":  # already open to them
            return _back(pk)
        for m in exc.messages:
            form.add_error("reason", m)
        return render(request, "cases/glass.html", {"pk": pk, "form": form}, status=400)
    except NotInScopeError:
        raise Http404 from None
    return _back(pk)


@personal_data
@login_required
@require_POST
def case_service(request, pk: int):
    _visible_or_404(request.user, pk)
    form = ServiceForm(request.POST)
    with service_errors_shown(request):
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        d = form.cleaned_data
        service = assistance.request_service(
            actor=request.user,
            case_id=pk,
            kind=d["kind"],
            description=d.get("description", ""),
            amount=d.get("amount"),
            item_id=d["item"].pk if d.get("item") else None,
            quantity=d.get("quantity"),
            provider_id=d["provider"].pk if d.get("provider") else None,
        )
        if service.status == "awaiting_approval":
            messages.info(request, _("Above the ceiling: the request waits for a supervisor."))
        else:
            messages.success(request, _("Service recorded."))
    return redirect(reverse("cases:case", args=[pk]) + "#services")


@personal_data
@login_required
@require_POST
def service_decide(request, pk: int, decision: str):
    steps = {
        "approve": assistance.approve_service,
        "reject": assistance.reject_service,
        "deliver": assistance.deliver_service,
    }
    if decision not in steps:
        raise Http404
    text = (request.POST.get("reason") or "").strip()
    kwargs = {"note": text} if decision == "deliver" else {"reason": text}
    with service_errors_shown(request):
        service = steps[decision](actor=request.user, service_id=pk, **kwargs)
        messages.success(request, _("Saved."))
        return _back(service.case_id)
    case_id = request.POST.get("case")
    return _back(int(case_id)) if (case_id or "").isdigit() else redirect("cases:my_work")
