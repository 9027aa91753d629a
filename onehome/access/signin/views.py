"""The second-factor pages: enrol an authenticator app (once), enter its code (each
sign-in). Only users who need a second factor see them; others are sent on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from onehome.access.policy import no_personal_data

from . import events, second_factor
from .forms import CodeForm

# The device whose secret the enrolment page showed, until its first code confirms it.
PENDING = "onehome_pending_device"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _refused(check: second_factor.Check) -> str:
    if check.wait_until is not None:
        time = formats.time_format(timezone.localtime(check.wait_until), "H:i:s")
        return _("Too many wrong codes. Wait until %(time)s, then enter the newest code.") % {
            "time": time
        }
    return _(
        "That code is not right. Enter the newest code from the app, and check that the "
        "phone's clock is set automatically."
    )


@no_personal_data
@login_required
def verify(request):
    user, target = request.user, _next(request)
    if not second_factor.needs_second_factor(user) or second_factor.is_verified(request):
        return redirect(target)
    if not second_factor.has_device(user):
        return redirect(f"{reverse('signin:enrol')}?{urlencode({'next': target})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = second_factor.verify(request, form.cleaned_data["code"])
        if check.ok:
            events.second_factor_confirmed(user, enrolled=False)
            return redirect(target)
        events.second_factor_failed(user)
        form.add_error("code", _refused(check))
    return render(request, "signin/verify.html", {"form": form, "next": target})


@no_personal_data
@login_required
def enrol(request):
    user, target = request.user, _next(request)
    if not second_factor.needs_second_factor(user) or second_factor.is_verified(request):
        return redirect(target)
    if second_factor.has_device(user):
        return redirect(f"{reverse('signin:verify')}?{urlencode({'next': target})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        device = second_factor.pending_enrolment(user, request.session.get(PENDING))
        if device is None:
            messages.warning(
                request, _("That secret is no longer valid. Add this new one to the app.")
            )
            return redirect(f"{reverse('signin:enrol')}?{urlencode({'next': target})}")
        if form.is_valid():
            check = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            if check.ok:
                request.session.pop(PENDING, None)
                events.second_factor_confirmed(user, enrolled=True)
                messages.success(
                    request,
                    _(
                        "The authenticator app is set up. From now on, enter its code "
                        "after your password."
                    ),
                )
                return redirect(target)
            events.second_factor_failed(user)
            form.add_error("code", _refused(check))
    else:
        device = second_factor.new_enrolment(user)
        request.session[PENDING] = device.pk
    context = {
        "form": form,
        "next": target,
        "qr": second_factor.qr_data_uri(device),
        "secret": second_factor.secret_text(device),
    }
    return render(request, "signin/enrol.html", context)
