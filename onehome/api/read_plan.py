"""Faster output of read-only serializers, with the same JSON.

REST framework builds a ModelSerializer's fields again for every serializer it creates
(a deep copy of each declared field, plus model introspection for the others), then walks
them per row through several layers of generic code: for a case's detail and a page of
the case list, a large share of the request's CPU (see docs/performance.md, "Figures
behind choices in the code (cases API)").

`PlannedOutput` works out once per serializer class how each field reads its value and
which field formats it, then applies that plan to each row. It reads model instances, or
the dicts of `QuerySet.values()` whose keys are `read_keys()`, so a list can skip building
model instances. The fields themselves still format the values (dates, decimals, choices),
and what REST framework does with a missing related row (the field's default, `null`, or
no key) is kept; `onehome/cases/tests/test_api_cost.py` compares both outputs.
"""

import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty, is_simple_callable
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.settings import api_settings


class _MethodStep(NamedTuple):
    """A `SerializerMethodField`: the serializer's method writes the value."""

    name: str  # the output key
    method_name: str


class _ForeignKeyStep(NamedTuple):
    """A `PrimaryKeyRelatedField`: the foreign key's column, written as it is."""

    name: str  # the output key
    attname: str  # on a model instance (`owner_id`): the column, not the related row
    row_key: str  # in a `values()` row (`owner`)


class _ValueStep(NamedTuple):
    """Any other field: the value at ``source``, formatted by ``field``."""

    name: str  # the output key
    source: tuple[str, ...]  # attributes from the instance to the value
    row_key: str  # in a `values()` row ("case__number" for a value on a related row)
    unchanged: type | None  # values of this type are written as they are (`unchanged_type`)
    field: serializers.Field
    iso_datetime: bool  # written by `_iso`, not by the field (`_plain_iso_datetime`)


_Step = _MethodStep | _ForeignKeyStep | _ValueStep


def _plain_iso_datetime(field: serializers.Field) -> bool:
    """A DateTimeField written as REST framework's default ISO 8601 in the current time
    zone, which `_iso` writes without going through the field: it looks the time zone up
    once, not once a field (see docs/performance.md, "Figures behind choices in the code
    (cases API)")."""
    return (
        type(field) is serializers.DateTimeField
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        and api_settings.DATETIME_FORMAT == ISO_8601
        and not hasattr(field, "timezone")
        and settings.USE_TZ
    )


def _iso(value: datetime.datetime, tz) -> str:
    """REST framework's DateTimeField output for an aware datetime in ``tz``."""
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _plan(serializer: serializers.Serializer) -> list[_Step]:
    steps: list[_Step] = []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            steps.append(_MethodStep(field.field_name, field.method_name))
        elif isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None:
            # REST framework reads the foreign key's column (`owner_id`), not the row.
            *path, last = field.source_attrs
            attname = serializer.Meta.model._meta.get_field(last).attname if not path else None
            if attname is None:
                raise TypeError(f"{type(serializer).__name__}.{field.field_name}: nested key")
            steps.append(_ForeignKeyStep(field.field_name, attname=attname, row_key=last))
        elif isinstance(field, serializers.Serializer | serializers.ListSerializer):
            raise TypeError(f"{type(serializer).__name__}.{field.field_name}: nested serializer")
        else:
            source = tuple(field.source_attrs)
            steps.append(
                _ValueStep(
                    field.field_name,
                    source=source,
                    row_key=source[0] if len(source) == 1 else "__".join(source),
                    unchanged=unchanged_type(field),
                    field=field,
                    iso_datetime=_plain_iso_datetime(field),
                )
            )
    return steps


def unchanged_type(field: serializers.Field) -> type | None:
    """The type of value that ``field.to_representation`` returns unchanged (CharField
    writes ``str(value)``, IntegerField ``int(value)``, BooleanField a bool as it is, and
    ChoiceField a value among text keys as it is), so the call can be skipped for it."""
    kind = type(field)
    if kind is serializers.CharField:
        return str
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.BooleanField:
        return bool
    if kind is serializers.ChoiceField and all(type(k) is str for k in field.choices):
        return str
    return None


_SKIP = object()


def _missing(field: serializers.Field) -> Any:
    """What REST framework answers when a related row on the way is missing: the field's
    default, null, or (`_SKIP`) no key at all."""
    if field.default is not empty:
        return field.get_default()
    if field.allow_null:
        return None
    return _SKIP


class PlannedOutput:
    """Mixin for read-only ModelSerializers: same output, a fraction of the time."""

    _plan_steps: list[_Step] | None = None

    @classmethod
    def read_keys(cls) -> list[str]:
        """The `values()` keys a row dict needs (foreign keys by their field name)."""
        steps = cls._steps_for(cls())
        return [step.row_key for step in steps if not isinstance(step, _MethodStep)]

    @classmethod
    def _steps_for(cls, serializer) -> list[_Step]:
        steps = cls.__dict__.get("_plan_steps")
        if steps is None:
            steps = _plan(serializer)
            cls._plan_steps = steps
        return steps

    def to_representation(self, instance):
        steps = self._steps_for(self)
        out = {}
        is_row = isinstance(instance, Mapping)
        # The time zone once per serializer (one list or one nested part of a response),
        # not once per row: each look-up reads a context-local (docs/performance.md).
        tz = self.__dict__.get("_planned_tz")
        for step in steps:
            if isinstance(step, _MethodStep):
                out[step.name] = getattr(self, step.method_name)(instance)
                continue
            if isinstance(step, _ForeignKeyStep):
                out[step.name] = (
                    instance[step.row_key] if is_row else getattr(instance, step.attname)
                )
                continue
            name, source, field = step.name, step.source, step.field
            if is_row:
                value = instance[step.row_key]
                if type(value) is step.unchanged:
                    out[name] = value
                    continue
                if value is None and len(source) > 1:
                    if (value := _missing(field)) is not _SKIP:
                        out[name] = value
                    continue
            else:
                value = instance
                try:
                    for attr in source:
                        value = getattr(value, attr)
                        if callable(value) and is_simple_callable(value):
                            value = value()  # a method as the source, as REST framework does
                except AttributeError:
                    if (value := _missing(field)) is not _SKIP:
                        out[name] = value
                    continue
                if type(value) is step.unchanged:
                    out[name] = value
                    continue
            if value is None:
                out[name] = None
            elif step.iso_datetime and isinstance(value, datetime.datetime) and value.tzinfo:
                if tz is None:
                    tz = self._planned_tz = timezone.get_current_timezone()
                out[name] = _iso(value, tz)
            else:
                out[name] = field.to_representation(value)
        return out
