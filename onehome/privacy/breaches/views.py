"""The breach register's pages: the list with the 72-hour deadline, a new breach, and the
notices and closing of one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.form_base import apply_service_error
from onehome.cases.service_messages import service_errors_shown
from onehome.errors import ValidationError
from onehome.privacy.breaches import selectors, services
from onehome.privacy.forms import BreachForm, CloseForm, NoticeForm


def _keeper_only(user) -> None:
    if not may(user, Action.RECORD_BREACHES):
        raise Http404


@personal_data
@login_required
def breach_list(request):
    user = request.user
    _keeper_only(user)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.record_breach(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("Breach recorded."))
            return redirect("privacy:breach", pk=breach.pk)
    rows = audit.listed(
        user, selectors.breaches_in_area(user)[:200], kind="privacy.breach", purpose="breaches"
    )
    return render(request, "privacy/breaches.html", {"rows": rows, "form": form})


@personal_data
@login_required
def breach_detail(request, pk: int):
    _keeper_only(request.user)
    breach = selectors.breach_in_area(request.user, pk)
    initial = {"version": breach.version}
    return render(
        request,
        "privacy/breach.html",
        {
            "breach": breach,
            "notice_form": NoticeForm(initial=initial),
            "subjects_form": NoticeForm(initial=initial),
            "close_form": CloseForm(initial=initial),
            "next_steps": services.BREACHES.allowed_next(breach, request.user),
        },
    )


STEPS = {"pdpc": "notify_pdpc", "subjects": "notify_subjects", "close": "close_breach"}


@personal_data
@login_required
@require_POST
def breach_step(request, pk: int, step: str):
    _keeper_only(request.user)
    if step not in STEPS:
        raise Http404
    breach = selectors.breach_in_area(request.user, pk)
    form = (CloseForm if step == "close" else NoticeForm)(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("privacy:breach", pk=breach.pk)
    d = form.cleaned_data
    with service_errors_shown(request) as outcome:
        if step == "pdpc":
            services.notify_pdpc(
                actor=request.user,
                breach_id=breach.pk,
                version=d["version"],
                at=d["at"],
                late_reason=d["late_reason"],
            )
        elif step == "subjects":
            services.notify_subjects(
                actor=request.user, breach_id=breach.pk, version=d["version"], at=d["at"]
            )
        else:
            services.close_breach(
                actor=request.user, breach_id=breach.pk, version=d["version"], reason=d["text"]
            )
    if outcome.ok:
        messages.success(request, _("Breach updated."))
    return redirect("privacy:breach", pk=breach.pk)
