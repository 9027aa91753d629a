"""The household story's shape in the API (read-only; the same content as the page). No
national ID numbers: names, ages and relationships are enough to follow a household."""

from rest_framework import serializers

from onehome.access.roles import Action, may


class StoryMemberSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name_th")
    relationship = serializers.CharField()
    sex = serializers.CharField(source="person.sex")
    birth_year = serializers.SerializerMethodField()
    since = serializers.DateField(source="start_date")

    def get_birth_year(self, m) -> int | None:
        return m.person.birth_date.year if m.person.birth_date else None


class StoryFailureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    label = serializers.CharField()
    dimension = serializers.CharField()


class StoryDeprivationsSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run_id")
    survey_household = serializers.CharField(source="household_id")
    poor = serializers.BooleanField()
    target = serializers.BooleanField()
    score = serializers.FloatField(help_text="the deprivation score of the household")
    members = serializers.IntegerField()
    poor_members = serializers.IntegerField()
    dimensions = serializers.ListField(child=serializers.CharField())
    failures = StoryFailureSerializer(many=True, help_text="the indicators not met")


class StoryAssignmentSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="volunteer_id")
    volunteer_name = serializers.CharField(source="volunteer.person.full_name_th")
    source = serializers.CharField()
    run = serializers.IntegerField(source="run_id", allow_null=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()


class StoryVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client_id = serializers.UUIDField()
    visited_on = serializers.DateField()
    volunteer = serializers.IntegerField(source="volunteer_id")
    questionnaire = serializers.CharField()
    answers = serializers.DictField()
    present = serializers.SerializerMethodField()
    needs = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()

    def get_present(self, visit) -> list[int]:
        return [p.pk for p in visit.present.all()]


class StoryBookPointSerializer(serializers.Serializer):
    visit = serializers.IntegerField(source="visit_id")
    visited_on = serializers.DateField()
    deprived = serializers.DictField(child=serializers.IntegerField(),
                                     help_text="deprived answers per dimension")  # fmt: skip
    answered = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="answers that say whether deprived, per dimension (the record book's count)",
    )


class StoryGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dimension = serializers.CharField()
    goal = serializers.CharField()
    action = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id", allow_null=True)
    volunteer = serializers.IntegerField(source="volunteer_id", allow_null=True)
    due_date = serializers.DateField()
    status = serializers.CharField()
    progress = serializers.IntegerField()


class StoryPlanSerializer(serializers.Serializer):
    agreed_on = serializers.DateField(allow_null=True)
    follow_up_days = serializers.IntegerField()
    version = serializers.IntegerField()


class StoryFollowUpSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    visit = serializers.IntegerField(source="visit_id", allow_null=True)


class StoryEnrollmentSerializer(serializers.Serializer):
    status = serializers.CharField()
    enrolled_on = serializers.DateField()
    run = serializers.IntegerField(source="run_id", allow_null=True)
    plan_agreed_on = serializers.DateField(allow_null=True)
    graduated_on = serializers.DateField(allow_null=True)
    evidence = serializers.CharField()
    left_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField()


class StoryHelpRequestSerializer(serializers.Serializer):
    kind = serializers.CharField()
    report = serializers.CharField(source="report.reference")
    report_status = serializers.CharField(source="report.status")
    case = serializers.SerializerMethodField(
        help_text="the case id, only for a caller who may read cases (else null; "
        "report_status says whether the report became a case)"
    )
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    items = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_case(self, obj) -> int | None:
        request = self.context.get("request")
        if request is None or not may(request.user, Action.READ_CASES):
            return None
        return obj.report.case_id


class StoryCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField()
    title = serializers.CharField()
    owner = serializers.CharField(source="owner.name_th")
    opened_at = serializers.DateTimeField()


class StoryReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    from_org = serializers.CharField(source="from_org.name_th")
    to_org = serializers.CharField(source="to_org.name_th")
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()


class StoryServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    provider = serializers.CharField(source="provider.name_th")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()


class StorySerializer(serializers.Serializer):
    household = serializers.IntegerField(source="household.pk")
    subdistrict = serializers.CharField(source="household.subdistrict_id")
    village = serializers.CharField(source="household.village_id", allow_null=True)
    house_no = serializers.CharField(source="household.house_no")
    members = StoryMemberSerializer(many=True)
    deprivations = StoryDeprivationsSerializer(allow_null=True)
    assignments = StoryAssignmentSerializer(many=True, help_text="newest first; ended ones too")
    visits = StoryVisitSerializer(many=True)
    record_book = StoryBookPointSerializer(source="book", many=True, help_text="oldest first")
    plan = StoryPlanSerializer(allow_null=True)
    goals = StoryGoalSerializer(many=True)
    follow_ups = StoryFollowUpSerializer(many=True)
    enrollment = StoryEnrollmentSerializer(allow_null=True)
    help_requests = StoryHelpRequestSerializer(many=True)
    cases = StoryCaseSerializer(many=True)
    cases_behind_glass = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="sensitive cases the caller may open only by breaking the glass (ids only)",
    )
    referrals = StoryReferralSerializer(many=True)
    services = StoryServiceSerializer(many=True)
