"""What every case API endpoint does with its request and its answer: parse ids and
bodies, read the purpose and the version a write is based on, and answer a versioned
record with its ETag. The case an action is about is resolved by `case_access.case_action`."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from onehome.access import audit
from onehome.api.versioning import etag, expected_version
from onehome.cases.lifecycle.selectors import case_as_listed
from onehome.cases.lifecycle.serializers import CaseListSerializer
from onehome.cases.models import Case

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)


# The largest id a bigint column holds; SQLite raises OverflowError past it.
MAX_ID = 2**63 - 1


def parse_id(value) -> int:
    """An id from the request; 404 for anything that cannot be a row's id."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


def valid_body(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def read_purpose(request) -> str:
    """The X-Purpose header as the audit log keeps it (cleaned once, for list and detail rows
    alike: `access.middleware.stated_purpose`), else the endpoint's name."""
    return audit.current_purpose(f"api {request.method} {request.path}")


def read_version(request, data: dict) -> int:
    data.pop("version", None)
    return expected_version(request)


def reload_case(case: Case) -> Case:
    return case_as_listed(case.pk)


def with_etag(data, version: int, code: int = status.HTTP_200_OK) -> Response:
    """A versioned record's body with the ETag a client sends back as If-Match."""
    response = Response(data, status=code)
    response["ETag"] = etag(version)
    return response


def case_written(case: Case) -> Response:
    return with_etag(CaseListSerializer(reload_case(case)).data, case.version)
