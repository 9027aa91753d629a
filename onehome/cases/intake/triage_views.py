"""Triage pages: the dispatch board, a report, and its triage — accept into a new case,
merge into an open one, or close with a reason. Each write is a POST that calls one
service and comes back; a stale version is shown as a message, never saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.cases.deadlines import sla
from onehome.cases.deadlines.selectors import mark_overdue
from onehome.cases.form_base import VersionForm
from onehome.cases.intake import selectors, triage
from onehome.cases.intake.forms import MergeForm, ReasonForm
from onehome.cases.lifecycle.selectors import visible_case_numbered
from onehome.cases.service_messages import safe_next, service_errors_shown
from onehome.cases.visibility.forms import GlassForm
from onehome.cases.visibility.selectors import can_work_on
from onehome.errors import NotInScopeError, ValidationError


@personal_data
@login_required
def dispatch_board(request):
    if not can_work_on(request.user):
        raise Http404
    reports = mark_overdue(selectors.dispatch_board(request.user)[:200])
    audit.listed(request.user, reports, kind="cases.report", purpose="dispatch board")
    return render(request, "cases/dispatch.html", {"reports": reports})


@personal_data
@login_required
def report_detail(request, pk: int):
    try:
        report = selectors.report_for_view(request.user, pk, purpose="view report")
    except NotInScopeError:
        # A report of a sensitive case shows, like its case, only the glass to who may break it.
        case_id = selectors.report_case_behind_glass(request.user, pk)
        if case_id is None:
            raise Http404 from None
        return render(request, "cases/glass.html", {"pk": case_id, "form": GlassForm()})
    parties = selectors.parties_shown_to(request.user, report)
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
        # The triage steps the user may take, from the report's workflow (own unit or area).
        "can_triage": bool(triage.REPORTS.allowed_next(report, request.user)),
    }
    return render(request, "cases/report_detail.html", context)


def _report_step(request, pk: int, form_class, call):
    if not selectors.may_see_report(request.user, pk):
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
        case = triage.accept_report(actor=request.user, report_id=pk, version=d["version"])
        messages.success(request, _("Case %(n)s opened.") % {"n": case.number})
        return redirect("cases:case", pk=case.pk)

    return _report_step(request, pk, VersionForm, call)


@personal_data
@login_required
@require_POST
def report_merge(request, pk: int):
    def call(d):
        case = visible_case_numbered(request.user, d["case_number"])
        if case is None:
            raise ValidationError(
                _("No open case %(n)s that you can see.") % {"n": d["case_number"]}
            )
        case = triage.merge_report(
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
        report = triage.close_report(
            actor=request.user, report_id=pk, reason=d["reason"], version=d["version"]
        )
        messages.success(request, _("Report %(r)s closed.") % {"r": report.reference})
        return redirect("cases:dispatch")

    return _report_step(request, pk, ReasonForm, call)
