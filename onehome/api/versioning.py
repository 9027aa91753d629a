"""Optimistic concurrency for the API: ETag = the record's version; writes must say which
version they change, in `If-Match` (answered 412 when stale) or a `version` field (409)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"

    def __init__(self):
        super().__init__(
            _("Say which version you are changing: send If-Match with the ETag, or 'version'.")
        )


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int:
    """The version the client based its change on."""
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if header:
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            return -1
    version = request.data.get("version") if hasattr(request.data, "get") else None
    if version is None:
        raise PreconditionRequired()
    try:
        return int(version)
    except (TypeError, ValueError):
        return -1
