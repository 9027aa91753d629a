"""Fail-closed enforcement of view access policies, and the request context for the audit log."""

import contextvars
import logging
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .network import client_ip
from .policy import PERSONAL_DATA, policy_of

log = logging.getLogger(__name__)

# (ip, channel) of the current request, read by the audit log.
request_context: contextvars.ContextVar[tuple[str | None, str]] = contextvars.ContextVar(
    "onehome_request_context", default=(None, "system")
)
# The current request, for code that is not handed one: the audit of changes to users and
# tokens (onehome/access/user_changes.py) reads the actor from it (`request.user`, set by the
# session middleware or by REST framework's authentication); None outside a request.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "onehome_current_request", default=None
)

# The purpose the client states for the current request (the `X-Purpose` header, cleaned
# and cut to the audit column's 200 characters; "" when none): `audit.record` writes it
# when its caller names no purpose of its own.
request_purpose: contextvars.ContextVar[str] = contextvars.ContextVar(
    "onehome_request_purpose", default=""
)
PURPOSE_MAX = 200


def stated_purpose(request) -> str:
    """The `X-Purpose` header as the audit log keeps it: printable text only, runs of
    whitespace as one space, at most 200 characters."""
    raw = request.META.get("HTTP_X_PURPOSE", "")[: PURPOSE_MAX * 4]
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:PURPOSE_MAX]


# Django's admin (namespace "admin") shows only users, areas and organisations — no
# personal-data model is registered there — and is limited to staff; static-file views
# serve assets.
TRUSTED_NAMESPACES = frozenset({"admin"})
TRUSTED_MODULE_PREFIXES = ("django.contrib.staticfiles", "django.views.static")


class AccessPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "page"
        token = request_context.set((client_ip(request), channel))
        current = current_request.set(request)
        purpose_token = request_purpose.set(stated_purpose(request))
        try:
            response = self.get_response(request)
        finally:
            request_purpose.reset(purpose_token)
            current_request.reset(current)
            request_context.reset(token)
        if getattr(request, "onehome_access_policy", None) == PERSONAL_DATA:
            # No browser or proxy cache may keep a page or API answer about people (a
            # shared computer at a tambon office, a caching proxy in between).
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (policy := policy_of(view_func)) is not None:
            request.onehome_access_policy = policy
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and TRUSTED_NAMESPACES.intersection(match.namespaces):
            return None
        if (view_func.__module__ or "").startswith(TRUSTED_MODULE_PREFIXES):
            return None
        error_id = uuid.uuid4().hex[:8]
        log.error("view %s has no access policy (error %s)", view_func.__qualname__, error_id)
        return HttpResponse(
            f"This page is not available (error {error_id}).", status=500, content_type="text/plain"
        )
