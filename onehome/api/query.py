"""Query parameters are checked against the schema: a value outside a declared enum is
refused with 400 and a clear message, never ignored (an unknown `?status=` used to answer
every record, or none, as if the filter were not there).

The enums are the ones the operation declares for the OpenAPI schema
(`@extend_schema(parameters=[OpenApiParameter(..., enum=...)])`), so the documented and the
enforced values are the same list. django-filter's filters check their own choices.

No query value may hold a null character (NUL): PostgreSQL refuses it in text, and a
parameter read straight from the query (`?q=`, `?province=`) answered 500 there; it is
refused with 400 like any bad value (REST framework's fields refuse it in a body).

It runs as the last of REST framework's default permission classes: the one hook that
every API view passes through after authentication and before its handler. It refuses
nothing itself; it raises the 400.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission


class DeclaredQueryValues(BasePermission):
    def has_permission(self, request, view) -> bool:
        enums = _query_enums(type(view), getattr(view, "action", None), request.method, view)
        errors = {
            name: [_("This value contains a null character, which is not allowed.")]
            for name, values in request.query_params.lists()
            if any("\x00" in value for value in values)
        }
        for name, allowed in enums.items():
            if name in errors:  # a null character: refused above
                continue
            for value in request.query_params.getlist(name):
                if value and value not in allowed:  # blank: no filter, as the views read it
                    errors[name] = [
                        _("“%(value)s” is not one of: %(allowed)s.")
                        % {"value": value[:50], "allowed": ", ".join(allowed)}
                    ]
        if errors:
            raise ValidationError(errors)
        return True


# The declarations are static: read once per (view class, action, method).
_seen: dict = {}


def _query_enums(view_class, action, method, view) -> dict[str, tuple[str, ...]]:
    """The query enums of one operation, read once from its schema declaration."""
    key = (view_class, action, method)
    if key not in _seen:
        _seen[key] = _declared_enums(view, method)
    return _seen[key]


def _declared_enums(view, method) -> dict[str, tuple[str, ...]]:
    # drf-spectacular keeps an @extend_schema of a viewset method on the method (a plain
    # method) or hands it to the view as its `schema` (an @action): a class, either way.
    action = getattr(view, "action", None)
    handler = getattr(view, action, None) if action else None
    declared = getattr(handler, "kwargs", {}).get("schema") or view.schema
    schema = declared() if isinstance(declared, type) else declared
    if not hasattr(schema, "get_override_parameters"):  # not drf-spectacular's schema
        return {}
    schema.view = view
    schema.method = method
    return {
        p.name: tuple(str(v) for v in p.enum)
        for p in schema.get_override_parameters()
        if isinstance(p, OpenApiParameter) and p.location == OpenApiParameter.QUERY and p.enum
    }
