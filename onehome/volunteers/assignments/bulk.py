"""Bulk assignment from a targeting run's target list: every target household of one
sub-district spread over its working volunteers (`spread`: of the household's village
first, then the least loaded).

Two steps, because a clerk must see the result before hundreds of households move:
`plan_bulk_assignment` computes who gets which household and writes nothing;
`confirm_bulk_assignment` computes it again in one transaction and writes it only when it
is the plan the clerk saw. The plan's ``token`` is a hash of everything the plan depends
on (the target list with its registry links, each household's assignments, the
volunteers with their villages and loads), so a list or an assignment that changed in
between makes the confirmation refuse with a message instead of writing a plan nobody
saw. A confirmation sent twice (a double click, a retried request) finds its own audit
row by the token and answers what it did the first time, writing nothing.

A target household not yet in the registry is registered from the survey at
confirmation (`targeting.results.registry_links.link_household`), for staff who may
write the registry; for others it is listed as not assignable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onehome.access import audit
from onehome.access.models import AuditAction, AuditEvent, User
from onehome.access.scope import in_scope, scoped
from onehome.errors import NotInScopeError, ValidationError
from onehome.geo.models import Subdistrict
from onehome.registry.models import Household
from onehome.targeting.models import Run
from onehome.targeting.results.registry_links import link_household
from onehome.targeting.results.selectors import finished_run
from onehome.targeting.results.target_lists import target_households
from onehome.volunteers.assignments import spread
from onehome.volunteers.assignments.rules import (
    ASSIGN,
    household_to_assign,
    open_assignment,
    open_new,
    require_assigner,
)
from onehome.volunteers.models import Assignment, AssignmentSource, Volunteer

BULK_TYPE = "volunteers.bulkassignment"

# What the plan does with each target household.
ASSIGN_IT = "assign"
ALREADY = "already"
NO_VOLUNTEER = "no_volunteer"
ELSEWHERE = "elsewhere"
NOT_REGISTERED = "not_registered"
STATUS_LABELS = {
    ASSIGN_IT: gettext_lazy("To be assigned"),
    ALREADY: gettext_lazy("Already assigned"),
    NO_VOLUNTEER: gettext_lazy("No working volunteer in the sub-district"),
    ELSEWHERE: gettext_lazy("Lives in another sub-district or outside your area now"),
    NOT_REGISTERED: gettext_lazy("Not in the registry (staff who register households can add it)"),
}


@dataclass
class PlannedRow:
    survey_household: str
    village_code: str
    household_id: int | None  # the registry household, None until registered
    status: str
    volunteer: Volunteer | None = None
    of_village: bool = False
    latest_assignment: int | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class BulkPlan:
    run: Run
    subdistrict: Subdistrict
    rows: list[PlannedRow]
    loads: list[spread.Slot]
    token: str = ""

    def _count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def to_assign(self) -> int:
        return self._count(ASSIGN_IT)

    @property
    def already(self) -> int:
        return self._count(ALREADY)

    @property
    def outside_village(self) -> list[PlannedRow]:
        """Households given to a volunteer of another village: none works in theirs."""
        return [r for r in self.rows if r.status == ASSIGN_IT and not r.of_village]

    @property
    def not_assignable(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.status not in (ASSIGN_IT, ALREADY)]


@dataclass
class BulkResult:
    assigned: int
    skipped: int
    repeated: bool = False
    households: list[int] = field(default_factory=list)


def _subdistrict(actor: User, code: str) -> Subdistrict:
    code = str(code or "")
    if len(code) != 6 or not code.isdigit():
        raise NotInScopeError
    if not in_scope(actor, subdistrict_code=code, action=ASSIGN):
        raise NotInScopeError
    area = Subdistrict.objects.filter(pk=code).first()
    if area is None:
        raise NotInScopeError
    return area


def plan_bulk_assignment(*, actor: User, run_id: int, subdistrict: str) -> BulkPlan:
    """Who would get which target household of ``subdistrict``; writes nothing."""
    require_assigner(actor)
    area = _subdistrict(actor, subdistrict)
    run = finished_run(run_id)
    page = target_households(user=actor, run=run, area=area.code, limit=None)
    linked = {r["registry_household"] for r in page.rows if r["registry_household"]}
    homes = {
        pk: (sd, village)
        for pk, sd, village in scoped(actor, Household.objects.all(), action=ASSIGN)
        .filter(pk__in=linked)
        .values_list("pk", "subdistrict_id", "village_id")
    }
    current = dict(
        Assignment.objects.filter(household_id__in=linked, ended_at__isnull=True).values_list(
            "household_id", "volunteer_id"
        )
    )
    latest: dict[int, int] = {}
    for household_id, pk in Assignment.objects.filter(household_id__in=linked).values_list(
        "household_id", "pk"
    ):
        latest[household_id] = max(pk, latest.get(household_id, 0))
    slots = spread.working_volunteers(
        area.code, scoped(actor, Volunteer.objects.all(), action=ASSIGN)
    )
    by_id = {s.id: s for s in slots}
    rows: list[PlannedRow] = []
    seen: set[int] = set()
    writes_registry = actor.writes_registry
    for r in sorted(page.rows, key=lambda r: (r["village_code"], r["household_id"])):
        pk = r["registry_household"]
        row = PlannedRow(r["household_id"], r["village_code"], pk, ASSIGN_IT)
        row.latest_assignment = latest.get(pk) if pk else None
        village = r["village_code"]
        if pk is None:
            if not writes_registry:
                row.status = NOT_REGISTERED
        elif pk not in homes or homes[pk][0] != area.code:
            row.status = ELSEWHERE
        elif pk in current or pk in seen:
            row.status = ALREADY
            slot = by_id.get(current.get(pk))
            row.volunteer = slot.volunteer if slot else None
        else:
            village = homes[pk][1] or village
        if pk:
            seen.add(pk)
        if row.status == ASSIGN_IT:
            slot, row.of_village = spread.choose(slots, village)
            if slot is None:
                row.status = NO_VOLUNTEER
            else:
                slot.load += 1
                row.volunteer = slot.volunteer
        rows.append(row)
    plan = BulkPlan(run=run, subdistrict=area, rows=rows, loads=slots)
    plan.token = _token(plan)
    return plan


def _token(plan: BulkPlan) -> str:
    facts = {
        "run": plan.run.pk,
        "area": plan.subdistrict.code,
        "rows": [
            [
                r.survey_household,
                r.village_code,
                r.household_id,
                r.status,
                r.volunteer.pk if r.volunteer else None,
                r.latest_assignment,
            ]
            for r in plan.rows
        ],
        "volunteers": [[s.id, s.load_before, sorted(s.villages)] for s in plan.loads],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def confirm_bulk_assignment(
    *, actor: User, run_id: int, subdistrict: str, token: str
) -> BulkResult:
    """Write the plan previewed with ``token``: all of it or nothing. Refused when the
    target list or the assignments changed since the preview; a repeat of a confirmation
    already written returns its result and writes nothing."""
    require_assigner(actor)
    area = _subdistrict(actor, subdistrict)
    # Confirmations of one sub-district go one at a time (the volunteers' rows are locked):
    # the second sees the first's assignments and either repeats or is refused as stale.
    list(
        scoped(actor, Volunteer.objects.all(), action=ASSIGN)
        .filter(subdistrict_id=area.code)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    # Only this sub-district's confirmation: a token of another area must not repeat its
    # result (household ids of that area) here.
    done = (
        AuditEvent.objects.filter(
            object_type=BULK_TYPE, object_id=str(token)[:64], subdistrict_code=area.code
        )
        .order_by("id")
        .first()
    )
    if done is not None and done.after:
        return BulkResult(
            assigned=len(done.after.get("households", [])),
            skipped=int(done.after.get("skipped", 0)),
            repeated=True,
            households=list(done.after.get("households", [])),
        )
    plan = plan_bulk_assignment(actor=actor, run_id=run_id, subdistrict=area.code)
    if not token or plan.token != token:
        raise ValidationError(
            _(
                "The target list or the assignments changed since the preview. "
                "Look at the new preview and confirm again."
            ),
            code="stale_preview",
        )
    assigned: list[int] = []
    purpose = audit.current_purpose("bulk assignment")
    for row in plan.rows:
        if row.status != ASSIGN_IT:
            continue
        if row.household_id is None:
            household, _created = link_household(
                actor=actor, run_id=plan.run.pk, household_id=row.survey_household, purpose=purpose
            )
            household = household_to_assign(actor, household.pk)
        else:
            household = household_to_assign(actor, row.household_id)
        if household.subdistrict_id != area.code or open_assignment(household) is not None:
            continue  # registered into an existing household that lives elsewhere or is followed
        open_new(
            actor,
            household,
            row.volunteer,
            source=AssignmentSource.TARGET_LIST,
            run=plan.run,
            purpose=purpose,
        )
        assigned.append(household.pk)
    skipped = len(plan.rows) - len(assigned)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=BULK_TYPE,
        object_id=token,
        after={"run": plan.run.pk, "households": assigned, "skipped": skipped},
        purpose=purpose,
        subdistrict_code=area.code,
    )
    return BulkResult(assigned=len(assigned), skipped=skipped, households=assigned)
