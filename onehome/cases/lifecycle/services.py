"""Writes on a case that are not assessments, referrals or assistance: workers, transfer,
notes, closure and reopening. Triage (report → case) is `intake.triage`.

Each function is one transaction that locks the case, refuses a stale `version`
(StaleVersionError), raises user errors before writing, adds a timeline event and an audit
record. Status changes go through `transitions.transition`, never around it.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from onehome.access import audit
from onehome.access.models import AuditAction, User
from onehome.access.roles import Action, may
from onehome.access.scope import in_scope
from onehome.cases.lifecycle import transitions
from onehome.cases.lifecycle.timeline import add_event
from onehome.cases.lifecycle.transitions import check_version, is_involved
from onehome.cases.models import Case, CaseStatus, CaseWorker, EventKind
from onehome.cases.visibility.selectors import get_visible_case
from onehome.errors import ValidationError
from onehome.orgs.models import AGENCY_KINDS, CENTRE_KINDS, Organisation

__all__ = [
    "assign_worker",
    "unassign_worker",
    "transfer_case",
    "add_note",
    "request_closure",
    "approve_closure",
    "refuse_closure",
    "reopen_case",
]


def _open_case_for(actor: User, case_id: int, version: int | None) -> Case:
    case = get_visible_case(actor, case_id, for_update=True)
    check_version(case, version)
    if not case.is_open:
        raise ValidationError(
            _("Case %(number)s is closed.") % {"number": case.number}, code="case_closed"
        )
    return case


def _bump(case: Case) -> Case:
    case.version += 1
    case.save(update_fields=["version"])
    return case


def add_worker(case: Case, *, actor: User, user: User, lead: bool) -> Case:
    """Assign `user` to a case the caller has locked and checked; bumps its version."""
    if CaseWorker.objects.filter(case=case, user=user).exists():
        raise ValidationError(
            _("%(name)s already works on this case.") % {"name": user.get_full_name() or user},
            code="assigned",
        )
    if lead:
        CaseWorker.objects.filter(case=case, lead=True).update(lead=False)
    CaseWorker.objects.create(case=case, user=user, lead=lead)
    add_event(case, kind=EventKind.ASSIGNMENT, actor=actor, data={"user": user.pk, "lead": lead})
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        after={"assigned": user.pk, "lead": lead},
        purpose="assign worker",
    )
    return _bump(case)


@transaction.atomic
def assign_worker(
    *, actor: User, case_id: int, user_id: int, version: int | None, lead: bool = False
) -> Case:
    """Assign a worker. Supervisors and provincial heads assign; a worker of the agency may
    take the case up themselves. The worker must cover the case's area."""
    case = _open_case_for(actor, case_id, version)
    self_assign = actor.pk == user_id and may(actor, Action.TAKE_UP_CASES)
    if not (may(actor, Action.ASSIGN_WORKERS) or self_assign) or not is_involved(actor, case):
        raise ValidationError(_("Only a supervisor may assign workers."), code="not_allowed")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        user is None
        or not may(user, Action.BE_ASSIGNED_CASES)
        or not in_scope(user, subdistrict_code=case.subdistrict_id)
    ):
        raise ValidationError(
            _("This user cannot work on cases in this area."), code="not_assignable"
        )
    return add_worker(case, actor=actor, user=user, lead=lead)


@transaction.atomic
def unassign_worker(*, actor: User, case_id: int, user_id: int, version: int | None) -> Case:
    case = _open_case_for(actor, case_id, version)
    if not (may(actor, Action.ASSIGN_WORKERS) or actor.pk == user_id) or not is_involved(
        actor, case
    ):
        raise ValidationError(_("Only a supervisor may remove workers."), code="not_allowed")
    deleted, _rows = CaseWorker.objects.filter(case=case, user_id=user_id).delete()
    if not deleted:
        raise ValidationError(_("This user is not assigned to the case."), code="not_assigned")
    add_event(case, kind=EventKind.ASSIGNMENT, actor=actor, data={"removed": user_id})
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before={"assigned": user_id},
        purpose="unassign worker",
    )
    return _bump(case)


@transaction.atomic
def transfer_case(
    *, actor: User, case_id: int, to_org_id: int, reason: str, version: int | None
) -> Case:
    """Hand the case to another ministry agency or centre of its province (partners get
    referrals, not cases). The timeline goes with it: one story whoever holds it."""
    case = _open_case_for(actor, case_id, version)
    owns = actor.organisation_id == case.owner_id and may(actor, Action.MOVE_CASES)
    if not (owns or may(actor, Action.ANSWER_FOR_AREA_CASES)):
        raise ValidationError(
            _("Only the agency that holds the case may transfer it."), code="not_allowed"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the transfer."), code="reason")
    province = case.subdistrict.province_id
    target = (
        Organisation.objects.filter(pk=to_org_id, kind__in=AGENCY_KINDS | CENTRE_KINDS)
        .filter(Q(province_id=province) | Q(province__isnull=True))
        .first()
    )
    if target is None or target.pk == case.owner_id:
        raise ValidationError(
            _("Choose another agency of this province to take the case."), code="to_org"
        )
    before = {"owner": case.owner_id, "version": case.version}
    case.owner = target
    case.version += 1
    case.save(update_fields=["owner", "version"])
    add_event(
        case,
        kind=EventKind.TRANSFER,
        actor=actor,
        text=reason,
        data={"from_org": before["owner"], "to_org": target.pk},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after={"owner": target.pk, "version": case.version},
        purpose=f"transfer: {reason}",
    )
    return case


@transaction.atomic
def add_note(*, actor: User, case_id: int, text: str) -> Case:
    """Add a note to the timeline. No version: a note is appended and overwrites nothing,
    so two workers writing notes at once must both succeed."""
    case = get_visible_case(actor, case_id)
    if not may(actor, Action.WRITE_CASE_NOTES):
        raise ValidationError(_("Your role may not write on cases."), code="not_allowed")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."), code="text")
    event = add_event(case, kind=EventKind.NOTE, actor=actor, text=text)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=event, purpose="case note")
    return case


# --- closure and reopening (named steps of the state machine) --------------------------------


def request_closure(*, actor: User, case_id: int, reason: str = "", version: int | None) -> Case:
    return transitions.transition(
        actor=actor,
        case_id=case_id,
        to_status=CaseStatus.CLOSURE_REQUESTED,
        reason=reason,
        version=version,
    )


def approve_closure(*, actor: User, case_id: int, reason: str = "", version: int | None) -> Case:
    return transitions.transition(
        actor=actor, case_id=case_id, to_status=CaseStatus.CLOSED, reason=reason, version=version
    )


@transaction.atomic
def refuse_closure(*, actor: User, case_id: int, reason: str, version: int | None) -> Case:
    """Send the case back to where it was before the closure request."""
    case = get_visible_case(actor, case_id, for_update=True)
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        check_version(case, version)
        raise ValidationError(
            _("Case %(number)s is not waiting for closure approval.") % {"number": case.number},
            code="transition",
        )
    return transitions.transition(
        actor=actor,
        case_id=case_id,
        to_status=case.status_before_closure,
        reason=reason,
        version=version,
    )


def reopen_case(*, actor: User, case_id: int, reason: str, version: int | None) -> Case:
    return transitions.transition(
        actor=actor, case_id=case_id, to_status=CaseStatus.ASSESSING, reason=reason, version=version
    )
