"""The OpenAPI schema: every answer an operation can give is documented, errors included.

drf-spectacular documents the success answer of each operation from its serializers. The
errors come from one place (`onehome.api.errors`, REST framework's own exceptions and the
body-size limit in `onehome.api.limits`), so they are added here, by rule, to every
operation they can reach, with the one error body those modules write:

| status | when                                             | on                                  |
|--------|--------------------------------------------------|-------------------------------------|
| 400    | a bad body or query parameter                    | operations with a body or a query   |
| 401    | no or bad credentials                            | every operation that needs a user   |
| 403    | the role table refuses                           | every operation that needs a user   |
| 404    | no such record, or outside the caller's area     | operations that name a record       |
| 409    | a duplicate, a stale `version`, a state conflict | writes                              |
| 412    | a stale If-Match                                 | writes that take If-Match           |
| 413    | a body over the size limit                       | operations with a body              |
| 415    | a body of a media type the operation cannot read | operations with a body              |
| 428    | a versioned write that names no version          | writes that take If-Match           |
| 429    | throttled, or sign-in locked out                 | throttled views; public operations  |

An answer an operation documents itself (`@extend_schema(responses=...)`) is kept.
The contract test (`onehome/api/tests/test_contract.py`) checks the app against this.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny

# The body of every error answer (onehome/api/errors.py, REST framework's exceptions,
# onehome/api/limits.py): `detail` always, `code` mostly, the rest where the table says.
ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: a message in the request's language and a machine-readable code.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "code": {"type": "string", "nullable": True, "description": "What went wrong, for code."},
        "current_version": {
            "type": "integer",
            "description": "412/409 stale_version: the record's version now.",
        },
        "existing_id": {"type": "integer", "description": "409 duplicate: the existing record."},
        "existing": {
            "type": "string",
            "format": "uri",
            "description": "409 duplicate: the existing record's API address.",
        },
        "candidates": {
            "type": "array",
            "description": "409 likely_duplicates: people who may be the same person.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "subdistrict": {"type": "string"},
                },
            },
        },
        "hint": {"type": "string", "description": "409 likely_duplicates: how to go on."},
    },
    "required": ["detail"],
}

# A refused body or query: REST framework's field errors ({"field": ["message", ...]},
# nested for nested fields, `non_field_errors` for the whole body), or the error body above
# (a rule of the domain broken: `detail` and `code`).
VALIDATION_ERROR_SCHEMA = {
    "description": "The request was refused: field errors by field name, or an error body.",
    "anyOf": [
        {"$ref": "#/components/schemas/Error"},
        {
            "type": "object",
            "description": "Field errors: each field's messages (nested for nested fields).",
            "additionalProperties": {},
        },
        {"type": "array", "items": {"type": "string"}},
    ],
}

ERRORS = {
    "400": "The request was refused (bad body or query parameter); nothing was changed.",
    "401": "No credentials, or they are not valid.",
    "403": "The caller's roles do not allow this.",
    "404": "No such record, or it is outside the caller's area.",
    "409": "A conflict: a duplicate, a stale `version`, or a step the record's state refuses.",
    "412": "If-Match names a version that is no longer the record's.",
    "413": "The request body is over the size limit.",
    "415": "The request body's media type is not one this operation reads.",
    "428": "A versioned write must name its version: If-Match or `version`.",
    "429": "Too many requests: try again later.",
}

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def model_for_schema(model: type[Model]) -> QuerySet:
    """An empty queryset of ``model``, for the schema generator only.

    drf-spectacular types a viewset's path parameters (``{id}``) from its model, which it
    finds in ``queryset`` or by calling ``get_queryset()`` on a view it builds without a
    signed-in user (``swagger_fake_view``). Selectors need that user, so such views answer
    this instead: an empty queryset of the model that is never sent to the database. Kept
    here so that view modules hold no ORM access of their own
    (`onehome/core/tests/test_thin_views.py`)."""
    return model._default_manager.none()


def _model_field(field):
    """The model field a ModelSerializer field reads, or None."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in (field.source or ""):
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class ContractSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the error answers of the table above."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            if code not in responses:
                responses[code] = {
                    "description": ERRORS[code],
                    "content": {"application/json": {"schema": self._error_ref(code)}},
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A read-only choice of a model field that may be blank answers "" too: REST
        framework does not carry `blank` over to read-only fields, so say it here."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            enum = schema.get("enum")
            if model_field is not None and model_field.blank and enum and "" not in enum:
                schema["enum"] = [*enum, ""]
        return schema

    def _error_codes(self, operation: dict) -> set[str]:
        parameters = operation.get("parameters", [])
        query = [p for p in parameters if p["in"] == "query"]
        headers = {p["name"].lower() for p in parameters if p["in"] == "header"}
        has_body = "requestBody" in operation or self.method in UNSAFE
        codes = set()
        if has_body or query:
            codes.add("400")
        if self._needs_user():
            codes |= {"401", "403"}
        if "{" in self.path or query or has_body:
            # The record named in the path, the body or a query parameter is not there or
            # outside the caller's area; REST framework answers an out-of-range page 404.
            codes.add("404")
        if self.method in UNSAFE and self._needs_user():
            codes.add("409")
        if "if-match" in headers:
            codes |= {"412", "428"}
        if has_body:
            codes |= {"413", "415"}
        if getattr(self.view, "throttle_classes", None) or not self._needs_user():
            codes.add("429")  # throttled; a public sign-in locked out after failed tries
        return codes

    def _needs_user(self) -> bool:
        permissions = getattr(self.view, "permission_classes", None) or []
        return bool(permissions) and not all(p is AllowAny for p in permissions)

    def _error_ref(self, code: str) -> dict:
        self.registry.register_on_missing(
            ResolvedComponent(
                name="Error", type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object="Error"
            )
        )
        if code != "400":
            return {"$ref": "#/components/schemas/Error"}
        self.registry.register_on_missing(
            ResolvedComponent(
                name="ValidationError",
                type=ResolvedComponent.SCHEMA,
                schema=VALIDATION_ERROR_SCHEMA,
                object="ValidationError",
            )
        )
        return {"$ref": "#/components/schemas/ValidationError"}
