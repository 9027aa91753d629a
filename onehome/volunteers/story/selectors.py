"""A household's whole story, read-only, for one reader: its members, the deprivations
targeting found, who followed it, the visits and the record book over time, the plan and
its follow-ups, the course, and the cases of its members with their referrals and
services.

Who may read it: staff who read volunteers' work (`READ_VOLUNTEERS`) for households of
their area, and a volunteer for the households assigned to them; anyone else gets 404.
Cases are read only through `cases.visibility.selectors` (area, case roles and the
sensitive-case rule): a sensitive case the reader may not open is counted and linked to
its case page, where the glass is broken, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
from django.db.models import Q, QuerySet
from django.http import Http404

from onehome.access.models import AuditEvent, User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.cases.models import Case, PlanGoal, Referral, Service
from onehome.cases.visibility.selectors import cases_needing_glass, visible_cases
from onehome.errors import NotInScopeError
from onehome.registry.models import Household, Membership
from onehome.targeting.models import Run, RunStatus
from onehome.targeting.results.registry_links import LINK_TYPE, linked_household_id
from onehome.targeting.results.survey_rows import household_rows, key_value
from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.models import (
    Assignment,
    Enrollment,
    FollowUp,
    HelpRequest,
    HouseholdPlan,
    Visit,
)
from onehome.volunteers.roster.selectors import volunteer_of
from onehome.volunteers.story.deprivations import Finding, run_finding
from onehome.volunteers.visits.selectors import BookPoint, book_points

DIMENSIONS = ("health", "living", "education", "income", "access")
BOOK_VISITS = 8  # the record book's chart shows the latest visits (counted as the book page counts)


def story_household_or_404(*, user: User, pk: int) -> Household:
    """The household, if the user may read its story: a volunteer's assigned household, or
    one of a staff reader's area. Http404 otherwise (out of scope looks like missing)."""
    if volunteer_of(user) is not None:
        qs = assigned_households(user=user)
    elif may(user, Action.READ_VOLUNTEERS):
        qs = scoped(user, Household.objects.all(), action=Action.READ_VOLUNTEERS)
    else:
        raise Http404
    try:
        return qs.select_related("subdistrict", "village").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


@dataclass
class Story:
    household: Household
    members: list[Membership]
    deprivations: Finding | None
    run: Run | None
    assignments: list[Assignment]
    visits: list[Visit]
    book: list[BookPoint]
    plan: HouseholdPlan | None
    goals: list[PlanGoal]
    follow_ups: list[FollowUp]
    enrollment: Enrollment | None
    help_requests: list[HelpRequest]
    cases: list[Case] = field(default_factory=list)
    cases_behind_glass: list[int] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)

    @property
    def deprived_dimensions(self) -> list[str]:
        return self.deprivations.dimensions if self.deprivations else []


def household_story(*, user: User, household: Household, purpose: str) -> Story:
    """Everything about ``household`` the user may read (call `story_household_or_404`
    first). The survey rows' read is audited by the targeting explanation."""
    members = list(
        Membership.objects.filter(household=household, end_date__isnull=True)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    members.sort(key=lambda m: m.relationship != "head")
    enrollment = Enrollment.objects.filter(household=household).first()
    assignments = list(
        Assignment.objects.filter(household=household)
        .select_related("volunteer__person", "run")
        .order_by("-started_at", "-id")
    )
    run = _run_for(household, enrollment, assignments)
    plan = HouseholdPlan.objects.filter(household=household).first()
    visits = list(
        Visit.objects.filter(household=household)
        .select_related("volunteer__person")
        .prefetch_related("present")
        .order_by("-visited_on", "-id")
    )
    story = Story(
        household=household,
        members=members,
        deprivations=_deprivations(user, household, members, run, purpose),
        run=run,
        assignments=assignments,
        visits=visits,
        book=book_points(household, latest=BOOK_VISITS),
        plan=plan,
        goals=list(plan.goals.select_related("agency", "volunteer__person")) if plan else [],
        follow_ups=list(FollowUp.objects.filter(household=household).order_by("due_on", "id")),
        enrollment=enrollment,
        help_requests=list(
            HelpRequest.objects.filter(household=household).select_related("report__case")
        ),
    )
    _cases(user, story)
    return story


def _cases(user: User, story: Story) -> None:
    """The cases of the household and of its members, as the cases app lets the user see
    them (a volunteer reads none: they report, they do not read case files)."""
    if not may(user, Action.READ_CASES):
        return
    people = [m.person_id for m in story.members]
    about = Case.objects.filter(
        Q(household=story.household)
        | Q(reports__parties__person_id__in=people, reports__parties__role="victim")
    )
    ids = Case.objects.filter(pk__in=about.values("pk"))
    visible: QuerySet[Case] = visible_cases(user, ids).select_related("owner").order_by("-id")
    story.cases = list(visible)
    story.cases_behind_glass = list(
        cases_needing_glass(user, ids).order_by("-id").values_list("pk", flat=True)
    )
    seen = [c.pk for c in story.cases]
    story.referrals = list(
        Referral.objects.filter(case_id__in=seen)
        .select_related("case", "from_org", "to_org")
        .order_by("-sent_at")
    )
    story.services = list(
        Service.objects.filter(case_id__in=seen)
        .select_related("case", "provider", "item")
        .order_by("-requested_at")
    )


def _run_for(
    household: Household, enrollment: Enrollment | None, assignments: list[Assignment]
) -> Run | None:
    """The run that brought the household in, else the newest finished run of its
    province (the deprivations to start a plan from)."""
    for run_id in [enrollment.run_id if enrollment else None, *(a.run_id for a in assignments)]:
        if run_id:
            return Run.objects.select_related("survey_round").get(pk=run_id)
    return (
        Run.objects.filter(
            status=RunStatus.DONE, survey_round__province_id=household.subdistrict.province_id
        )
        .select_related("survey_round")
        .order_by("-survey_round__year", "-pk")
        .first()
    )


def survey_household_id(
    run: Run, household: Household, members: list[Membership]
) -> tuple[str, str, int] | None:
    """The survey household of ``run`` that is this registry household: the reverse of
    `registry_links.linked_household_ids`, checked with it. Candidates: the link recorded
    when targeting created or matched it, the house registration number, and the
    household's own id (surveys made from the registry, as the demo's are). Returns (survey
    household id, its village code, its number of survey rows)."""
    candidates = [
        object_id.split("/", 1)[-1]
        for object_id in AuditEvent.objects.filter(object_type=LINK_TYPE, household_id=household.pk)
        .order_by("-at", "-id")
        .values_list("object_id", flat=True)
    ]
    if len(household.registration_no) == 11:
        candidates.append(household.registration_no)
    candidates.append(str(household.pk))
    for candidate in dict.fromkeys(candidates):
        rows = household_rows(run.survey_round.path, candidate)
        if rows.empty:
            continue
        keys = [k for k in (key_value(v) for v in rows.get("person_key", [])) if k]
        village = str(rows["village_code"].iloc[0]) if "village_code" in rows else ""
        found = linked_household_id(household_id=candidate, person_keys=keys, village_code=village)
        if found == household.pk:
            return candidate, village, len(rows)
    return None


def _deprivations(
    user: User, household: Household, members: list[Membership], run: Run | None, purpose: str
) -> Finding | None:
    """What ``run`` found for the household (None when the household is not in the run's
    survey, or the user may not read survey households)."""
    if run is None or run.status != RunStatus.DONE or run.result_path is None:
        return None
    try:
        match = survey_household_id(run, household, members)
        if match is None:
            return None
        survey_id, village, people = match
        return run_finding(
            user=user,
            run=run,
            survey_household=survey_id,
            village_code=village,
            surveyed=people,
            registry_household=household.pk,
            purpose=purpose,
        )
    except (NotInScopeError, OSError, duckdb.Error):
        return None
