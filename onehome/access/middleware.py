"""Fail-closed enforcement of view access policies, and the request context for the audit log."""

import contextvars
import logging
import uuid

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from .network import client_ip
from .policy import PERSONAL_DATA, policy_of

log = logging.getLogger(__name__)

# (ip, channel) of the current request, read by the audit log.
request_context: contextvars.ContextVar[tuple[str | None, str]] = contextvars.ContextVar(
    "onehome_request_context", default=(None, "system")
)

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
        try:
            response = self.get_response(request)
        finally:
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
