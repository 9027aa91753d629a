"""The DPO's home page, and a person's privacy page (consents; for the DPO, requests and
the access export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.access.roles import Action, may
from onehome.cases.service_messages import service_errors_shown
from onehome.privacy import selectors
from onehome.privacy.consent import selectors as consent_selectors
from onehome.privacy.consent import services as consent
from onehome.privacy.forms import ConsentForm, RequestForm, StepForm, WithdrawForm
from onehome.privacy.requests import selectors as request_selectors
from onehome.privacy.requests import services as request_services


def require(user, action: Action) -> None:
    """Anyone the role table does not let do ``action`` sees no page (404, like a record
    outside the area)."""
    if not may(user, action):
        raise Http404


@personal_data
@login_required
def home(request):
    require(request.user, Action.HANDLE_DATA_REQUESTS)
    q = request.GET.get("q", "")
    context = selectors.dpo_home(request.user)
    context["q"] = q
    context["found"] = list(request_selectors.search_people(request.user, q)) if q else None
    shown = {
        "registry.person": context["found"] or [],
        "privacy.datarequest": context["open_requests"],
        "privacy.breach": context["breaches"],
        "privacy.emergencyoverride": context["overrides"],
    }
    audit.record_shown(request.user, shown, purpose="privacy home")
    return render(request, "privacy/home.html", context)


@personal_data
@login_required
def person_privacy(request, pk: int):
    user = request.user
    require(user, Action.RECORD_CONSENT)
    person = consent_selectors.person_for_consent(user, pk)
    consents = list(consent_selectors.consents_of(person))
    for c in consents:
        c.withdraw_form = WithdrawForm(initial={"version": c.version})
    context = {
        "person": person,
        "consents": consents,
        "consent_form": ConsentForm(),
        "dpo": may(user, Action.HANDLE_DATA_REQUESTS),
    }
    if context["dpo"]:
        context["requests"] = list(
            request_selectors.requests_in_area(user).filter(person=person).order_by("-received_on")
        )
        for r in context["requests"]:
            r.step_form = StepForm(initial={"version": r.version})
            r.next_steps = request_services.REQUESTS.allowed_next(r, user)
        context["request_form"] = RequestForm()
    return render(request, "privacy/person.html", context)


@personal_data
@login_required
@require_POST
def consent_add(request, pk: int):
    require(request.user, Action.RECORD_CONSENT)
    person = consent_selectors.person_for_consent(request.user, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the consent form: every choice is required."))
        return redirect("privacy:person", pk=person.pk)
    with service_errors_shown(request) as outcome:
        consent.record_consent(actor=request.user, person_id=person.pk, **form.cleaned_data)
    if outcome.ok:
        messages.success(request, _("Consent recorded."))
    return redirect("privacy:person", pk=person.pk)


@personal_data
@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_id: int):
    require(request.user, Action.RECORD_CONSENT)
    person = consent_selectors.person_for_consent(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("privacy:person", pk=person.pk)
    with service_errors_shown(request) as outcome:
        consent.withdraw_consent(
            actor=request.user,
            consent_id=consent_id,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    if outcome.ok:
        messages.success(request, _("Withdrawal recorded."))
    return redirect("privacy:person", pk=person.pk)
