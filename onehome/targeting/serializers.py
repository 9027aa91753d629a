"""API shapes of targeting results. Read-only: results are files written by runs."""

from rest_framework import serializers

from onehome.web.templatetags.onehome_ui import mask_id

from .models import Run, SurveyRound, WelfareCardList


class SurveyRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyRound
        fields = [
            "id",
            "year",
            "name",
            "province",
            "catalogue",
            "rows",
            "households",
            "imported_at",
        ]


class WelfareCardListSerializer(serializers.ModelSerializer):
    class Meta:
        model = WelfareCardList
        fields = ["id", "name", "as_of", "count", "imported_at"]


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = Run
        fields = [
            "id",
            "survey_round",
            "welfare_list",
            "spec_name",
            "spec_settings",
            "k",
            "status",
            "progress",
            "stage",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "summary",
        ]


class StartRunSerializer(serializers.Serializer):
    survey_round = serializers.IntegerField()
    welfare_list = serializers.IntegerField(required=False, allow_null=True)
    spec_name = serializers.CharField(max_length=64, default="tpmap_2018")
    k = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    income_threshold = serializers.IntegerField(required=False, min_value=0)


class MeasuresSerializer(serializers.Serializer):
    """Measures of one area. Counts are strings when small cells are suppressed ("<5")."""

    code = serializers.CharField()
    level = serializers.CharField()
    n = serializers.CharField()
    q = serializers.CharField()
    H = serializers.FloatField(allow_null=True)
    A = serializers.FloatField(allow_null=True)
    M0 = serializers.FloatField(allow_null=True)
    target_poor = serializers.CharField()
    target_poor_rate = serializers.FloatField(allow_null=True)
    censored_headcount = serializers.DictField(child=serializers.FloatField(allow_null=True))
    contribution = serializers.DictField(child=serializers.FloatField(allow_null=True))
    poor_by_dimension = serializers.DictField(child=serializers.CharField())


class AreaSerializer(MeasuresSerializer):
    children = MeasuresSerializer(many=True)


class SubsetSerializer(serializers.Serializer):
    subset = serializers.IntegerField(help_text="bitmask over the catalogue's dimensions")
    label = serializers.CharField(help_text='e.g. "health+income"')
    name = serializers.CharField(
        help_text='the dimensions by name, in the language asked for, e.g. "สุขภาพ + รายได้"'
    )
    poor = serializers.CharField()
    share = serializers.FloatField(allow_null=True, help_text="share of the area's poor")


class TargetHouseholdSerializer(serializers.Serializer):
    household_id = serializers.CharField()
    village_code = serializers.CharField()
    members = serializers.IntegerField()
    poor_members = serializers.IntegerField()
    target_members = serializers.IntegerField()
    score = serializers.FloatField()
    dimensions = serializers.ListField(child=serializers.CharField())
    indicators = serializers.ListField(child=serializers.CharField())
    registry_household = serializers.IntegerField(allow_null=True)


class PersonKeyField(serializers.CharField):
    """A survey's person key (a national ID where the survey has one), masked as the pages
    mask ID numbers unless the view was asked to reveal it (context ``reveal``)."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        value = super().to_representation(value)
        return value if self.context.get("reveal") else mask_id(value)


class FailureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    label = serializers.CharField()
    dimension = serializers.CharField()
    unit = serializers.CharField()
    weight = serializers.FloatField()
    member = serializers.IntegerField()
    person_key = PersonKeyField()
    age = serializers.IntegerField(allow_null=True)
    value = serializers.CharField()
    cutoff = serializers.CharField()
    rule = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    person_key = PersonKeyField()
    age = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    score = serializers.FloatField()
    poor = serializers.BooleanField()
    target = serializers.BooleanField()
    deprived = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())


class ExplanationSerializer(serializers.Serializer):
    run_id = serializers.IntegerField()
    household_id = serializers.CharField()
    village_code = serializers.CharField()
    k_rule = serializers.CharField()
    poor = serializers.BooleanField()
    target = serializers.BooleanField()
    dimensions = serializers.ListField(child=serializers.CharField())
    registry_household_id = serializers.IntegerField(allow_null=True)
    members = MemberSerializer(many=True)
    failures = FailureSerializer(many=True)


class LinkSerializer(serializers.Serializer):
    registry_household = serializers.IntegerField()
    created = serializers.BooleanField()


class ChangeCountsSerializer(serializers.Serializer):
    code = serializers.CharField()
    entered = serializers.CharField()
    left = serializers.CharField()
    stayed = serializers.CharField()
    new = serializers.CharField()
    gone = serializers.CharField()


class ComparisonSerializer(serializers.Serializer):
    earlier = serializers.IntegerField()
    later = serializers.IntegerField()
    area = serializers.CharField(allow_blank=True)
    totals = serializers.DictField(child=serializers.CharField())
    children = ChangeCountsSerializer(many=True)


class ChangedHouseholdSerializer(serializers.Serializer):
    household_id = serializers.CharField()
    village_code = serializers.CharField()
    change = serializers.CharField()
