"""Small helpers shared by the case API modules: parse ids and bodies, read the version a
write is based on, answer 404 for a case the caller cannot see, and answer a versioned
record with its ETag."""

from django.http import Http404
from rest_framework import status
from rest_framework.response import Response

from onehome.api.versioning import etag, expected_version

from .models import Case
from .serializers import CaseListSerializer
from .visibility import visible_cases


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _purpose(request) -> str:
    return request.META.get("HTTP_X_PURPOSE", "")[:200] or f"api {request.method} {request.path}"


def _version(request, data: dict) -> int:
    data.pop("version", None)
    return expected_version(request)


def _case_in_view(user, pk) -> int:
    """404 for a case the user cannot see, before any check of the request body."""
    pk = _int(pk)
    if not visible_cases(user).filter(pk=pk).exists():
        raise Http404
    return pk


def _reload(case: Case) -> Case:
    return Case.objects.select_related("owner", "subdistrict").get(pk=case.pk)


def _with_etag(data, version: int, code: int = status.HTTP_200_OK) -> Response:
    """A versioned record's body with the ETag a client sends back as If-Match."""
    response = Response(data, status=code)
    response["ETag"] = etag(version)
    return response


def _case_written(case: Case) -> Response:
    return _with_etag(CaseListSerializer(_reload(case)).data, case.version)
