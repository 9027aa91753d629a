"""The request register's pages: recording a request from the person's privacy page, its
steps, the list with overdue requests first, and the access export (Thai, printable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.service_messages import service_errors_shown
from onehome.privacy.forms import RequestForm, StepForm
from onehome.privacy.models import RequestStatus
from onehome.privacy.requests import erasure, export, selectors, services
from onehome.web.templatetags.thai_dates import thai_date


def _dpo_only(user) -> None:
    if not may(user, Action.HANDLE_DATA_REQUESTS):
        raise Http404


@personal_data
@login_required
def request_list(request):
    _dpo_only(request.user)
    status = request.GET.get("status", "open")
    rows = selectors.requests_in_area(request.user)
    if status == "open":
        rows = selectors.open_requests(request.user)
    elif status in RequestStatus.values:
        rows = rows.filter(status=status)
    rows = audit.listed(
        request.user, rows.order_by("due_on", "id")[:300], kind="privacy.datarequest",
        purpose="data requests",
    )  # fmt: skip
    for r in rows:
        r.step_form = StepForm(initial={"version": r.version})
        r.next_steps = services.REQUESTS.allowed_next(r, request.user)
    return render(
        request,
        "privacy/requests.html",
        {"rows": rows, "status": status, "statuses": RequestStatus.choices},
    )


@personal_data
@login_required
@require_POST
def request_add(request, pk: int):
    _dpo_only(request.user)
    person = selectors.person_for_request(request.user, pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("privacy:person", pk=person.pk)
    with service_errors_shown(request) as outcome:
        made = services.record_request(actor=request.user, person_id=person.pk, **form.cleaned_data)
    if outcome.ok:
        messages.success(
            request,
            _("Request recorded. Answer due by %(due)s.") % {"due": thai_date(made.due_on)},
        )
    return redirect("privacy:person", pk=person.pk)


@personal_data
@login_required
@require_POST
def request_step(request, pk: int, to_status: str):
    _dpo_only(request.user)
    found = selectors.request_in_area(request.user, pk)
    form = StepForm(request.POST)
    if to_status not in RequestStatus.values or not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("privacy:requests")
    with service_errors_shown(request) as outcome:
        services.move_request(
            actor=request.user,
            request_id=found.pk,
            to_status=to_status,
            version=form.cleaned_data["version"],
            text=form.cleaned_data["text"],
        )
    if outcome.ok:
        messages.success(request, _("Request updated."))
    if request.POST.get("back") == "person":
        return redirect("privacy:person", pk=found.person_id)
    return redirect("privacy:requests")


@personal_data
@login_required
@require_POST
def request_erase(request, pk: int):
    """Answer an erasure request by anonymising the person and the closed cases about them."""
    _dpo_only(request.user)
    found = selectors.request_in_area(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("privacy:person", pk=found.person_id)
    with service_errors_shown(request) as outcome:
        erasure.erase_person(
            actor=request.user,
            request_id=found.pk,
            version=form.cleaned_data["version"],
            text=form.cleaned_data["text"],
        )
    if outcome.ok:
        messages.success(request, _("The person's data was anonymised and the request answered."))
    return redirect("privacy:person", pk=found.person_id)


@personal_data
@login_required
def person_export(request, pk: int):
    """What is held about the person, in Thai whatever the DPO's language: it is given to
    the person. Printable (the browser's print or save as PDF)."""
    _dpo_only(request.user)
    held = export.held_about(request.user, pk)
    with override("th"):
        return render(request, "privacy/export.html", {"held": held})
