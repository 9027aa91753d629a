"""Refuse oversized request bodies before anything reads them.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body`/`POST` is read, and
never counts uploaded files; REST framework's parsers read the raw stream. So the limits
are enforced here, by the declared Content-Length, before a byte of the body is read:
DATA_UPLOAD_MAX_MEMORY_SIZE for every body but file uploads (multipart), and
ONEHOME_UPLOAD_MAX_SIZE for those (survey rounds and welfare-card lists are large).
A body longer than it declares is cut at the declared length by the WSGI server and
Django's LimitedStream, so the declaration is what counts.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def body_limit(content_type: str) -> int:
    """The largest body accepted for this content type (0: no limit)."""
    if content_type.startswith("multipart/"):
        return settings.ONEHOME_UPLOAD_MAX_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request.META.get("CONTENT_TYPE", ""))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            message = _("The request is too large (%(size)d bytes; the limit is %(limit)d).") % {
                "size": length,
                "limit": limit,
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
