"""Restore: the volunteer's package, everything the phone keeps for offline work.

Only the households open-assigned to the volunteer (`assigned_households`), each with its
current members (national IDs masked as the pages mask them), its address fields and
`version` (the base of an offline edit), its last visit, open goals and due visits; the
questionnaire in force (the visit form is built from it); the list of household ids, so
the phone drops a household it no longer holds. A fixed number of queries whatever the
number of households (one per kind of record), and one audit row naming every household
and person sent."""

from collections import defaultdict
from typing import Any

from django.db.models import Max
from django.utils import timezone

from onehome.access import audit
from onehome.access.models import User
from onehome.cases.models import GoalStatus, PlanGoal
from onehome.registry.models import Membership
from onehome.volunteers.assignments.selectors import assigned_households
from onehome.volunteers.models import FollowUp, Visit, Volunteer
from onehome.volunteers.visits import questionnaire
from onehome.web.templatetags.onehome_ui import mask_id

from .merge import EDITABLE

PURPOSE = "volunteer app restore"


def _members(household_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        Membership.objects.filter(household_id__in=household_ids, end_date__isnull=True)
        .select_related("person")
        .order_by("household_id", "start_date", "id")
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for m in rows:
        p = m.person
        out[m.household_id].append(
            {
                "id": p.pk,
                "version": p.version,
                "title": p.title,
                "first_name_th": p.first_name_th,
                "last_name_th": p.last_name_th,
                "sex": p.sex,
                "birth_year": p.birth_date.year if p.birth_date else None,
                "relationship": m.relationship,
                "relationship_label": m.get_relationship_display(),
                "id_number_masked": mask_id(p.id_number),
                **{name: getattr(p, name) for name in EDITABLE["person"]},
            }
        )
    return out


def _open_goals(household_ids: list[int]) -> dict[int, list[dict]]:
    # One query for every household: the per-household selector of the development room
    # (`development.selectors.open_goals`) would cost one query each at restore.
    rows = PlanGoal.objects.filter(
        household_plan__household_id__in=household_ids, status=GoalStatus.OPEN
    ).order_by("due_date", "id")
    out: dict[int, list[dict]] = defaultdict(list)
    for g in rows.values("id", "household_plan__household_id", "dimension", "goal",
                         "action", "due_date", "progress"):  # fmt: skip
        out[g.pop("household_plan__household_id")].append(
            {**g, "due_date": g["due_date"].isoformat()}
        )
    return out


def _due_visits(household_ids: list[int]) -> dict[int, list[dict]]:
    # Open follow-ups (no visit has answered them), for every household in one query.
    rows = FollowUp.objects.filter(household_id__in=household_ids, visit__isnull=True)
    out: dict[int, list[dict]] = defaultdict(list)
    for f in rows.order_by("due_on", "id").values("id", "household_id", "due_on"):
        out[f["household_id"]].append({"id": f["id"], "due_on": f["due_on"].isoformat()})
    return out


def volunteer_package(*, user: User, volunteer: Volunteer) -> dict[str, Any]:
    """The package of the module docstring; writes the audit row of its reading."""
    households = list(
        assigned_households(user=user).select_related("village").order_by("village_id", "id")
    )
    ids = [h.pk for h in households]
    members = _members(ids)
    goals = _open_goals(ids)
    due = _due_visits(ids)
    last = dict(
        Visit.objects.filter(household_id__in=ids)
        .values("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )
    package = {
        "generated_at": timezone.now().isoformat(),
        "volunteer": {"id": volunteer.pk, "name": str(volunteer.person)},
        "household_ids": ids,
        "households": [
            {
                "id": h.pk,
                "version": h.version,
                "village": h.village.name_th if h.village else "",
                **{name: getattr(h, name) for name in EDITABLE["household"]},
                "last_visit": last[h.pk].isoformat() if last.get(h.pk) else None,
                "members": members.get(h.pk, []),
                "open_goals": goals.get(h.pk, []),
                "due_visits": due.get(h.pk, []),
            }
            for h in households
        ],
        "questionnaire": questionnaire.current().as_dict(),
    }
    audit.record_list(
        actor=user,
        object_type="page",
        ids={
            "registry.household": ids,
            "registry.person": [m["id"] for h in ids for m in members.get(h, [])],
        },
        purpose=audit.current_purpose(PURPOSE),
        subdistrict_code=volunteer.subdistrict_id,
    )
    return package
