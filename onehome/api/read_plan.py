"""Faster output of read-only serializers, with the same JSON.

REST framework builds a ModelSerializer's fields again for every serializer it creates
(a deep copy of each declared field, plus model introspection for the others), then walks
them per row through several layers of generic code. A case's detail creates a dozen
nested serializers, and a page of the case list walks 17 fields for 50 rows: together a
third of those requests' CPU (docs/performance.md, "Cases API under load").

`PlannedOutput` works out once per serializer class how each field reads its value and
which field formats it, then applies that plan to each row. It reads model instances, or
the dicts of `QuerySet.values()` whose keys are `read_keys()`, so a list can skip building
model instances. The fields themselves still format the values (dates, decimals, choices),
and what REST framework does with a missing related row (the field's default, `null`, or
no key) is kept; `onehome/cases/tests/test_api_cost.py` compares both outputs.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty, is_simple_callable
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.settings import api_settings

_METHOD, _PK, _VALUE, _DATETIME = 0, 1, 2, 3


def _plain_iso_datetime(field: serializers.Field) -> bool:
    """A DateTimeField written as REST framework's default ISO 8601 in the current time
    zone, which `_iso` writes without going through the field (four fields a row of the
    case list, each looking the time zone up again, were a third of its output time)."""
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


def _plan(serializer: serializers.Serializer) -> list[tuple]:
    steps = []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            steps.append((_METHOD, field.field_name, field.method_name, None, None))
        elif isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None:
            # REST framework reads the foreign key's column (`owner_id`), not the row.
            *path, last = field.source_attrs
            attname = serializer.Meta.model._meta.get_field(last).attname if not path else None
            if attname is None:
                raise TypeError(f"{type(serializer).__name__}.{field.field_name}: nested key")
            steps.append((_PK, field.field_name, attname, last, None))
        elif isinstance(field, serializers.Serializer | serializers.ListSerializer):
            raise TypeError(f"{type(serializer).__name__}.{field.field_name}: nested serializer")
        else:
            kind = _DATETIME if _plain_iso_datetime(field) else _VALUE
            source = tuple(field.source_attrs)
            # b: the row's key and the type of value the field writes as it is.
            key = (source[0] if len(source) == 1 else "__".join(source), _unchanged(field))
            steps.append((kind, field.field_name, source, key, field))
    return steps


def _unchanged(field: serializers.Field) -> type | None:
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

    _plan_steps: list[tuple] | None = None

    @classmethod
    def read_keys(cls) -> list[str]:
        """The `values()` keys a row dict needs (foreign keys by their field name)."""
        steps = cls._steps_for(cls())
        keys = []
        for kind, _name, _source, b, _field in steps:
            if kind == _PK:
                keys.append(b)
            elif kind in (_VALUE, _DATETIME):
                keys.append(b[0])
        return keys

    @classmethod
    def _steps_for(cls, serializer) -> list[tuple]:
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
        # not once per row: each look-up reads a context-local (a tenth of a page's time).
        tz = self.__dict__.get("_planned_tz")
        for kind, name, a, b, field in steps:
            if kind == _METHOD:
                out[name] = getattr(self, a)(instance)
                continue
            if kind == _PK:
                out[name] = instance[b] if is_row else getattr(instance, a)
                continue
            if is_row:
                value = instance[b[0]]
                if type(value) is b[1]:
                    out[name] = value
                    continue
                if value is None and len(a) > 1:
                    if (value := _missing(field)) is not _SKIP:
                        out[name] = value
                    continue
            else:
                value = instance
                try:
                    for attr in a:
                        value = getattr(value, attr)
                        if callable(value) and is_simple_callable(value):
                            value = value()  # a method as the source, as REST framework does
                except AttributeError:
                    if (value := _missing(field)) is not _SKIP:
                        out[name] = value
                    continue
                if type(value) is b[1]:
                    out[name] = value
                    continue
            if value is None:
                out[name] = None
            elif kind == _DATETIME and isinstance(value, datetime.datetime) and value.tzinfo:
                if tz is None:
                    tz = self._planned_tz = timezone.get_current_timezone()
                out[name] = _iso(value, tz)
            else:
                out[name] = field.to_representation(value)
        return out
