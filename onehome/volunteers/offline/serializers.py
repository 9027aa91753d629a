"""Shapes of the volunteer app's API: the package, a sync batch and its answers, conflicts.

Each queued item is checked on its own (`ItemSerializer`), so a malformed item is refused
with its message while the rest of the batch is written."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onehome.cases.models import Urgency
from onehome.volunteers.models import Conflict, HelpKind

from .answers import (
    CONFLICT,
    DUPLICATE,
    HELP_REQUEST,
    HOUSEHOLD_EDIT,
    KINDS,
    MEMBER_EDIT,
    OK,
    REFUSED,
    VISIT,
)
from .review import CHOICES, attach_current

MAX_ITEMS = 100
# Ids are BIGINTs: a larger number names no record, and is refused with the item's shape
# (SQLite raises on it, which would refuse the whole batch instead of the one item).
MAX_ID = 2**63 - 1


class VisitItemSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    answers = serializers.DictField(required=False, default=dict)
    present_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    needs = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=20
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class HelpItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HelpKind.choices)
    summary = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    items = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    visit_client_id = serializers.UUIDField(required=False, allow_null=True)


class EditItemSerializer(serializers.Serializer):
    object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    base_version = serializers.IntegerField(min_value=1)
    base = serializers.DictField()
    mine = serializers.DictField()


class ItemSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=KINDS)
    household_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    made_at = serializers.DateTimeField(required=False)
    visit = VisitItemSerializer(required=False)
    help_request = HelpItemSerializer(required=False)
    edit = EditItemSerializer(required=False)

    _PART = {
        VISIT: "visit",
        HELP_REQUEST: "help_request",
        HOUSEHOLD_EDIT: "edit",
        MEMBER_EDIT: "edit",
    }

    def validate(self, attrs):
        if self._PART[attrs["kind"]] not in attrs:
            raise serializers.ValidationError(_("The item is missing its details."))
        if attrs["kind"] == MEMBER_EDIT and not attrs["edit"].get("object_id"):
            raise serializers.ValidationError(_("Name the member changed."))
        return attrs


class BatchSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField(), max_length=MAX_ITEMS)


class ItemAnswerSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    status = serializers.ChoiceField(choices=[OK, DUPLICATE, CONFLICT, REFUSED])
    message = serializers.CharField()
    id = serializers.IntegerField(allow_null=True)
    conflicts = serializers.ListField(child=serializers.CharField())


class BatchAnswerSerializer(serializers.Serializer):
    items = ItemAnswerSerializer(many=True)


class PackageMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    first_name_th = serializers.CharField()
    last_name_th = serializers.CharField()
    sex = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    relationship = serializers.CharField()
    relationship_label = serializers.CharField()
    id_number_masked = serializers.CharField(help_text="All but the last 4 characters hidden.")
    phone = serializers.CharField()
    line_id = serializers.CharField()
    disability = serializers.CharField()


class PackageHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    village = serializers.CharField()
    house_no = serializers.CharField()
    address_detail = serializers.CharField()
    last_visit = serializers.DateField(allow_null=True)
    members = PackageMemberSerializer(many=True)
    open_goals = serializers.ListField(child=serializers.DictField())
    due_visits = serializers.ListField(child=serializers.DictField())


class PackageSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    volunteer = serializers.DictField()
    household_ids = serializers.ListField(child=serializers.IntegerField())
    households = PackageHouseholdSerializer(many=True)
    questionnaire = serializers.DictField()


class ConflictSerializer(serializers.ModelSerializer):
    theirs_by = serializers.CharField(source="theirs_by.username", default=None)
    mine_by = serializers.CharField(source="mine_by.username")
    current = serializers.SerializerMethodField(
        help_text="The record's value of the field now (it may have changed since)."
    )

    class Meta:
        model = Conflict
        fields = ["id", "household", "target", "object_id", "field", "base", "theirs",
                  "theirs_by", "theirs_at", "mine", "mine_by", "current", "created_at",
                  "status"]  # fmt: skip
        read_only_fields = fields

    def get_current(self, obj: Conflict) -> str | None:
        if not hasattr(obj, "current"):
            attach_current([obj])
        return obj.current


class ResolveSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=CHOICES)
    other = serializers.CharField(required=False, allow_blank=True, max_length=200)
    replaces = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The record's value now, to replace when it changed after the conflict "
        "was raised (without it such a choice is refused with 409).",
    )


class ChangedSinceSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = serializers.CharField(allow_null=True)
