"""`next_steps` in the API: the steps the caller may take on a record now, from its
workflow (`core.state_machine`), so clients draw their buttons from the same answer as the
pages do instead of comparing status strings."""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onehome.core.state_machine import Move, Workflow


class NextStepSerializer(serializers.Serializer):
    to_status = serializers.CharField()
    action = serializers.CharField()
    label = serializers.CharField()
    reason_required = serializers.BooleanField()


def move_as_dict(move: Move) -> dict[str, Any]:
    return {
        "to_status": move.to_status,
        "action": move.action,
        "label": move.label,
        "reason_required": move.step.reason_required,
    }


class WithNextSteps(serializers.Serializer):
    """A serializer mixin: `workflow` names the record's workflow; the viewer is the
    context's ``viewer`` or the request's user (none: no steps)."""

    workflow: ClassVar[Workflow]
    next_steps = serializers.SerializerMethodField()

    @extend_schema_field(NextStepSerializer(many=True))
    def get_next_steps(self, obj) -> list[dict[str, Any]]:
        viewer = self.context.get("viewer") or getattr(self.context.get("request"), "user", None)
        if viewer is None:
            return []
        return [move_as_dict(move) for move in self.workflow.allowed_next(obj, viewer)]
