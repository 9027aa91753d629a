"""Turns the errors users can cause into clear API responses (in the request's language).

| error                         | status |
|-------------------------------|--------|
| RequestKeyReusedError         | 422    |
| ValidationError               | 400    |
| NotInScopeError, Http404      | 404    |
| DuplicateError                | 409 (with a link to the existing record's API detail) |
| LikelyDuplicatesError         | 409 (with the candidates) |
| StaleVersionError             | 412 when If-Match was sent, else 409 |
| OverflowError                 | 400 (an integer past 64 bits reached SQLite) |

A DuplicateError names a record the caller may see: a service that finds the duplicate
outside the caller's area raises a ValidationError instead (registry: a refused document
number), so that the 409 never tells that a record exists elsewhere.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from onehome.errors import (
    DuplicateError,
    LikelyDuplicatesError,
    NotInScopeError,
    RequestKeyReusedError,
    StaleVersionError,
)


def _detail_path(obj) -> str | None:
    """The API address of `obj`: the detail route registered under its model's name
    (person → /api/people/1/, referral → /api/referrals/7/); None when it has none."""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return None
    try:
        return reverse(f"{meta.model_name}-detail", kwargs={"pk": obj.pk})
    except NoReverseMatch:
        return None


def _messages(exc: DjangoValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, RequestKeyReusedError):
        return Response(
            {"detail": " ".join(_messages(exc)), "code": exc.code},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, DjangoValidationError):
        messages = _messages(exc)
        return Response(
            {"detail": " ".join(messages), "code": getattr(exc, "code", None) or "invalid"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, OverflowError):
        # Only a number from the request can be this large: SQLite refuses integers past
        # 64 bits where PostgreSQL answers "no such row". Fields and filters check their
        # ranges; this is the net for a parameter that reaches a query unchecked.
        return Response(
            {"detail": _("A number in the request is out of range."), "code": "out_of_range"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, NotInScopeError):
        exc = Http404()
    if isinstance(exc, DuplicateError):
        existing = exc.existing
        body = {"detail": str(exc), "code": "duplicate"}
        if existing is not None:
            body["existing_id"] = existing.pk
            path = _detail_path(existing)
            if path and request is not None:
                body["existing"] = request.build_absolute_uri(path)
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, LikelyDuplicatesError):
        return Response(
            {
                "detail": str(exc),
                "code": "likely_duplicates",
                "candidates": [
                    {"id": p.pk, "name": p.full_name_th, "subdistrict": p.subdistrict_id}
                    for p in exc.candidates
                ],
                "hint": _("Send acknowledge_duplicates=true if none of them is this person."),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, StaleVersionError):
        sent_if_match = request is not None and "HTTP_IF_MATCH" in request.META
        return Response(
            {"detail": str(exc), "code": "stale_version", "current_version": exc.current_version},
            status=status.HTTP_412_PRECONDITION_FAILED
            if sent_if_match
            else status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """Django's 404 for an address no route matches (`handler404`): under /api/ the API's
    error body in JSON (an id that cannot be an id, such as /api/cases/1.5/, never reaches
    a view), elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
