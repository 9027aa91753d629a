"""Two checks on every request of a signed-in user, after Django's and django-otp's
authentication middleware:

- `IdleTimeoutMiddleware`: a session unused for ONEHOME_IDLE_MINUTES ends (audited as a
  sign-out); a page then goes to the login page with a message saying why, an API call
  carries on unauthenticated (and is refused as such).
- `SecondFactorMiddleware`: a user who needs a second factor and has not confirmed a code
  in this session reaches only the code page (or enrolment), sign-out and the language
  switch; every other page redirects there, and the API refuses the session with 403.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .second_factor import has_device, is_verified, needs_second_factor

# The last request's time (Unix seconds) in the session; written at most once a minute.
LAST_SEEN = "onehome_last_seen"
WRITE_EVERY = 60


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def mark_active(request) -> None:
    request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            minutes = settings.ONEHOME_IDLE_MINUTES
            if isinstance(last, int) and minutes > 0 and now - last > minutes * 60:
                request.onehome_sign_out_reason = f"session idle for over {minutes} minutes"
                logout(request)  # audited by signin.events
                if not _is_api(request):
                    messages.info(
                        request,
                        _(
                            "You were signed out because the session was not used for "
                            "%(minutes)d minutes. Please sign in again."
                        )
                        % {"minutes": minutes},
                    )
                    return redirect_to_login(request.get_full_path())
            elif not isinstance(last, int) or now - last >= WRITE_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        """What an unconfirmed session may reach: the code pages, sign-out, languages."""
        if self._open_paths is None:
            names = ("signin:enrol", "signin:verify", "logout", "set_language")
            self._open_paths = frozenset(reverse(name) for name in names)
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if (
            needs_second_factor(user)
            and not is_verified(request)
            and request.path not in self.open_paths()
        ):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": _(
                            "This account needs the code from its authenticator app: sign "
                            "in on the website and enter the code first."
                        ),
                        "code": "second_factor_required",
                    },
                    status=403,
                )
            target = reverse("signin:verify" if has_device(user) else "signin:enrol")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
