"""Refuse oversized request bodies before anything reads them.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body`/`POST` is read; REST
framework's parsers read the raw stream, so the limit is enforced here by Content-Length.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit and not content_type.startswith("multipart/"):
            return JsonResponse(
                {
                    "detail": _(
                        "The request is too large (%(size)d bytes; the limit is %(limit)d)."
                    )
                    % {"size": length, "limit": limit},
                    "code": "too_large",
                },
                status=413,
            )
        return self.get_response(request)
