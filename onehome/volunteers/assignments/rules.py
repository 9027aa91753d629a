"""The checks and the two writes every assignment path shares (one by one, from a case,
in bulk): who may assign, which household and volunteer they may name, and opening or
closing an assignment with its audit row. Callers hold the transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import scoped
from onehome.errors import NotInScopeError, ValidationError
from onehome.registry.models import Household
from onehome.targeting.models import Run
from onehome.volunteers.models import WORKING, Assignment, Volunteer

ASSIGN = Action.ASSIGN_HOUSEHOLDS
REASON_MAX = 200


def require_assigner(actor: User) -> None:
    """Only people the role table lets assign households; anyone else meets 404."""
    if not may(actor, ASSIGN):
        raise NotInScopeError


def household_to_assign(actor: User, household_id: int, *, lock: bool = True) -> Household:
    """The household, in the actor's area, locked for the write (two clerks assigning the
    same household at once are served one after the other)."""
    require_assigner(actor)
    qs = scoped(actor, Household.objects.all(), action=ASSIGN)
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=household_id)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc


def volunteer_for(actor: User, volunteer_id: int, household: Household) -> Volunteer:
    """The volunteer, in the actor's area, checked fit to follow ``household``."""
    try:
        volunteer = (
            scoped(actor, Volunteer.objects.all(), action=ASSIGN)
            .select_related("person")
            .get(pk=volunteer_id)
        )
    except (Volunteer.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScopeError from exc
    if volunteer.status not in WORKING:
        raise ValidationError(
            _("%(name)s is not working as a volunteer now (%(status)s): choose another.")
            % {"name": volunteer, "status": volunteer.get_status_display()},
            code="volunteer",
        )
    if volunteer.subdistrict_id != household.subdistrict_id:
        raise ValidationError(
            _(
                "%(name)s works in another sub-district than the household's: "
                "choose a volunteer of its sub-district."
            )
            % {"name": volunteer},
            code="volunteer",
        )
    return volunteer


def open_assignment(household: Household) -> Assignment | None:
    return (
        Assignment.objects.filter(household=household, ended_at__isnull=True)
        .select_related("volunteer__person")
        .first()
    )


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."), code="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason is longer than %(n)d characters.") % {"n": REASON_MAX}, code="reason"
        )
    return reason


def open_new(
    actor: User,
    household: Household,
    volunteer: Volunteer,
    *,
    source: str,
    run: Run | None = None,
    case_id: int | None = None,
    purpose: str = "",
) -> Assignment:
    """Write an open assignment and its audit row (the caller checked and locked)."""
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                household=household,
                volunteer=volunteer,
                source=source,
                run=run,
                case_id=case_id,
                assigned_by=actor,
            )
    except IntegrityError as exc:  # another request opened one since the lock was taken
        raise ValidationError(
            _("This household was assigned by someone else just now. Reload the page."),
            code="assigned",
        ) from exc
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assignment,
        household_id=household.pk,
        after=audit.snapshot(assignment),
        purpose=purpose,
    )
    return assignment


def close(actor: User, assignment: Assignment, reason: str) -> Assignment:
    before = audit.snapshot(assignment, ["ended_at", "end_reason"])
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["ended_at", "end_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assignment,
        household_id=assignment.household_id,
        before=before,
        after=audit.snapshot(assignment, ["ended_at", "end_reason"]),
    )
    return assignment
