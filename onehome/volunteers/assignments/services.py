"""Giving households to volunteers: one by one, from a case, or in bulk from a targeting
run's target list (`bulk`, re-exported here); reassigning and ending an assignment.

Rules every path shares (`_check_pair`): the actor may assign households (role table) in
their area; the household and the volunteer lie in it (else 404, as if missing); the
volunteer is working (appointed or active) and belongs to the household's sub-district.
A household has at most one open assignment (a database constraint): reassigning ends the
open one with a reason and opens another, so the history of who followed a household
stays. Sending the same request twice changes nothing the second time: assigning a
household to the volunteer who already has it, or ending an ended assignment, returns the
record as it is.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onehome.access.models import User
from onehome.access.scope import scoped
from onehome.cases.visibility.selectors import visible_cases
from onehome.errors import NotInScopeError, ValidationError
from onehome.volunteers.assignments import spread
from onehome.volunteers.assignments.bulk import (  # noqa: F401 - the room's write surface
    BulkPlan,
    BulkResult,
    confirm_bulk_assignment,
    plan_bulk_assignment,
)
from onehome.volunteers.assignments.rules import (
    ASSIGN,
    clean_reason,
    close,
    household_to_assign,
    open_assignment,
    open_new,
    require_assigner,
    volunteer_for,
)
from onehome.volunteers.models import Assignment, AssignmentSource, Volunteer


@transaction.atomic
def assign_household(
    *,
    actor: User,
    household_id: int,
    volunteer_id: int,
    source: str = AssignmentSource.ONE_BY_ONE,
    case_id: int | None = None,
) -> Assignment:
    """Give one household to a volunteer. Already theirs: the open assignment as it is;
    someone else's: refused (reassign it instead, with a reason)."""
    household = household_to_assign(actor, household_id)
    volunteer = volunteer_for(actor, volunteer_id, household)
    current = open_assignment(household)
    if current is not None:
        return _already_assigned(current, volunteer)
    return open_new(actor, household, volunteer, source=source, case_id=case_id)


@transaction.atomic
def assign_from_case(*, actor: User, case_id: int, volunteer_id: int | None = None) -> Assignment:
    """Give a case's household to a volunteer: the one named, else the one the spread
    rule picks (of the household's village, then the least loaded). A household already
    followed keeps its volunteer unless another is named (then: reassign)."""
    require_assigner(actor)
    case = visible_cases(actor).filter(pk=case_id).first()
    if case is None:
        raise NotInScopeError
    if case.household_id is None:
        raise ValidationError(
            _("This case names no household: add the household to the case first."),
            code="household",
        )
    household = household_to_assign(actor, case.household_id)
    current = open_assignment(household)
    if volunteer_id is None:
        if current is not None:
            return current
        slots = spread.working_volunteers(
            household.subdistrict_id, scoped(actor, Volunteer.objects.all(), action=ASSIGN)
        )
        slot, _of_village = spread.choose(slots, household.village_id)
        if slot is None:
            raise ValidationError(
                _("The household's sub-district has no working volunteer."), code="volunteer"
            )
        volunteer_id = slot.id
    volunteer = volunteer_for(actor, volunteer_id, household)
    if current is not None:
        return _already_assigned(current, volunteer)
    return open_new(actor, household, volunteer, source=AssignmentSource.CASE, case_id=case.pk)


@transaction.atomic
def reassign_household(
    *, actor: User, household_id: int, volunteer_id: int, reason: str
) -> Assignment:
    """End the household's open assignment with ``reason`` and give it to another
    volunteer; the ended one stays in the history. To the same volunteer: nothing changes."""
    household = household_to_assign(actor, household_id)
    volunteer = volunteer_for(actor, volunteer_id, household)
    current = open_assignment(household)
    if current is not None and current.volunteer_id == volunteer.pk:
        return current
    reason = clean_reason(reason)
    if current is not None:
        close(actor, current, reason)
    return open_new(actor, household, volunteer, source=AssignmentSource.ONE_BY_ONE)


@transaction.atomic
def end_assignment(*, actor: User, assignment_id: int, reason: str) -> Assignment:
    """Take a household from its volunteer (unassign), with a reason. An assignment that
    has ended already is returned as it is."""
    require_assigner(actor)
    try:
        assignment = (
            scoped(actor, Assignment.objects.all(), action=ASSIGN)
            .select_for_update()
            .get(pk=assignment_id)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    if assignment.ended_at is not None:
        return assignment
    return close(actor, assignment, clean_reason(reason))


def _already_assigned(current: Assignment, volunteer: Volunteer) -> Assignment:
    """A household with an open assignment: it as it is when it is already the volunteer's;
    someone else's is refused (reassign it instead, with a reason)."""
    if current.volunteer_id == volunteer.pk:
        return current
    raise ValidationError(
        _("This household is already assigned to %(name)s. Reassign it instead, with a reason.")
        % {"name": current.volunteer},
        code="assigned",
    )
