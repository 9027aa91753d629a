"""Locked-out sign-ins, through django-axes (configured in settings.py, "Sign-in").

Every sign-in goes through `django.contrib.auth.authenticate(request=…)`: the login page,
the admin's login and the API's token view. `LockoutBackend`, first in
AUTHENTICATION_BACKENDS, refuses before any password is checked when the account or the
client address is locked, so a right password does not get a locked account in. Every
failure is counted by `LockoutHandler` (axes' database handler) and the answer to a
locked-out try is `lockout_response`: a page in the user's language, or JSON on the API,
both 429 with Retry-After and the time to try again.
"""

import datetime as dt
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def plain_request(request) -> HttpRequest:
    """Django's request under REST framework's (the token view authenticates with the
    latter; the middleware that answers a lockout sees the former)."""
    return getattr(request, "_request", request)


class LockoutBackend(AxesStandaloneBackend):
    """axes' check before any password is tried. Marks the request it refuses, so that the
    audit row says the account or address was already locked (not a wrong password)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.onehome_refused_locked = True
            plain_request(request).onehome_refused_locked = True
            raise


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with two limits: ONEHOME_LOGIN_FAILURE_LIMIT failures on one
    account (from any address), ONEHOME_ADDRESS_FAILURE_LIMIT from one address (on any
    accounts; higher, since an office's staff may share one address)."""

    def get_failures(self, request, credentials=None) -> int:
        # One query set per AXES_LOCKOUT_PARAMETERS entry: ["username", "ip_address"].
        account, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # axes compares one count with AXES_FAILURE_LIMIT (the account's limit): the
        # address's count is scaled so that it reaches that limit when it reaches its own.
        limit = settings.AXES_FAILURE_LIMIT
        return max(account, address * limit // max(1, settings.ONEHOME_ADDRESS_FAILURE_LIMIT))

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in: that account's failures from that address only.
        (axes would clear every failure from the address, on any account, so that one valid
        account would wipe out the count of an attack on others from the same address.)"""
        count, _deleted = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def locked_until(request) -> dt.datetime:
    """When a locked account or address may try again: each try during the lockout counts
    as a failure and starts the wait again."""
    attempt = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempt + (get_cool_off(request) or dt.timedelta(0))


def lockout_message(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _(
        "Too many failed sign-ins for this account or from this address. Signing in is "
        "locked: try again after %(time)s (in %(minutes)d min). Every try before then "
        "starts the wait again. Your administrator can unlock it sooner."
    ) % {"time": formats.time_format(timezone.localtime(until), "H:i"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: 429 with Retry-After; JSON under /api/, else a page."""
    until = locked_until(request)
    message = lockout_message(until)
    retry_after = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": message,
                "code": "locked_out",
                "retry_after": retry_after,
                "locked_until": until.isoformat(),
            },
            status=429,
        )
    else:
        context = {"message": message, "locked_until": until}
        response = render(request, "signin/locked.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
